/** Worker side of VerifierPool: verifies batches of [publicKey, message, signature]. */
import { parentPort } from 'node:worker_threads';
import { verify } from './sm2';

parentPort!.on('message', (m: { id: number; items: [string, string, string][] }) => {
  parentPort!.postMessage({ id: m.id, ok: m.items.map(([pub, msg, sig]) => verify(pub, msg, sig)) });
});
