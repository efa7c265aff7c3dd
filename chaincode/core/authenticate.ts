/**
 * How the chaincode knows who asks for what: the member's signed intent (core/intent.ts) is
 * verified against the member's registered key, the member must be active, unexpired and of
 * the submitting org, and a write must be exactly what the member signed. Writes are then
 * idempotent on (signer, idempotency key): the intent record is the replay guard and the
 * auditor's proof, in the block's write set.
 */
import { conflict, forbidden, LedgerError } from '../lib/errors';
import { sm3 } from '../lib/gm';
import { operationsOf } from '../operations';
import type { Context } from 'fabric-contract-api';
import { Member, memberKey } from './member';
import { Intent, INTENT_TRANSIENT, intentDigest, intentFingerprint, idempotencyKeyOf, parseIntent } from './intent';
import { bodyOf, matchPath, queryOf } from './operation';
import { getJson, key, putJson } from './state';

/** What authentication needs of the transaction context (core/context.ts LianjianContext). */
export interface AuthContext extends Context {
  time(): Date;
  verifySignature(publicKey: string, messageHex: string, signature: string): Promise<boolean>;
}

export interface Authenticated {
  member?: Member;
  intent?: Intent;
}

export interface Invocation {
  /** 'Contract:function' */
  fn: string;
  args: string[];
  write: boolean;
  /** The transaction may run without an intent (an org's genesis registration by its MSP admin). */
  unsigned: boolean;
}

/** What the chain keeps of a write's intent. */
export interface IntentRecord {
  signer: string;
  fn: string;
  fingerprint: string;
  txId: string;
  time: string;
  result: string;
  intent: Intent;
}

const ENVELOPE_TYPE = 'application/sm4-envelope';
const unauthenticated = (code: string, detail: string): LedgerError => new LedgerError(code, detail, 'intent', 401);

/**
 * Verifies the transaction's intent and binds it to the member.
 * @throws LedgerError 401 INTENT_REQUIRED, UNKNOWN_KEY, KEY_REVOKED, KEY_EXPIRED, BAD_SIGNATURE;
 *   403 WRONG_ORG, INTENT_MISMATCH; 400 INVALID_INTENT
 */
export async function authenticate(ctx: AuthContext, call: Invocation): Promise<Authenticated> {
  const raw = ctx.stub.getTransient().get(INTENT_TRANSIENT);
  if (!raw || raw.length === 0) {
    if (call.write && !call.unsigned) {
      throw unauthenticated('INTENT_REQUIRED', "every write carries the member's own signed intent");
    }
    return {};
  }
  const intent = parseIntent(Buffer.from(raw).toString('utf8'));
  const member = await getJson<Member>(ctx, memberKey(intent.signer));
  if (!member) throw unauthenticated('UNKNOWN_KEY', `no member ${intent.signer} is registered`);
  if (member.status === 'revoked') throw unauthenticated('KEY_REVOKED', `the key of ${member.handle} was revoked`);
  if (member.validUntil && ctx.time().toISOString() > member.validUntil) {
    throw unauthenticated('KEY_EXPIRED', `the key of ${member.handle} expired at ${member.validUntil}`);
  }
  const submitter = ctx.clientIdentity.getMSPID();
  if (submitter !== member.mspId) {
    throw forbidden(`${member.handle}'s intents are submitted by ${member.mspId}, not ${submitter}`, 'WRONG_ORG');
  }
  checkBody(intent);
  if (!(await ctx.verifySignature(member.publicKey, intentDigest(intent), intent.signature))) {
    throw unauthenticated('BAD_SIGNATURE', `the intent's signature does not verify with ${member.handle}'s key`);
  }
  if (call.write) checkBinding(intent, call);
  return { member, intent };
}

/** The plain body must be what the member hashed. */
function checkBody(intent: Intent): void {
  if (intent.kind !== 'http') return;
  const plain = sm3(intent.body);
  const envelope = intent.contentType.toLowerCase().startsWith(ENVELOPE_TYPE);
  if (plain !== intent.contentHash || (!envelope && intent.bodyHash !== intent.contentHash)) {
    throw unauthenticated('BAD_SIGNATURE', 'the body is not the one the member signed');
  }
}

/** A write runs exactly the call the member signed (directly, or through its REST request). */
function checkBinding(intent: Intent, call: { fn: string; args: string[] }): void {
  const why = bindingMismatch(intent, call);
  if (why) throw forbidden(`${call.fn} is not what ${intent.signer} signed: ${why}`, 'INTENT_MISMATCH');
}

/**
 * Why `call` is not what `intent` asked for, or undefined when it is (also for verify-chain).
 */
export function bindingMismatch(intent: Intent, call: { fn: string; args: string[] }): string | undefined {
  if (intent.kind === 'call') {
    if (intent.fn !== call.fn) return `the intent is for ${intent.fn}`;
    return JSON.stringify(intent.args) === JSON.stringify(call.args) ? undefined : 'other arguments';
  }
  const method = intent.method.toUpperCase();
  for (const op of operationsOf(call.fn)) {
    if (op.method !== method) continue;
    const params = matchPath(op.path, intent.path);
    if (!params) continue;
    let expected: string[];
    try {
      expected = op.args({
        params,
        query: queryOf(intent.query),
        body: bodyOf(intent.body),
        idempotencyKey: intent.idempotencyKey,
      });
    } catch (err) {
      return (err as Error).message;
    }
    return JSON.stringify(expected) === JSON.stringify(call.args)
      ? undefined
      : `other arguments than ${method} ${intent.path} gives`;
  }
  return `${method} ${intent.path} does not run it`;
}

const recordKey = (intent: Intent): string => key('intent', intent.signer, idempotencyKeyOf(intent));

/**
 * The answer to replay when this write was already made under the same idempotency key.
 * @returns LedgerError 409 IDEMPOTENT_REPLAY carrying `{txId, result}` (the adapters turn it into
 *   the first answer), or undefined for a first write
 * @throws LedgerError 409 IDEMPOTENCY_KEY_REUSED when the key was used for another request
 */
export async function replayOf(ctx: AuthContext, intent: Intent): Promise<LedgerError | undefined> {
  const prior = await getJson<IntentRecord>(ctx, recordKey(intent));
  if (!prior) return undefined;
  if (prior.fingerprint !== intentFingerprint(intent)) {
    throw conflict(
      `idempotency key ${intent.idempotencyKey || intent.nonce} was used by ${intent.signer} for another request`,
      'IDEMPOTENCY_KEY_REUSED',
      'Idempotency-Key',
    );
  }
  return new LedgerError(
    'IDEMPOTENT_REPLAY',
    JSON.stringify({ txId: prior.txId, result: prior.result }),
    undefined,
    409,
  );
}

/** Keeps the intent and the answer: the replay guard, and the proof of who asked for what. */
export async function recordIntent(
  ctx: AuthContext,
  written: { intent: Intent; fn: string; result: unknown },
): Promise<void> {
  const record: IntentRecord = {
    signer: written.intent.signer,
    fn: written.fn,
    fingerprint: intentFingerprint(written.intent),
    txId: ctx.stub.getTxID(),
    time: ctx.time().toISOString(),
    result: typeof written.result === 'string' ? written.result : JSON.stringify(written.result ?? ''),
    intent: written.intent,
  };
  await putJson(ctx, recordKey(written.intent), record);
}
