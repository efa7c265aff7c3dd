/** Reports: per program (where every fen of it is) and per regulator (all its programs). */
import type { LianjianContext } from '../core/context';
import { readAccount } from '../core/lots';
import { listJson, range } from '../core/state';
import { fen } from '../lib/money';
import { towardCaps } from './release';
import { milestoneCap, milestoneCapBp, shareOf } from './rules';
import { OffChainDebit, offChainDebits } from './off-chain';
import type { BudgetLine, Program } from './types';

const sum = (xs: Array<string | undefined>) => xs.reduce((s, x) => s + BigInt(x ?? '0'), 0n);

export interface ProgramReport {
  program: string;
  status: string;
  scenario: string;
  keyAmount: string;
  deposited: string; // everything that reached the program's accounts, net of failed payouts
  held: string; // supervised accounts
  available: string; // releasable now under the milestone caps
  retained: string; // held but not releasable yet
  pending: string; // in the payout account, awaiting the bank's confirmation
  released: string; // settled releases + wages
  refunded: string;
  byKind: Record<string, string>;
  releasedByLine: Record<string, string>;
  releasedByMilestone: Record<string, string>;
  milestone: { attested: string[]; capBp: number; cap: string } | null;
  lines: Array<{ id: string; category: string; cap: string; used: string; remaining: string }>;
  wage?: { held: string; depositRequired?: string; depositHeld: string };
  alerts: number;
  /** The program's accounts with their holders' names (户名), by role. */
  accounts: Array<{ id: string; role: string; holderName: string; holderOrg: string; balance: string }>;
  /** Book entries that moved supervised money without an approved release (chaincode/supervision/off-chain.ts). */
  offChain: { open: number; amount: string; entries: OffChainDebit[] };
}

export async function programReport(ctx: LianjianContext, p: Program): Promise<ProgramReport> {
  const accounts = [];
  for (const [role, ids] of Object.entries(p.accounts))
    for (const id of ids ?? []) {
      const a = await readAccount(ctx, id);
      accounts.push({ id, role, holderName: a.holderName, holderOrg: a.holderOrg, balance: a.balance });
    }
  const entries = await offChainDebits(ctx, p);
  const open = entries.filter((e) => e.status === 'open');
  const bal = async (role: keyof Program['accounts']) =>
    sum(await Promise.all((p.accounts[role] ?? []).map(async (id) => (await readAccount(ctx, id)).balance)));
  const [held, wageHeld, depositHeld, payoutHeld] = [
    await bal('supervised'),
    await bal('wage'),
    await bal('deposit'),
    await bal('payout'),
  ];
  const settled = sum(Object.values(p.settled));
  const capBp = milestoneCapBp(p.milestones, p.attested, p.retentionBp);
  const cap = milestoneCap(BigInt(p.keyAmount), p.milestones, p.attested, p.retentionBp);
  let available = held;
  if (p.milestones.length) {
    const room = cap - towardCaps(p);
    available = room <= 0n ? 0n : room < held ? room : held;
  }
  const lines = await listJson<BudgetLine>(ctx, range('sv', 'line', p.id));
  const byKind: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.settled)) byKind[k] = v ?? '0';
  return {
    program: p.id,
    status: p.status,
    scenario: p.scenario,
    keyAmount: p.keyAmount,
    deposited: fen(held + wageHeld + depositHeld + payoutHeld + settled),
    held: fen(held),
    available: fen(available),
    retained: fen(held - available),
    pending: fen(payoutHeld),
    released: fen(sum([p.settled.release, p.settled.wages])),
    refunded: fen(sum([p.settled.refund])),
    byKind,
    releasedByLine: p.releasedByLine,
    releasedByMilestone: p.releasedByMilestone,
    milestone: p.milestones.length ? { attested: p.attested, capBp, cap: fen(cap) } : null,
    lines: lines.map((l) => ({
      id: l.id,
      category: l.category,
      cap: l.cap,
      used: l.used,
      remaining: fen(BigInt(l.cap) - BigInt(l.used)),
    })),
    ...(p.accounts.wage || p.accounts.deposit
      ? {
          wage: {
            held: fen(wageHeld),
            depositHeld: fen(depositHeld),
            ...(p.contractValue ? { depositRequired: fen(shareOf(BigInt(p.contractValue), p.depositBp ?? 0)) } : {}),
          },
        }
      : {}),
    alerts: p.alertSeq,
    accounts,
    offChain: { open: open.length, amount: fen(sum(open.map((e) => e.amount))), entries },
  };
}

export async function regulatorPrograms(ctx: LianjianContext, regulator: string): Promise<string[]> {
  return (await listJson<{ id: string }>(ctx, range('sv', 'byreg', regulator))).map((x) => x.id);
}
