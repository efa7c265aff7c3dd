/**
 * Releases (用款申请): request by the supervised party -> approvals by the named approvers ->
 * once the policy is met and every rule still passes, the funds move to the payout account.
 * A request breaking a rule is stored as `rejected` with reasons and alerts (a successful tx):
 * a thrown Fabric tx writes nothing, and the alert must survive.
 */
import { LianjianContext, ROLES } from '../core/context';
import { programFor } from './access';
import { memberByHandle } from '../core/identity';
import { Account, readAccount } from '../core/lots';
import { getJson, listJson, putJson } from '../core/state';
import { conflict, forbidden, rejected } from '../lib/errors';
import { fen, parseFen } from '../lib/money';
import { requireId, requireOneOf, requireText } from '../lib/validate';
import { instruct } from './payout';
import { pickSource, requireParty } from './parties';
import { wageViolations } from './wages';
import { chinaDay } from '../lib/china-time';
import {
  isIndividual,
  isStructuring,
  milestoneCap,
  nearThreshold,
  releaseViolations,
  requiredApprovals,
  STRUCTURING,
  Violation,
} from './rules';
import { addFen, svKeys, loadLine, loadProgram, loadRequest, raiseAlert, requireStatus, saveProgram } from './store';
import { BudgetLine, PaymentRequest, Program, RAILS } from './types';

const optBig = (x?: string) => (x === undefined ? undefined : BigInt(x));

/** Released or on its way (settled + pending) under the milestone caps. Wages come from their own account and never wait for a milestone. */
export const towardCaps = (p: Program): bigint => BigInt(p.settled.release ?? '0') + BigInt(p.pending.release ?? '0');

export const currentStage = (p: Program): string => p.attested[p.attested.length - 1] ?? '';

/** Gathers a release's facts from state and applies the pure rules. */
async function violations(
  ctx: LianjianContext,
  p: Program,
  line: BudgetLine,
  payee: Account | undefined,
  amount: bigint,
): Promise<{ v: Violation[]; source: Account }> {
  const owner = payee ? await memberByHandle(ctx, payee.owner, 'payee') : undefined;
  const source = await pickSource(ctx, p, 'supervised', amount);
  const day = await getJson<{ amount: string }>(ctx, svKeys.day(p.id, chinaDay(ctx.time())));
  const v = releaseViolations({
    amount,
    whitelisted: !!payee && line.payees.includes(payee.id),
    personal: !!owner && isIndividual(owner.roles),
    lineCap: BigInt(line.cap),
    lineUsed: BigInt(line.used),
    perPayment: optBig(p.limits.perPayment),
    personalPerPayment: optBig(p.limits.personalPerPayment),
    perDay: optBig(p.limits.perDay),
    dayUsed: BigInt(day?.amount ?? '0'),
    available: BigInt(source.balance),
    milestone: p.milestones.length
      ? {
          cap: milestoneCap(BigInt(p.keyAmount), p.milestones, p.attested, p.retentionBp),
          used: towardCaps(p),
          stage: currentStage(p),
        }
      : undefined,
  });
  return { v, source };
}

/** Marks a request rejected by the rules and records the alerts it carries. */
export async function rejectByRules(
  ctx: LianjianContext,
  p: Program,
  r: PaymentRequest,
  v: Violation[],
): Promise<void> {
  r.status = 'rejected';
  r.reasons = v.map(({ code, detail, field }) => ({ code, detail, field }));
  for (const x of v.filter((y) => y.alert))
    await raiseAlert(ctx, p, x.code, x.detail, { request: r.id, accounts: p.accounts.supervised ?? [] });
  ctx.emit({
    type: 'PaymentRejected',
    accounts: [],
    program: p.id,
    request: r.id,
    amount: r.amount,
    reasons: r.reasons.map((x) => x.code),
  });
}

/** Structuring: the third near-threshold payment within the window raises an alert (the request itself proceeds). */
async function watchStructuring(ctx: LianjianContext, p: Program, r: PaymentRequest, amount: bigint): Promise<void> {
  const t = p.limits.approvalThreshold ?? p.limits.perPayment;
  if (t === undefined || !nearThreshold(amount, BigInt(t))) return;
  const now = ctx.time();
  const since = new Date(now.getTime() - STRUCTURING.windowDays * 86400000).toISOString();
  const recent = await listJson<unknown>(ctx, [svKeys.near(p.id, since, ''), svKeys.near(p.id, '~', '')]);
  await putJson(ctx, svKeys.near(p.id, now.toISOString(), r.id), { request: r.id, amount: r.amount });
  if (isStructuring(recent.length, amount, BigInt(t))) {
    await raiseAlert(
      ctx,
      p,
      'STRUCTURING',
      `${recent.length + 1} payments within ${STRUCTURING.windowDays} days just below the threshold of ${t} fen`,
      { request: r.id, accounts: p.accounts.supervised ?? [] },
    );
  }
}

export interface ReleaseAsk {
  program: string;
  requestId: string;
  line: string;
  payee: string; // account id
  amount: string;
  purpose: string;
  rail: string; // '' = bank
}

/** 用款申请: the supervised party asks for a release; rules run now and again at the last approval. */
export async function requestPayment(ctx: LianjianContext, ask: ReleaseAsk): Promise<PaymentRequest> {
  const { program: programId, requestId, line: lineId, payee: payeeId, amount, purpose, rail } = ask;
  const p = await loadProgram(ctx, programId);
  const me = await requireParty(ctx, p);
  requireId(requestId, 'requestId');
  const value = parseFen(amount, 'amount');
  requireText(purpose, 'purpose', 256);
  const rl = requireOneOf(rail || 'bank', RAILS, 'rail');
  const prev = await getJson<PaymentRequest>(ctx, svKeys.request(p.id, requestId));
  if (prev) {
    if (
      prev.kind === 'release' &&
      prev.line === lineId &&
      prev.payee === payeeId &&
      prev.amount === fen(value) &&
      prev.purpose === purpose &&
      prev.rail === rl
    )
      return prev;
    throw conflict(`request ${requestId} exists with other values`, 'IDEMPOTENCY_CONFLICT', 'requestId');
  }
  requireStatus(p, 'active');
  const line = await loadLine(ctx, p, lineId, 'line');
  // Only whitelisted payees are read: a party learns nothing of other accounts from a refusal.
  requireId(payeeId, 'payee');
  const payee = line.payees.includes(payeeId) ? await readAccount(ctx, payeeId, 'payee') : undefined;
  const r: PaymentRequest = {
    program: p.id,
    id: requestId,
    kind: 'release',
    line: line.id,
    payee: payeeId,
    amount: fen(value),
    purpose,
    rail: rl,
    requestedBy: me.handle,
    requestedAt: ctx.time().toISOString(),
    required: requiredApprovals(p.policy, value, optBig(p.limits.approvalThreshold)),
    approvals: [],
    status: 'pending_approval',
    reasons: [],
    instructions: [],
    settledAmount: '0',
    failedAmount: '0',
    txId: ctx.stub.getTxID(),
  };
  await watchStructuring(ctx, p, r, value);
  const { v } = await violations(ctx, p, line, payee, value);
  if (v.length) await rejectByRules(ctx, p, r, v);
  else
    ctx.emit({
      type: 'PaymentRequested',
      program: p.id,
      accounts: [payeeId],
      request: r.id,
      line: line.id,
      amount: r.amount,
      required: r.required,
    });
  await putJson(ctx, svKeys.request(p.id, r.id), r);
  await saveProgram(ctx, p);
  return r;
}

/** One named approver's decision, once per (request, approver); the last needed approval executes the release. */
export async function decide(
  ctx: LianjianContext,
  programId: string,
  requestId: string,
  decision: 'approve' | 'reject',
  comment: string,
): Promise<PaymentRequest> {
  const me = await ctx.requireRole(...ROLES);
  const p = await programFor(ctx, me, programId);
  if (!p.policy.approvers.includes(me.handle))
    throw forbidden(`${me.handle} is not a named approver of program ${p.id}`, 'NOT_APPROVER', 'requestId');
  const r = await loadRequest(ctx, p, requestId);
  requireText(comment, 'comment', 512, decision === 'approve');
  const mine = r.approvals.find((a) => a.approver === me.handle);
  if (mine) {
    if (mine.decision === decision) return r;
    throw conflict(
      `${me.handle} already decided '${mine.decision}' on request ${r.id}`,
      'ALREADY_DECIDED',
      'requestId',
    );
  }
  if (r.status !== 'pending_approval')
    throw rejected(`request ${r.id} is ${r.status}`, 'REQUEST_NOT_PENDING', 'requestId');
  requireStatus(p, 'active');
  r.approvals.push({
    approver: me.handle,
    decision,
    comment,
    time: ctx.time().toISOString(),
    txId: ctx.stub.getTxID(),
  });
  if (decision === 'reject') {
    r.status = 'rejected';
    r.reasons = [{ code: 'REJECTED_BY_APPROVER', detail: `${me.handle}: ${comment}` }];
    ctx.emit({
      type: 'PaymentRejected',
      accounts: [],
      program: p.id,
      request: r.id,
      amount: r.amount,
      reasons: ['REJECTED_BY_APPROVER'],
      by: me.handle,
    });
  } else {
    ctx.emit({
      type: 'PaymentApproved',
      accounts: [],
      program: p.id,
      request: r.id,
      approver: me.handle,
      approvals: r.approvals.length,
      required: r.required,
    });
    if (r.approvals.length >= r.required) await execute(ctx, p, r);
  }
  await putJson(ctx, svKeys.request(p.id, r.id), r);
  await saveProgram(ctx, p);
  return r;
}

/** Re-checks every rule against current state, then moves the funds and instructs the payout(s). */
async function execute(ctx: LianjianContext, p: Program, r: PaymentRequest): Promise<void> {
  const value = BigInt(r.amount);
  let instr;
  if (r.kind === 'release') {
    const line = await loadLine(ctx, p, r.line);
    const payee = await readAccount(ctx, r.payee, 'payee');
    const { v, source } = await violations(ctx, p, line, payee, value);
    if (v.length) return rejectByRules(ctx, p, r, v);
    instr = await instruct(ctx, p, {
      kind: 'release',
      ref: r.id,
      source,
      payees: [{ account: payee, amount: value }],
      rail: r.rail,
    });
    line.used = addFen(line.used, value);
    await putJson(ctx, svKeys.line(p.id, line.id), line);
    // The per-day limit counts releases by the day their funds moved.
    r.day = chinaDay(ctx.time());
    const d = await getJson<{ amount: string }>(ctx, svKeys.day(p.id, r.day));
    await putJson(ctx, svKeys.day(p.id, r.day), { amount: addFen(d?.amount, value) });
    r.stage = currentStage(p);
  } else {
    const { v, source, payees } = await wageViolations(ctx, p, r);
    if (v.length) return rejectByRules(ctx, p, r, v);
    instr = await instruct(ctx, p, { kind: 'wages', ref: r.id, source, payees, rail: r.rail });
  }
  r.instructions = instr.map((i) => i.id);
  r.status = 'instructed';
}
