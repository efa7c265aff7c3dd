/**
 * Hot accounts and idempotency across a crash, through the REST API of the real service (HTTPS,
 * `npm start`'s entry as a child), as a client would see them:
 * - 200 concurrent transfers of 1 fen out of an account holding 100: exactly 100 succeed and 100
 *   are INSUFFICIENT_FUNDS; no client ever sees an MVCC or phantom conflict. A client retries a
 *   503 after its Retry-After with the same Idempotency-Key, as the API asks.
 * - after kill -9: the same key and body answer the first answer, the same key with another body
 *   is 409, the very same signed request is a replayed nonce, and the money moved once.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { mirrorMessage } from '../../chaincode/core/money';
import { sign } from '../../chaincode/lib/gm';
import { LianjianClient } from '../../gateway/sdk';
import { signRequest } from '../../gateway/signing';
import { Transport } from '../../gateway/transport';
import type { MemberKey } from '../../ledger/types';
import { openServiceWallet, Wallet } from '../../ledger/wallet';
import { Service, startService } from '../support/cli';
import { tmpDir } from './helpers';

type Answer = { status: number; body: { code?: string; [k: string]: unknown }; headers: Headers };

/** A client that retries 503 after Retry-After with the same Idempotency-Key (at most `tries` times). */
async function postPatiently(
  client: LianjianClient,
  url: string,
  body: unknown,
  idempotencyKey: string,
  tries = 30,
): Promise<Answer> {
  for (let i = 1; ; i++) {
    const r: Answer = await client.raw('POST', url, body, { idempotencyKey });
    if (r.status !== 503 || i >= tries) return r;
    const wait = Number(r.headers.get('retry-after') ?? '1');
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 * (0.5 + Math.random())));
  }
}

describe('gateway: hot accounts and idempotency after kill -9 (real service, HTTPS)', function () {
  this.timeout(180_000);
  let dir: string;
  let service: Service;
  const env = (): NodeJS.ProcessEnv => ({
    LIANJIAN_DATA: dir,
    LIANJIAN_WALLET: path.join(dir, 'wallet'),
    ORACLES: 'off',
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
  });
  const key = (keyId: string): MemberKey =>
    new Wallet(path.join(dir, 'wallet')).get(keyId) ?? openServiceWallet(dir).get(keyId)!;
  const as = (keyId: string): LianjianClient =>
    new LianjianClient({ baseUrl: service.url, identity: key(keyId), tls: service.tls });
  const balance = async (account: string): Promise<string> =>
    (await as('Org2MSP:auditor1').get<{ total: string }>(`/v1/accounts/${account}/balance`)).total;

  async function fund(account: string, owner: string, amount: string): Promise<void> {
    await as('Org1MSP:bank1').post('/v1/accounts', { id: account, kind: 'settlement', owner, offChainRef: account });
    const oracle = key('Org1MSP:oracle1');
    const offTxId = `dep-${account}`;
    const msg = mirrorMessage({ kind: 'deposit', bank: 'Org1MSP', account, offTxId, amount, color: `dep:${account}` });
    await as('Org1MSP:oracle1').post('/v1/mirror/deposits', {
      account,
      amount,
      offTxId,
      attestation: sign(oracle.sm2.privateKey, msg, oracle.sm2.publicKey),
    });
  }

  before(async () => {
    dir = tmpDir('contention');
    service = await startService(env());
  });
  after(async () => {
    await service?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('200 concurrent transfers out of an account holding 100: 100 succeed, 100 INSUFFICIENT_FUNDS, no conflict', async () => {
    await fund('HOT', 'Org1MSP:ent1', '100');
    await as('Org1MSP:bank1').post('/v1/accounts', {
      id: 'SINK',
      kind: 'settlement',
      owner: 'Org1MSP:ent2',
      offChainRef: 'SINK',
    });
    const ent = as('Org1MSP:ent1');
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        postPatiently(ent, '/v1/transfers', { from: 'HOT', to: 'SINK', amount: '1', purpose: 'hot' }, `hot-${i}`),
      ),
    );
    const tally: Record<string, number> = {};
    for (const a of answers) {
      const outcome = a.status < 300 ? 'ok' : `${a.status} ${a.body.code}`;
      tally[outcome] = (tally[outcome] ?? 0) + 1;
    }
    expect(tally).to.deep.equal({ ok: 100, '422 INSUFFICIENT_FUNDS': 100 });
    expect(await balance('HOT')).to.equal('0');
    expect(await balance('SINK')).to.equal('100');
    // A retry of a refused one with its key is refused again; of a successful one, replayed.
    const refused = answers.findIndex((a) => a.status === 422);
    const again = await postPatiently(
      ent,
      '/v1/transfers',
      { from: 'HOT', to: 'SINK', amount: '1', purpose: 'hot' },
      `hot-${refused}`,
    );
    expect([again.status, again.body.code]).to.deep.equal([422, 'INSUFFICIENT_FUNDS']);
    ent.close();
  });

  it('after kill -9: same key and body → the first answer; new body → 409; the same signed request → replayed nonce', async () => {
    await fund('K9A', 'Org1MSP:ent1', '1000');
    const body = { from: 'K9A', to: 'SINK', amount: '7', purpose: 'before the crash' };
    const ent = as('Org1MSP:ent1');
    const first = await postPatiently(ent, '/v1/transfers', body, 'k9-1');
    expect(first.status).to.equal(201);
    // The very request as signed, to be sent again byte for byte after the restart.
    const payload = JSON.stringify({ ...body, purpose: 'sent twice' });
    const headers = {
      'content-type': 'application/json',
      'idempotency-key': 'k9-2',
      ...signRequest(key('Org1MSP:ent1'), {
        method: 'POST',
        url: '/v1/transfers',
        body: payload,
        contentType: 'application/json',
        idempotencyKey: 'k9-2',
      }),
    };
    const send = async (): Promise<number> => {
      const transport = new Transport(true, service.tls);
      const res = await transport.send(new URL('/v1/transfers', service.url), {
        method: 'POST',
        headers,
        body: payload,
      });
      await res.text();
      transport.close();
      return res.status;
    };
    expect(await send()).to.equal(201);
    ent.close();

    await service.kill();
    service = await startService(env());

    const again = as('Org1MSP:ent1');
    const replay = await postPatiently(again, '/v1/transfers', body, 'k9-1');
    expect(replay.status).to.equal(first.status);
    expect(replay.body).to.deep.equal(first.body);
    expect(replay.headers.get('idempotent-replay')).to.equal('true');
    const reused = await postPatiently(again, '/v1/transfers', { ...body, amount: '8' }, 'k9-1');
    expect([reused.status, reused.body.code]).to.deep.equal([409, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await send()).to.equal(401); // its nonce was kept through the crash
    expect(await balance('K9A')).to.equal('986');
    again.close();
  });
});
