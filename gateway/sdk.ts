/**
 * LianjianClient: signed requests to the gateway, parsed JSON back, ApiError on failure.
 * Used by tests, the CLI and integrators. HTTPS trusts `tls.ca` (the service's CA) and can
 * present a client certificate when the service requires one.
 */
import { randomUUID } from 'node:crypto';
import type { Static, TSchema } from '@sinclair/typebox';
import { sealEnvelope } from '../chaincode/lib/gm';
import { EVM_REQUEST_HEADER, evmRequestHeader, signForwardRequest } from '../ledger/evm/member-signer';
import type { EvmForwarding, MemberKey } from '../ledger/types';
import { evmCallOf } from './evm-requests';
import type { core } from './schemas';
import { signRequest } from './signing';
import { ClientTls, Transport, TransportRequest } from './transport';

export type { ClientTls };

// Answers and requests of the API, typed by their schemas (gateway/schemas): what /openapi.json names.
export type Account = Static<typeof core.Account>;
export type Balance = Static<typeof core.Balance>;
export type HistoryPage = Static<typeof core.HistoryPage>;
export type Transfer = Static<typeof core.Transfer>;
export type TransferRequest = Static<typeof core.TransferRequest>;
export type OpenAccountRequest = Static<typeof core.OpenAccountRequest>;
export type Member = Static<typeof core.Member>;
export type Totals = Static<typeof core.Totals>;
export type Block = Static<typeof core.Block>;
export type BlockPage = Static<typeof core.BlockPage>;
export type TxView = Static<typeof core.Transaction>;
/** The answer a schema describes, for any route: `client.get<Answer<typeof supervision.Program>>(...)`. */
export type Answer<Schema extends TSchema> = Static<Schema>;

/**
 * What the client signs with: the member's own key (keyId and the SM2 key pair; on LEDGER=evm
 * also the secp256k1 key, which signs each money-core write's EIP-712 request).
 */
export type ClientIdentity = Pick<MemberKey, 'keyId' | 'sm2' | 'secp256k1'>;

export interface ClientOptions {
  baseUrl: string;
  identity?: ClientIdentity;
  /** Seal request bodies to the gateway's SM2 key (Content-Type: application/sm4-envelope). */
  encrypt?: boolean;
  /** Skews the signed timestamp (tests). */
  clock?: () => number;
  /** For https URLs: the CA to trust (default: the system's) and a client certificate (mutual TLS). */
  tls?: ClientTls;
}

export interface RequestOptions {
  idempotencyKey?: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers?: Headers,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = 'ApiError';
  }
}

export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/** One Server-Sent Events block (lines up to a blank line); undefined when it carries no data. */
function sseMessage(block: string): SseMessage | undefined {
  const msg: SseMessage = { data: '' };
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const [field, value] = colon < 0 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1).replace(/^ /, '')];
    if (field === 'id') msg.id = value;
    else if (field === 'event') msg.event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length ? { ...msg, data: data.join('\n') } : undefined;
}

export class LianjianClient {
  private gatewayKey?: string;
  /** Whether the service runs LEDGER=evm (undefined until a write of a member with a secp256k1 key asks). */
  private onEvm?: boolean;
  /** Writes signed for the EVM forwarder go one at a time: each takes the member's next nonce. */
  private evmLane: Promise<unknown> = Promise.resolve();
  private readonly transport: Transport;
  constructor(readonly opts: ClientOptions) {
    this.transport = new Transport(new URL(opts.baseUrl).protocol === 'https:', opts.tls);
  }

  /** Closes the client's idle connections. */
  close(): void {
    this.transport.close();
  }

  get<T = unknown>(path: string, o: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, undefined, o);
  }
  post<T = unknown>(path: string, body: unknown, o: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, body, { ...o, idempotencyKey: o.idempotencyKey ?? randomUUID() });
  }
  put<T = unknown>(path: string, body: unknown, o: RequestOptions = {}): Promise<T> {
    return this.request<T>('PUT', path, body, o);
  }
  delete<T = unknown>(path: string, o: RequestOptions = {}): Promise<T> {
    return this.request<T>('DELETE', path, undefined, o);
  }

  // ---- typed calls of the core API (their answers checked against gateway/schemas in tests)

  /** The caller's member record. @throws ApiError */
  me(): Promise<Member> {
    return this.get<Member>('/v1/me');
  }
  /** A bank opens an account. @throws ApiError */
  openAccount(account: OpenAccountRequest, o: RequestOptions = {}): Promise<Account> {
    return this.post<Account>('/v1/accounts', account, o);
  }
  /** An account the caller may read. @throws ApiError 404 alike for missing and unreadable */
  account(id: string): Promise<Account> {
    return this.get<Account>(`/v1/accounts/${encodeURIComponent(id)}`);
  }
  /** Balance in total and by color. @throws ApiError */
  balance(id: string): Promise<Balance> {
    return this.get<Balance>(`/v1/accounts/${encodeURIComponent(id)}/balance`);
  }
  /** A page of an account's history. @throws ApiError */
  history(id: string, query: { afterSeq?: number; limit?: number } = {}): Promise<HistoryPage> {
    return this.get<HistoryPage>(`/v1/accounts/${encodeURIComponent(id)}/history`, { query });
  }
  /** The owner moves money. @throws ApiError */
  transfer(transfer: TransferRequest, o: RequestOptions = {}): Promise<Transfer> {
    return this.post<Transfer>('/v1/transfers', transfer, o);
  }
  /** Conservation check (regulators, auditors). @throws ApiError */
  totals(): Promise<Totals> {
    return this.get<Totals>('/v1/totals');
  }

  /** Full response (status, headers, parsed body: JSON, else the text) without throwing on 4xx/5xx. */
  async raw<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    o: RequestOptions = {},
  ): Promise<{ status: number; headers: Headers; body: T }> {
    const send = async (): Promise<Awaited<ReturnType<Transport['send']>>> =>
      this.transport.send(...(await this.build(method, path, body, o)));
    let res: Awaited<ReturnType<Transport['send']>>;
    if (method !== 'GET' && this.opts.identity?.secp256k1 && this.onEvm !== false) {
      const next = this.evmLane.then(send, send);
      this.evmLane = next.catch(() => undefined);
      res = await next;
    } else res = await send();
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  async request<T>(method: string, path: string, body?: unknown, o: RequestOptions = {}): Promise<T> {
    const r = await this.raw(method, path, body, o);
    if (r.status >= 400) {
      const b = (r.body ?? {}) as { code?: string; message?: string; field?: string };
      throw new ApiError(r.status, b.code ?? 'HTTP_' + r.status, b.message ?? String(r.body), b.field, r.headers);
    }
    return r.body as T;
  }

  /** Server-Sent Events from `path` (e.g. /v1/events); stops when `signal` aborts. */
  async *stream(path: string, o: RequestOptions & { lastEventId?: string } = {}): AsyncGenerator<SseMessage> {
    const headers = { ...o.headers, ...(o.lastEventId ? { 'Last-Event-ID': o.lastEventId } : {}) };
    const res = await this.transport.send(...(await this.build('GET', path, undefined, { ...o, headers })));
    if (res.status !== 200) {
      const b = (await res
        .text()
        .then((t) => JSON.parse(t) as unknown)
        .catch(() => ({}))) as { code?: string; message?: string; field?: string };
      throw new ApiError(res.status, b.code ?? 'HTTP_' + res.status, b.message ?? '', b.field);
    }
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body) {
        buf += decoder.decode(chunk, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const msg = sseMessage(buf.slice(0, i));
          buf = buf.slice(i + 2);
          if (msg) yield msg;
        }
      }
    } catch (err) {
      if (!o.signal?.aborted) throw err;
    }
  }

  private async build(
    method: string,
    path: string,
    body: unknown,
    o: RequestOptions,
  ): Promise<[URL, TransportRequest]> {
    const url = new URL(path, this.opts.baseUrl);
    for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) url.searchParams.append(k, String(v));
    const target = url.pathname + url.search;
    const headers: Record<string, string> = { ...o.headers };
    let payload: string | undefined;
    let plain: string | undefined;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
      if (this.opts.encrypt) {
        plain = payload;
        payload = JSON.stringify(sealEnvelope(await this.serverKey(), Buffer.from(plain, 'utf8')));
        headers['content-type'] = 'application/sm4-envelope';
      }
    }
    if (o.idempotencyKey) headers['idempotency-key'] = o.idempotencyKey;
    if (this.opts.identity) {
      const signed = signRequest(this.opts.identity, {
        method,
        url: target,
        body: payload ?? '',
        ...(plain !== undefined ? { plainBody: plain } : {}),
        contentType: headers['content-type'] ?? '',
        idempotencyKey: o.idempotencyKey ?? '',
        now: (this.opts.clock ?? Date.now)(),
      });
      Object.assign(headers, signed, await this.evmHeaders({ method, url, body: plain ?? payload, o }));
    }
    return [url, { method, headers, body: payload, signal: o.signal }];
  }

  /** LEDGER=evm: X-LJ-EVM-Request for a money-core write; none for other requests and ledgers. */
  private async evmHeaders(r: {
    method: string;
    url: URL;
    body?: string;
    o: RequestOptions;
  }): Promise<Record<string, string>> {
    const call = evmCallOf({
      method: r.method,
      url: r.url,
      body: r.body ?? '',
      idempotencyKey: r.o.idempotencyKey ?? '',
    });
    const evm = call && (await this.evmRequest(call));
    return evm ? { [EVM_REQUEST_HEADER]: evm } : {};
  }

  /** LEDGER=evm: the member's own EIP-712 request of `call` (header value), or undefined on other ledgers. */
  private async evmRequest(call: { fn: string; args: string[] }): Promise<string | undefined> {
    const identity = this.opts.identity;
    if (!identity?.secp256k1 || this.onEvm === false) return undefined;
    const url = new URL('/v1/evm/forwarder', this.opts.baseUrl);
    url.searchParams.set('member', identity.secp256k1.address);
    const res = await this.transport.send(url, { method: 'GET', headers: {} });
    const text = await res.text();
    if (res.status === 501 || res.status === 404) {
      this.onEvm = false;
      return undefined;
    }
    const parsed = JSON.parse(text) as EvmForwarding & { code?: string; message?: string };
    if (res.status !== 200) throw new ApiError(res.status, parsed.code ?? `HTTP_${res.status}`, parsed.message ?? text);
    this.onEvm = true;
    return evmRequestHeader(await signForwardRequest(identity, parsed, call));
  }

  private async serverKey(): Promise<string> {
    if (!this.gatewayKey) {
      const r = await this.transport.send(new URL('/v1/gateway-key', this.opts.baseUrl), {
        method: 'GET',
        headers: {},
      });
      this.gatewayKey = (JSON.parse(await r.text()) as { publicKey: string }).publicKey;
    }
    return this.gatewayKey;
  }
}
