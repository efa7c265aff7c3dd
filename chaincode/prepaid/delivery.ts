/**
 * Service delivery releases money to the merchant: per lesson (核销, co-signed by the consumer),
 * by attested progress, or accrued by day.
 */
import { conflict, forbidden, invalid, rejected } from '../lib/errors';
import { verify } from '../lib/gm';
import { fen } from '../lib/money';
import { requireId, requireInt, requireText } from '../lib/validate';
import type { LianjianContext, Member } from '../core/context';
import { memberByHandle } from '../core/identity';
import { getJson, putJson } from '../core/state';
import { contractFor } from './access';
import { release, requireActive } from './escrow';
import { ISO_TIME_RE, useMessage } from './messages';
import { accrued, elapsedDays, perUseShare, progressShare } from './rules';
import { loadMerchant, requireTrading } from './store';
import { Card, ppKeys, PrepaidContractRecord } from './types';

async function merchantContract(
  ctx: LianjianContext,
  me: Member,
  id: string,
  mode: PrepaidContractRecord['mode'],
): Promise<PrepaidContractRecord> {
  const { c, m } = await contractFor(ctx, me, id);
  if (m.member !== me.handle) throw forbidden(`contract ${c.id} is with another merchant`, 'NOT_MERCHANT', 'contract');
  if (c.mode !== mode)
    throw rejected(`contract ${id} releases ${c.mode}, not ${mode}`, 'WRONG_RELEASE_MODE', 'contract');
  return c;
}

interface UseRecord {
  contract: string;
  seq: number;
  units: number;
  time: string;
  signer: string;
  signature: string;
  amount: string;
  txId: string;
}

/** The consumer's key: their registered member key, or a hardware wallet card they own. */
async function consumerKey(
  ctx: LianjianContext,
  c: PrepaidContractRecord,
  signer: string,
): Promise<string | undefined> {
  if (!signer) return (await memberByHandle(ctx, c.consumer, 'contract')).publicKey;
  const card = await getJson<Card>(ctx, ppKeys.card(requireId(signer, 'signer')));
  return card && card.owner === c.consumer ? card.publicKey : undefined;
}

/** A consumption record: lessons seq..seq+units-1, in order, signed by the consumer. Keyed by (contract, seq). */
export interface Consumption {
  contract: string;
  seq: string;
  units: string;
  time: string; // UTC ISO, as signed
  signer: string; // '' = the consumer's member key, else a card id
  signature: string;
}

export async function consume(ctx: LianjianContext, me: Member, u: Consumption): Promise<PrepaidContractRecord> {
  const { contract: id, seq: seqText, units: unitsText, time, signer, signature } = u;
  const c = await merchantContract(ctx, me, id, 'per_use');
  const seq = requireInt(seqText, 'seq', 1);
  const units = requireInt(unitsText, 'units', 1, 1000);
  if (!ISO_TIME_RE.test(time ?? '')) throw invalid('time', 'time must be a UTC ISO time');
  requireText(signature, 'signature', 300);
  const prev = await getJson<UseRecord>(ctx, ppKeys.use(c.id, seq));
  if (prev) {
    // SM2 signatures are randomized: a re-signed copy of the same record is the same consent.
    if (prev.units === units && prev.time === time && prev.signer === signer) return c;
    throw conflict(`lesson ${seq} of contract ${c.id} is already recorded`, 'IDEMPOTENCY_CONFLICT', 'seq');
  }
  requireActive(c);
  requireTrading(await loadMerchant(ctx, c.merchant));
  if (seq !== c.usedUnits + 1)
    throw rejected(`next lesson of contract ${c.id} is ${c.usedUnits + 1}, got ${seq}`, 'USE_OUT_OF_ORDER', 'seq');
  if (c.usedUnits + units > (c.units ?? 0))
    throw rejected(`contract ${c.id} has ${(c.units ?? 0) - c.usedUnits} lessons left`, 'NO_UNITS_LEFT', 'units');
  const pub = await consumerKey(ctx, c, signer);
  if (!pub || !verify(pub, useMessage(c.id, seq, units, time), signature)) {
    throw forbidden(
      "signature is not the consumer's SM2 signature of this consumption record",
      'BAD_CONSUMER_SIGNATURE',
      'signature',
    );
  }
  const amount = perUseShare(BigInt(c.unitPrice), units);
  c.usedUnits += units;
  await release(ctx, c, amount, `${c.id}:use:${seq}`, me.handle);
  await putJson(ctx, ppKeys.use(c.id, seq), {
    contract: c.id,
    seq,
    units,
    time,
    signer,
    signature,
    amount: fen(amount),
    txId: ctx.stub.getTxID(),
  });
  return c;
}

/** A regulator or oracle attests course progress in basis points; releases the increase. Keyed by attestation id. */
export async function attestProgress(
  ctx: LianjianContext,
  me: Member,
  id: string,
  attestation: string,
  bpText: string,
): Promise<PrepaidContractRecord> {
  const { c } = await contractFor(ctx, me, id);
  requireId(attestation, 'attestation');
  const bp = requireInt(bpText, 'progressBp', 0, 10000);
  const prev = await getJson<{ contract: string; bp: number }>(ctx, ppKeys.progress(attestation));
  if (prev) {
    if (prev.contract === c.id && prev.bp === bp) return c;
    throw conflict(`attestation ${attestation} exists with other values`, 'IDEMPOTENCY_CONFLICT', 'attestation');
  }
  if (c.mode !== 'progress')
    throw rejected(`contract ${id} releases ${c.mode}, not progress`, 'WRONG_RELEASE_MODE', 'contract');
  requireActive(c);
  if (bp < c.progressBp)
    throw rejected(`progress only grows: contract ${id} is at ${c.progressBp} bp`, 'PROGRESS_BACKWARDS', 'progressBp');
  const price = BigInt(c.price);
  const amount = progressShare(price, bp) - progressShare(price, c.progressBp);
  c.progressBp = bp;
  if (amount > 0n) await release(ctx, c, amount, `${c.id}:progress:${attestation}`, me.handle);
  else await putJson(ctx, ppKeys.contract(c.id), c);
  await putJson(ctx, ppKeys.progress(attestation), { contract: c.id, bp, by: me.handle, txId: ctx.stub.getTxID() });
  return c;
}

/** The merchant claims what accrued by day; claims open after cooling-off, so those refunds stay full. */
export async function claimAccrued(ctx: LianjianContext, me: Member, id: string): Promise<PrepaidContractRecord> {
  const c = await merchantContract(ctx, me, id, 'time_linear');
  requireActive(c);
  const now = ctx.time().getTime();
  if (now < Date.parse(c.coolingOffUntil))
    throw rejected(`contract ${id} is in cooling-off until ${c.coolingOffUntil}`, 'COOLING_OFF_ACTIVE', 'contract');
  await settleAccrued(ctx, c, now, me.handle);
  return c;
}

/** Releases what accrued by day and is not yet released (no-op when nothing is due). */
export async function settleAccrued(
  ctx: LianjianContext,
  c: PrepaidContractRecord,
  now: number,
  by: string,
): Promise<void> {
  const days = c.days ?? 0;
  const due = accrued(BigInt(c.price), days, elapsedDays(Date.parse(c.purchasedAt), now, days)) - BigInt(c.released);
  if (due > 0n) await release(ctx, c, due, `${c.id}:accrued:${new Date(now).toISOString()}`, by);
}
