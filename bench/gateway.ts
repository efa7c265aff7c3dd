/**
 * Gateway end to end on the embedded ledger over real HTTP (keep-alive), signed with SM2:
 * - gateway.transfer.rps: 64 concurrent clients posting transfers (each on its own account pair,
 *   so MVCC never invalidates them);
 * - gateway.transfer.p99_ms: open-loop paced load at BENCH_GW_RATE (500) req/s;
 * - where the time goes: the same transfers straight into LedgerClient.submit, and one SM2
 *   verify / sign on this machine (client signing runs in this process too).
 * Run alone: `node -e "require('./dist/bench/gateway').benchGateway((m,v,u)=>console.log(m,v.toFixed(1),u))"`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPair, sign, verify } from '../chaincode/lib/gm';
import { mirrorMessage } from '../chaincode/core/money';
import { buildApp } from '../gateway/app';
import { bootstrap } from '../gateway/bootstrap';
import { loadConfig } from '../gateway/config';
import { createLedger } from '../ledger/index';
import { LianjianClient } from '../gateway/sdk';
import { signCall } from '../ledger/intents';
import type { MemberKey } from '../ledger/types';
import { Wallet } from '../ledger/wallet';
import { Guards } from '../ledger/guard';
import { OracleService } from '../oracles/service';

type Report = (metric: string, value: number, unit: string) => void;

const CONCURRENCY = Number(process.env.BENCH_GW_CONCURRENCY ?? 64);
const SECONDS = Number(process.env.BENCH_GW_SECONDS ?? 5);
const RATE = Number(process.env.BENCH_GW_RATE ?? 500);

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

export async function benchGateway(report: Report): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lj-bench-gw-'));
  const config = { ...loadConfig({ LIANJIAN_DATA: dir }), ratePerSec: 0, maxConcurrent: 512, maxQueue: 4096 };
  const ledger = await createLedger(config);
  const wallet = new Wallet(path.join(dir, 'clients'));
  const serviceWallet = new Wallet(path.join(dir, 'service'));
  await bootstrap({ ledger, demoWallet: wallet, serviceWallet });
  const guards = new Guards(config.guard);
  const oracles = await OracleService.open({ dataDir: dir, guards });
  const app = await buildApp({ ledger, config, logger: false, oracles, guards });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const id = (k: string): MemberKey => wallet.get(k) ?? serviceWallet.get(k)!;
    const [bank, oracle, ent] = ['Org1MSP:bank1', 'Org1MSP:oracle1', 'Org1MSP:ent1'].map(
      (k) => new LianjianClient({ baseUrl, identity: id(k) }),
    );
    const o = id('Org1MSP:oracle1');

    // One source and one sink account per client.
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, i) => {
        for (const acct of [`src${i}`, `dst${i}`])
          await bank.post('/v1/accounts', { id: acct, kind: 'wallet', owner: 'Org1MSP:ent1', offChainRef: acct });
        const msg = mirrorMessage({
          kind: 'deposit',
          bank: 'Org1MSP',
          account: `src${i}`,
          offTxId: `dep${i}`,
          amount: '100000000',
          color: `dep:src${i}`,
        });
        await oracle.post('/v1/mirror/deposits', {
          account: `src${i}`,
          amount: '100000000',
          offTxId: `dep${i}`,
          attestation: sign(o.sm2.privateKey, msg, o.sm2.publicKey),
        });
      }),
    );

    let seq = 0;
    const transfer = (i: number) =>
      ent.post(
        '/v1/transfers',
        { from: `src${i}`, to: `dst${i}`, amount: '1', purpose: 'bench' },
        { idempotencyKey: `b${seq++}` },
      );

    // Throughput: closed loop, CONCURRENCY clients.
    let done = 0;
    const end = Date.now() + SECONDS * 1000;
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, i) => {
        while (Date.now() < end) {
          await transfer(i);
          done++;
        }
      }),
    );
    const rps = done / (Number(process.hrtime.bigint() - t0) / 1e9);
    report('gateway.transfer.rps', rps, 'tx/s');
    // Latency: open loop at RATE req/s, and at 60% of the measured throughput (a sustainable load).
    const paced = async (rate: number, tag: string) => {
      const lat: number[] = [];
      let errors = 0;
      const start = performance.now();
      await Promise.all(
        Array.from(
          { length: Math.max(1, Math.round(rate * SECONDS)) },
          (_, n) =>
            new Promise<void>((resolve) => {
              setTimeout(
                () => {
                  const s = performance.now();
                  transfer(n % CONCURRENCY)
                    .then(() => lat.push(performance.now() - s))
                    .catch(() => errors++)
                    .finally(resolve);
                },
                (n * 1000) / rate - (performance.now() - start),
              );
            }),
        ),
      );
      report(`gateway.transfer.p99_ms${tag}`, lat.length ? pct(lat, 99) : NaN, 'ms');
      report(`gateway.transfer.p50_ms${tag}`, lat.length ? pct(lat, 50) : NaN, 'ms');
      report(`gateway.transfer.errors${tag}`, errors, 'count');
    };
    await paced(RATE, '');
    const easy = Math.max(1, Math.floor(rps * 0.6));
    await paced(easy, `@${easy}rps`);

    // Where the time goes: the ledger alone, and the SM2 cost per request.
    const admin = id('Org1MSP:ent1');
    let direct = 0;
    const end2 = Date.now() + 2000;
    const t1 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, i) => {
        while (Date.now() < end2) {
          await ledger.submit(
            signCall(admin, { fn: 'Money:transfer', args: [`d${seq++}`, `src${i}`, `dst${i}`, '1', 'bench', ''] }),
          );
          direct++;
        }
      }),
    );
    report('gateway.ledger_direct.rps', direct / (Number(process.hrtime.bigint() - t1) / 1e9), 'tx/s');
    const kp = generateKeyPair();
    const sig = sign(kp.privateKey, 'x', kp.publicKey);
    let t = performance.now();
    for (let i = 0; i < 200; i++) verify(kp.publicKey, 'x', sig);
    report('gateway.sm2_verify_ms', (performance.now() - t) / 200, 'ms');
    t = performance.now();
    for (let i = 0; i < 200; i++) sign(kp.privateKey, 'x', kp.publicKey);
    report('gateway.sm2_sign_ms', (performance.now() - t) / 200, 'ms');
  } finally {
    await app.close();
    await oracles.stop();
    await ledger.close();
    guards.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
