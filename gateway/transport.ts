/**
 * The SDK's HTTP(S) transport over node:http/node:https, so a client can trust the service's own
 * CA (`ca`) and present a client certificate (`cert`, `key`) for mutual TLS: Node's global fetch
 * cannot be given either per request.
 */
import http from 'node:http';
import https from 'node:https';

/** Whom the client trusts, and the certificate it shows when the service requires one. */
export interface ClientTls {
  /** CA certificate(s), PEM: the service's certificate must chain to one (default: the system's). */
  ca?: string | Buffer;
  /** Client certificate and key, PEM (mutual TLS). */
  cert?: string | Buffer;
  key?: string | Buffer;
}

export interface TransportRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: Headers;
  /** The body as it arrives (consume it, or call `text()`). */
  body: AsyncIterable<Buffer>;
  text(): Promise<string>;
}

export class Transport {
  private readonly agent: http.Agent;

  constructor(
    private readonly secure: boolean,
    tls: ClientTls = {},
  ) {
    this.agent = secure
      ? new https.Agent({ keepAlive: true, ca: tls.ca, cert: tls.cert, key: tls.key })
      : new http.Agent({ keepAlive: true });
  }

  /**
   * Sends one request; resolves when the response head arrives.
   * @throws Error on connection, TLS or abort failures
   */
  send(url: URL, req: TransportRequest): Promise<TransportResponse> {
    const request = this.secure ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const outgoing = request(url, {
        method: req.method,
        headers: req.headers,
        agent: this.agent,
        signal: req.signal,
      });
      outgoing.on('error', reject);
      outgoing.on('response', (res) => resolve(responseOf(res)));
      outgoing.end(req.body);
    });
  }

  /** Closes idle connections. */
  close(): void {
    this.agent.destroy();
  }
}

function responseOf(res: http.IncomingMessage): TransportResponse {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return {
    status: res.statusCode ?? 0,
    headers,
    body: res,
    async text() {
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}
