/** Test harness: a real embedded ledger + bootstrap + gateway app, signed inject, SDK clients. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { mirrorMessage } from '../../chaincode/core/money';
import { sign } from '../../chaincode/lib/gm';
import { buildApp } from '../../gateway/app';
import { bootstrap } from '../../gateway/bootstrap';
import { GatewayConfig, loadConfig } from '../../gateway/config';
import { createLedger } from '../../ledger/index';
import type { LedgerClient, MemberKey } from '../../ledger/types';
import { ClientTls, LianjianClient } from '../../gateway/sdk';
import { ensureTls } from '../../gateway/tls';
import { signRequest } from '../../gateway/signing';
import { Wallet } from '../../ledger/wallet';
import { checkResponse } from '../support/contract';
import { Guards } from '../../ledger/guard';
import { OracleService } from '../../oracles/service';
import { fabricTestWallets, onFabric } from '../support/fabric';

export interface Harness {
  app: FastifyInstance;
  ledger: LedgerClient;
  wallet: Wallet;
  dir: string;
  config: GatewayConfig;
  /** The service's books and cases (oracles not started). */
  oracles: OracleService;
  guards: Guards;
  /** A member's own key (the demo clients' wallet, or the service's for its oracle). */
  id(keyId: string): MemberKey;
  /** Signed app.inject as `keyId` (or unsigned when keyId is undefined). */
  call(
    keyId: string | undefined,
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** Listens on a random port; SDK client for `keyId` (trusting the service's CA). */
  client(keyId: string, opts?: { encrypt?: boolean }): Promise<LianjianClient>;
  /** https://127.0.0.1:<port> (http:// with config.tls.enabled false). */
  baseUrl(): Promise<string>;
  /** What clients trust: the CA the service generated in its data dir (none over plain HTTP). */
  tls: ClientTls;
  close(): Promise<void>;
}

export const tmpDir = (tag: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `lj-gw-${tag}-`));

export async function startGateway(
  tag: string,
  overrides: Partial<GatewayConfig> = {},
  ledgerIn?: LedgerClient,
): Promise<Harness> {
  const dir = tmpDir(tag);
  const config = { ...loadConfig({ LIANJIAN_DATA: dir, LEDGER: process.env.LEDGER }), ...overrides };
  const ledger = ledgerIn ?? (await createLedger(config));
  // On Fabric the chain outlives the test: its demo members' keys are the chain's (support/fabric.ts).
  const wallets =
    onFabric() && !ledgerIn
      ? fabricTestWallets()
      : { clients: path.join(dir, 'clients'), service: path.join(dir, 'service') };
  const wallet = new Wallet(wallets.clients);
  const serviceWallet = new Wallet(wallets.service);
  if (!ledgerIn) await bootstrap({ ledger, demoWallet: wallet, serviceWallet });
  const guards = new Guards(config.guard);
  const oracles = await OracleService.open({
    dataDir: dir,
    databaseUrl: config.databaseUrl,
    guards,
    oracle: serviceWallet.get(config.oracleIdentity),
  });
  const tlsMaterial = config.tls.enabled ? ensureTls(config.tls) : undefined;
  const app = await buildApp({ ledger, config, logger: false, oracles, guards, tls: tlsMaterial, checkResponse });
  let url: string | undefined;
  const id = (k: string): MemberKey => {
    const key = wallet.get(k) ?? serviceWallet.get(k);
    if (!key) throw new Error(`no key for ${k}`);
    return key;
  };
  const h: Harness = {
    app,
    ledger,
    wallet,
    dir,
    config,
    oracles,
    guards,
    id,
    tls: tlsMaterial?.ca ? { ca: tlsMaterial.ca } : {},
    async call(keyId, method, url, body, headers = {}) {
      const payload = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      const base: Record<string, string> = { ...(payload ? { 'content-type': 'application/json' } : {}), ...headers };
      if (method === 'POST' && !('idempotency-key' in base))
        base['idempotency-key'] = `k${Math.random().toString(16).slice(2)}`;
      if (base['idempotency-key'] === '') delete base['idempotency-key'];
      const signed = keyId
        ? signRequest(id(keyId), {
            method,
            url,
            body: payload,
            contentType: base['content-type'] ?? '',
            idempotencyKey: base['idempotency-key'] ?? '',
          })
        : {};
      return app.inject({
        method,
        url,
        payload: payload || undefined,
        headers: { ...base, ...signed },
      } as InjectOptions);
    },
    async baseUrl() {
      if (!url) {
        await app.listen({ port: 0, host: '127.0.0.1' });
        const a = app.server.address() as { port: number };
        url = `${tlsMaterial ? 'https' : 'http'}://127.0.0.1:${a.port}`;
      }
      return url;
    },
    async client(keyId, opts = {}) {
      return new LianjianClient({ baseUrl: await h.baseUrl(), identity: id(keyId), tls: h.tls, ...opts });
    },
    async close() {
      await app.close();
      await oracles.stop();
      await ledger.close();
      guards.shutdown();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** The oracle's SM2 attestation of a mirrored movement (what Money:mirror* verifies). */
export function attest(
  oracle: MemberKey,
  movement: {
    kind: 'deposit' | 'withdrawal';
    bank: string;
    account: string;
    offTxId: string;
    amount: string;
    color?: string;
  },
): string {
  const { kind, account, color = '' } = movement;
  const paint = kind === 'deposit' ? color || `dep:${account}` : '';
  return sign(oracle.sm2.privateKey, mirrorMessage({ ...movement, color: paint }), oracle.sm2.publicKey);
}

/** Opens `account` for `owner` (as bank1) and deposits `amount` (as oracle1). */
export async function fund(h: Harness, account: string, owner: string, amount: string): Promise<void> {
  const r1 = await h.call('Org1MSP:bank1', 'POST', '/v1/accounts', {
    id: account,
    kind: 'wallet',
    owner,
    offChainRef: `ref-${account}`,
  });
  if (r1.statusCode !== 201) throw new Error(`open ${account}: ${r1.statusCode} ${r1.body}`);
  if (r1.json<{ status: string }>().status === 'pending') {
    // a member of another org than the bank's consents to the account (issue 14)
    const r = await h.call(owner, 'POST', `/v1/accounts/${account}/consent`, { decision: 'accept' });
    if (r.statusCode !== 200) throw new Error(`consent ${account}: ${r.statusCode} ${r.body}`);
  }
  if (amount === '0') return;
  const offTxId = `dep-${account}`;
  const r2 = await h.call('Org1MSP:oracle1', 'POST', '/v1/mirror/deposits', {
    account,
    amount,
    offTxId,
    attestation: attest(h.id('Org1MSP:oracle1'), {
      kind: 'deposit',
      bank: 'Org1MSP',
      account: account,
      offTxId: offTxId,
      amount: amount,
    }),
  });
  if (r2.statusCode !== 201) throw new Error(`deposit ${account}: ${r2.statusCode} ${r2.body}`);
}
