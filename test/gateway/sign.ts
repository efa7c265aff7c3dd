/** Signing a request in tests, as any client would (gateway/signing.ts). */
import { signRequest, SignedHeaders } from '../../gateway/signing';
import type { MemberKey } from '../../ledger/types';

/** The X-LJ-* headers for `method url` with an optional JSON body and Idempotency-Key. */
export function signed(
  key: Pick<MemberKey, 'keyId' | 'sm2'>,
  method: string,
  url: string,
  extra: { body?: string; idempotencyKey?: string; now?: number } = {},
): SignedHeaders {
  return signRequest(key, {
    method,
    url,
    body: extra.body ?? '',
    contentType: extra.body ? 'application/json' : '',
    idempotencyKey: extra.idempotencyKey ?? '',
    now: extra.now,
  });
}
