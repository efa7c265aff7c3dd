/**
 * Signing where the key is: a member (or a service identity) signs a direct ledger call as a
 * `call` intent (chaincode/core/intent.ts), which the chaincode verifies against the member's
 * registered key. The gateway never signs for members: it forwards their signed requests.
 */
import { randomBytes } from 'node:crypto';
import { CallIntent, canonicalCall } from '../chaincode/core/intent';
import { sign, sm3 } from '../chaincode/lib/gm';
import type { LedgerCall, MemberKey } from './types';

export interface CallToSign {
  fn: string;
  args: string[];
  /** The business key that makes the call idempotent (default: none, each call is new). */
  idempotencyKey?: string;
  /** The signing time (default: now; tests that move the ledger's clock pass it). */
  now?: number;
}

/** A ledger call signed by `signer` with its own SM2 key. */
export function signCall(signer: MemberKey, call: CallToSign): LedgerCall {
  const unsigned: Omit<CallIntent, 'kind' | 'signature'> = {
    signer: signer.keyId,
    fn: call.fn,
    args: call.args,
    idempotencyKey: call.idempotencyKey ?? '',
    timestamp: String(call.now ?? Date.now()),
    nonce: randomBytes(16).toString('hex'),
  };
  const signature = sign(signer.sm2.privateKey, sm3(canonicalCall(unsigned)), signer.sm2.publicKey);
  return { fn: call.fn, args: call.args, intent: { kind: 'call', ...unsigned, signature } };
}
