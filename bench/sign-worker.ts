/**
 * Signs bench requests on a worker thread, as members sign on their own machines: the signing
 * cost stays off the gateway's event loop and out of the measured runs.
 */
import { parentPort } from 'node:worker_threads';
import { signRequest } from '../gateway/signing';
import type { MemberKey } from '../ledger/types';

export interface ToSign {
  key: Pick<MemberKey, 'keyId' | 'sm2'>;
  url: string;
  body: string;
  idempotencyKey: string;
}

parentPort!.on('message', (m: { id: number; items: ToSign[] }) => {
  const out = m.items.map((r) =>
    signRequest(r.key, {
      method: 'POST',
      url: r.url,
      body: r.body,
      contentType: 'application/json',
      idempotencyKey: r.idempotencyKey,
    }),
  );
  parentPort!.postMessage({ id: m.id, out });
});
