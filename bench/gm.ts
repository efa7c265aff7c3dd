/**
 * SM crypto micro-benchmarks (one core, this process): SM2 sign/verify and SM3 throughput.
 * Run alone: `node -e "require('./dist/bench/gm').benchGm((m,v,u)=>console.log(m,v.toFixed(1),u))"`.
 */
import { randomBytes } from 'node:crypto';
import { generateKeyPair, sign, sm3Bytes, verify } from '../chaincode/lib/gm';

function timed(budgetMs: number, op: (i: number) => void): number {
  const start = process.hrtime.bigint();
  const end = start + BigInt(budgetMs) * 1_000_000n;
  let n = 0;
  let now = start;
  while (now < end) {
    for (let k = 0; k < 16; k++) op(n++);
    now = process.hrtime.bigint();
  }
  return n / (Number(now - start) / 1e9);
}

export function benchGm(report: (metric: string, value: number, unit: string) => void): Promise<void> {
  const kp = generateKeyPair();
  const msgs = Array.from({ length: 64 }, () => randomBytes(256));

  // Warm-up: JIT, and the public-key cache (parse + Z, then the precomputed table on reuse).
  const sigs = msgs.map((m) => sign(kp.privateKey, m, kp.publicKey));
  for (let i = 0; i < 64; i++) if (!verify(kp.publicKey, msgs[i], sigs[i])) throw new Error('bench: verify failed');

  report(
    'sm2.sign',
    timed(2500, (i) => sign(kp.privateKey, msgs[i & 63], kp.publicKey)),
    'ops/s',
  );

  let bad = 0;
  report(
    'sm2.verify',
    timed(3000, (i) => {
      if (!verify(kp.publicKey, msgs[i & 63], sigs[i & 63])) bad++;
    }),
    'ops/s',
  );
  if (bad) throw new Error(`bench: ${bad} verifications failed`);

  const buf = randomBytes(1 << 20);
  const total = 64;
  sm3Bytes(buf);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < total; i++) sm3Bytes(buf);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  report('sm3.throughput', total / secs, 'MB/s');
  return Promise.resolve();
}
