/** Shared setup for bill scenarios: accounts with money, a clock set by China date, issuance. */
import { handleOf, Harness } from '../support/harness';

/** 10:00 in Beijing on `date` (02:00 UTC). */
export const at = (date: string): string => `${date}T02:00:00Z`;

export const H = { ent1: handleOf('ent1'), ent2: handleOf('ent2'), bank1: handleOf('bank1') };
export const A = { ent1: 'bl-ent1', ent2: 'bl-ent2', bank1: 'bl-bank1' };

export async function setup(): Promise<Harness> {
  const h = await Harness.create();
  h.setTime(at('2025-01-15'));
  for (const who of ['ent1', 'ent2', 'bank1'] as const) await h.openAccount(A[who], who);
  await h.deposit(A.ent1, 10_000_000_000n);
  await h.deposit(A.bank1, 10_000_000_000n);
  await h.deposit(A.ent2, 1_000_000_000n);
  return h;
}

export interface IssueOpts {
  amount?: string;
  acceptor?: 'ent1' | 'bank1';
  nonTransferable?: boolean;
  splittable?: boolean;
  issueDate?: string;
  maturity?: string;
}

/** ent1 draws on `acceptor` to ent2: 出票登记 → 提示承兑 → 承兑 → 提示收票 → 签收. */
export async function issue(h: Harness, pkg: string, o: IssueOpts = {}): Promise<void> {
  const acceptor = o.acceptor ?? 'ent1';
  await register(h, pkg, o);
  await h.submit('ent1', 'Bills:presentAcceptance', h.uid(), pkg);
  await h.submit(acceptor, 'Bills:sign', h.uid(), pkg, '1', 'accept', A[acceptor]);
  await h.submit('ent1', 'Bills:presentReceipt', h.uid(), pkg);
  await h.submit('ent2', 'Bills:sign', h.uid(), pkg, '1', 'receive', A.ent2);
}

export function registerArgs(pkg: string, o: IssueOpts = {}): string[] {
  const acceptor = o.acceptor ?? 'ent1';
  return [
    pkg,
    H[acceptor],
    acceptor === 'bank1' ? 'bank' : 'enterprise',
    H.ent2,
    o.amount ?? '100000',
    o.issueDate ?? '2025-01-15',
    o.maturity ?? '2025-07-15',
    String(o.nonTransferable ?? false),
    String(o.splittable ?? true),
    A.ent1,
  ];
}

export const register = (h: Harness, pkg: string, o: IssueOpts = {}): Promise<any> =>
  h.submit('ent1', 'Bills:register', ...registerArgs(pkg, o));

/** The package map as [start, end, holder, state] rows, asserting the cover invariant. */
export async function map(h: Harness, pkg: string): Promise<Array<[number, number, string, string]>> {
  const m = await h.evaluate('regulator1', 'Bills:packageMap', pkg);
  if (m.coverProblem !== null) throw new Error(`cover broken: ${m.coverProblem}`);
  return m.ranges.map((r: any) => [r.start, r.end, r.holder.split(':')[1], r.state]);
}
