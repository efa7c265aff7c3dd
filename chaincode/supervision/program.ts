/** Program lifecycle: creation, accounts, budget lines, milestones, regulator status actions. */
import type { LianjianContext } from '../core/context';
import { memberByHandle } from '../core/identity';
import { accountFor } from '../core/access';
import { Account, readAccount, saveAccount } from '../core/lots';
import { getJson, key, putJson } from '../core/state';
import { conflict, forbidden, invalid, rejected } from '../lib/errors';
import { fen, parseFen } from '../lib/money';
import { parseJson, requireHex, requireId, requireOneOf, requireText } from '../lib/validate';
import { nextMilestone } from './rules';
import { parseSpec, specOf } from './spec';
import { svKeys, loadProgram, recordAction, requireStatus, saveProgram } from './store';
import { programFor, requireProgramRegulator } from './access';
import { ACCOUNT_ROLES, AccountRole, BudgetLine, Program, ProgramStatus } from './types';

export async function createProgram(ctx: LianjianContext, id: string, specJson: string): Promise<Program> {
  const reg = await ctx.requireRole('regulator');
  requireId(id, 'id');
  const spec = parseSpec(specJson);
  const prev = await getJson<Program>(ctx, svKeys.program(id));
  if (prev) {
    if (prev.regulator === reg.handle && JSON.stringify(specOf(prev)) === JSON.stringify(specOf(spec))) return prev;
    throw conflict(`program ${id} exists with other values`, 'IDEMPOTENCY_CONFLICT', 'id');
  }
  await memberByHandle(ctx, spec.party, 'party');
  for (const a of spec.policy.approvers) await memberByHandle(ctx, a, 'policy.approvers');
  const p: Program = {
    id,
    ...spec,
    regulator: reg.handle,
    regulatorOrg: reg.mspId,
    status: 'draft',
    accounts: {},
    attested: [],
    pending: {},
    settled: {},
    releasedByLine: {},
    releasedByMilestone: {},
    alertSeq: 0,
    actionSeq: 0,
    createdTx: ctx.stub.getTxID(),
    createdAt: ctx.time().toISOString(),
  };
  await saveProgram(ctx, p);
  await putJson(ctx, svKeys.byRegulator(reg.handle, id), { id });
  ctx.emit({
    type: 'ProgramCreated',
    accounts: [],
    program: id,
    scenario: p.scenario,
    regulator: reg.handle,
    party: p.party,
    bank: p.bank,
    keyAmount: p.keyAmount,
  });
  return p;
}

const ONE_PER_PROGRAM = ['payout', 'wage', 'deposit'];

/** Puts an account opened by the custodian bank under the program (Money:transfer then refuses it). */
export async function attachAccount(
  ctx: LianjianContext,
  programId: string,
  accountId: string,
  role: string,
): Promise<Program> {
  const me = await ctx.requireRole('regulator', 'bank');
  const p = await programFor(ctx, me, programId);
  const r = requireOneOf(role, ACCOUNT_ROLES, 'role');
  if (me.handle !== p.regulator && !(me.roles.includes('bank') && me.mspId === p.bank))
    throw forbidden(
      `only the program's regulator or its custodian bank ${p.bank} attaches accounts`,
      'NOT_PROGRAM_REGULATOR',
      'program',
    );
  const acct = await accountFor(ctx, me, accountId);
  if ((p.accounts[r] ?? []).includes(acct.id)) return p;
  requireStatus(p, 'draft', 'active', 'suspended');
  requireAttachable(p, acct, r);
  const list = p.accounts[r] ?? [];
  if (ONE_PER_PROGRAM.includes(r) && list.length > 0)
    throw conflict(`program ${p.id} already has a ${r} account`, 'ROLE_TAKEN', 'role');
  if (list.length >= 10) throw rejected('at most 10 accounts per role', 'TOO_MANY_ACCOUNTS', 'account');
  p.accounts[r] = [...list, acct.id];
  acct.program = p.id;
  await saveAccount(ctx, acct);
  await saveProgram(ctx, p);
  ctx.emit({ type: 'AccountAttached', program: p.id, accounts: [acct.id], role: r });
  return p;
}

/** An account fits a program role: free, kept by the custodian bank, of the role's kind, the party's (but payout), active. */
function requireAttachable(p: Program, acct: Account, r: AccountRole): void {
  if (acct.program)
    throw conflict(`account ${acct.id} is already under program ${acct.program}`, 'ACCOUNT_SUPERVISED', 'account');
  if (acct.bank !== p.bank)
    throw rejected(
      `account ${acct.id} is kept by ${acct.bank}, the custodian bank is ${p.bank}`,
      'WRONG_BANK',
      'account',
    );
  if (acct.kind !== r)
    throw rejected(
      `a ${r} account must be opened with kind '${r}', ${acct.id} is '${acct.kind}'`,
      'WRONG_ACCOUNT_KIND',
      'account',
    );
  if (r !== 'payout' && acct.owner !== p.party)
    throw rejected(
      `account ${acct.id} is owned by ${acct.owner}, not the supervised party`,
      'NOT_PARTY_ACCOUNT',
      'account',
    );
  if (acct.status !== 'active') throw rejected(`account ${acct.id} is ${acct.status}`, 'ACCOUNT_NOT_ACTIVE', 'account');
}

/** Sets a budget line (定向定额). Setting the same values again changes nothing; the cap never goes below what is used. */
export interface LineSpec {
  program: string;
  line: string;
  category: string;
  cap: string;
  payeesJson: string; // JSON array of account ids (定向)
}

export async function setBudgetLine(ctx: LianjianContext, l: LineSpec): Promise<BudgetLine> {
  const { program: programId, line: lineId, category, cap, payeesJson } = l;
  const p = await loadProgram(ctx, programId);
  await requireProgramRegulator(ctx, p);
  requireId(lineId, 'lineId');
  requireText(category, 'category', 128);
  const c = parseFen(cap, 'cap', false);
  const raw = parseJson<unknown>(payeesJson, 'payees');
  if (!Array.isArray(raw) || raw.length > 200)
    throw invalid('payees', 'payees must be a JSON array of at most 200 account ids');
  const payees = [...new Set(raw.map((x) => requireId(x, 'payees')))];
  for (const a of payees) await readAccount(ctx, a, 'payees');
  const prev = await getJson<BudgetLine>(ctx, svKeys.line(p.id, lineId));
  const line: BudgetLine = { program: p.id, id: lineId, category, cap: fen(c), payees, used: prev?.used ?? '0' };
  if (prev && JSON.stringify(prev) === JSON.stringify(line)) return prev;
  requireStatus(p, 'draft', 'active', 'suspended', 'frozen');
  if (c < BigInt(line.used))
    throw rejected(`line ${lineId} has already used ${line.used} fen`, 'CAP_BELOW_USED', 'cap');
  await putJson(ctx, svKeys.line(p.id, lineId), line);
  ctx.emit({ type: 'BudgetLineSet', accounts: [], program: p.id, line: lineId, category, cap: line.cap, payees });
  return line;
}

export async function activate(ctx: LianjianContext, programId: string): Promise<Program> {
  const p = await loadProgram(ctx, programId);
  const reg = await requireProgramRegulator(ctx, p);
  if (p.status === 'active') return p;
  requireStatus(p, 'draft');
  if (!p.accounts.payout?.length)
    throw rejected('attach a payout account (kind payout) first', 'NO_PAYOUT_ACCOUNT', 'program');
  if (!p.accounts.supervised?.length && !p.accounts.wage?.length)
    throw rejected('attach a supervised or wage account first', 'NO_SUPERVISED_ACCOUNT', 'program');
  if (p.scenario === 'migrant_wages' && !p.accounts.wage?.length)
    throw rejected('a migrant wages program needs its wage account', 'NO_WAGE_ACCOUNT', 'program');
  p.activatedAt = ctx.time().toISOString();
  return changeStatus(ctx, p, 'active', reg.handle, 'activated');
}

/** A milestone is reached by the program's regulator, or an oracle (bank or regulator org) with the evidence's SM3 hash. */
export async function attestMilestone(
  ctx: LianjianContext,
  programId: string,
  milestoneId: string,
  evidenceHash: string,
): Promise<Program> {
  const m = await ctx.requireRole('regulator', 'oracle');
  const p = await programFor(ctx, m, programId);
  const isReg = m.handle === p.regulator;
  if (!isReg && !(m.roles.includes('oracle') && (m.mspId === p.bank || m.mspId === p.regulatorOrg))) {
    throw forbidden(
      `only the program's regulator or an oracle of ${p.bank} or ${p.regulatorOrg} attests milestones`,
      'NOT_ATTESTER',
      'program',
    );
  }
  if (!isReg || evidenceHash) requireHex(evidenceHash, 'evidenceHash', 32);
  const ms = p.milestones.find((x) => x.id === requireId(milestoneId, 'milestoneId'));
  if (!ms) throw rejected(`program ${p.id} has no milestone ${milestoneId}`, 'MILESTONE_NOT_FOUND', 'milestoneId');
  const ak = key('sv', 'mst', p.id, ms.id);
  const prev = await getJson<{ evidenceHash: string }>(ctx, ak);
  if (prev) {
    if (prev.evidenceHash === evidenceHash) return p;
    throw conflict(`milestone ${ms.id} was attested with other evidence`, 'IDEMPOTENCY_CONFLICT', 'evidenceHash');
  }
  requireStatus(p, 'draft', 'active', 'suspended', 'frozen');
  const next = nextMilestone(p.milestones, p.attested);
  if (next?.id !== ms.id)
    throw rejected(`milestones are attested in order; next is ${next?.id}`, 'MILESTONE_OUT_OF_ORDER', 'milestoneId');
  await putJson(ctx, ak, {
    program: p.id,
    milestone: ms.id,
    evidenceHash,
    by: m.handle,
    time: ctx.time().toISOString(),
    txId: ctx.stub.getTxID(),
  });
  p.attested = [...p.attested, ms.id];
  await saveProgram(ctx, p);
  ctx.emit({
    type: 'MilestoneAttested',
    accounts: [],
    program: p.id,
    milestone: ms.id,
    capBp: ms.capBp,
    evidenceHash,
    by: m.handle,
  });
  return p;
}

const TRANSITIONS: Record<string, { from: ProgramStatus[]; to: ProgramStatus | 'before' }> = {
  freeze: { from: ['active', 'suspended'], to: 'frozen' },
  unfreeze: { from: ['frozen'], to: 'before' },
  suspend: { from: ['active'], to: 'suspended' },
  resume: { from: ['suspended'], to: 'active' },
};

/** freeze / unfreeze / suspend / resume: repeating one that already holds changes nothing. */
export async function regulatorAction(
  ctx: LianjianContext,
  action: keyof typeof TRANSITIONS,
  programId: string,
  reason: string,
): Promise<Program> {
  const p = await loadProgram(ctx, programId);
  const reg = await requireProgramRegulator(ctx, p);
  requireText(reason, 'reason', 512);
  const t = TRANSITIONS[action];
  const target = t.to === 'before' ? (p.statusBefore ?? 'active') : t.to;
  if (t.to !== 'before' && p.status === target) return p;
  if (t.to === 'before' && p.status !== 'frozen') return p;
  if (!t.from.includes(p.status))
    throw rejected(`cannot ${action} a ${p.status} program`, 'INVALID_TRANSITION', 'program');
  if (target === 'frozen') p.statusBefore = p.status;
  return changeStatus(ctx, p, target, reg.handle, reason);
}

async function changeStatus(
  ctx: LianjianContext,
  p: Program,
  to: ProgramStatus,
  by: string,
  reason: string,
): Promise<Program> {
  const from = p.status;
  p.status = to;
  if (to !== 'frozen') delete p.statusBefore;
  await recordAction(ctx, p, `status:${to}`, by, { from, reason });
  await saveProgram(ctx, p);
  ctx.emit({
    type: 'ProgramStatusChanged',
    program: p.id,
    accounts: Object.values(p.accounts)
      .flat<Array<string[] | undefined>>()
      .filter((x): x is string => !!x),
    from,
    to,
    by,
    reason,
  });
  return p;
}

/** Closes with the final report's hash; accounts leave supervision. Needs no payout outstanding. */
export async function closeProgram(
  ctx: LianjianContext,
  programId: string,
  reportHash: string,
  finalReport: () => Promise<unknown>,
): Promise<Program> {
  const p = await loadProgram(ctx, programId);
  const reg = await requireProgramRegulator(ctx, p);
  requireHex(reportHash, 'reportHash', 32);
  if (p.status === 'closed') {
    if (p.reportHash === reportHash) return p;
    throw conflict(`program ${p.id} was closed with another report`, 'IDEMPOTENCY_CONFLICT', 'reportHash');
  }
  const outstanding = Object.values(p.pending).reduce((s, x) => s + BigInt(x ?? '0'), 0n);
  if (outstanding > 0n)
    throw rejected(`${outstanding} fen of payouts are still outstanding`, 'PAYOUTS_OUTSTANDING', 'program');
  const ids = Object.values(p.accounts)
    .flat<Array<string[] | undefined>>()
    .filter((x): x is string => !!x);
  const accounts = await Promise.all(ids.map((id) => readAccount(ctx, id)));
  const held = accounts.reduce((s, a) => s + BigInt(a.balance), 0n);
  if (held > 0n)
    throw rejected(
      `the program's accounts still hold ${held} fen; release, refund or pay it out before closing`,
      'PROGRAM_NOT_EMPTY',
      'program',
    );
  await putJson(ctx, key('sv', 'final', p.id), { report: await finalReport(), reportHash, txId: ctx.stub.getTxID() });
  for (const a of accounts) {
    delete a.program;
    await saveAccount(ctx, a);
  }
  p.reportHash = reportHash;
  return changeStatus(ctx, p, 'closed', reg.handle, `final report ${reportHash}`);
}
