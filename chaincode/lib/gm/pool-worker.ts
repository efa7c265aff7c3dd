/** Worker side of VerifierPool: verifies batches of [publicKey, message, signature]. */
import { parentPort } from 'node:worker_threads';
import { verify } from './sm2';

parentPort!.on('message', (m: { id: number; items: [string, string, string][] }) => {
  const start = performance.now();
  const ok = m.items.map(([pub, msg, sig]) => verify(pub, msg, sig));
  parentPort!.postMessage({ id: m.id, ok, ms: performance.now() - start });
});
