/** Who asks for a program's money and which of its accounts pays: shared by releases and wage sheets. */
import type { LianjianContext, Member } from '../core/context';
import { Account, readAccount } from '../core/lots';
import { rejected } from '../lib/errors';
import { refuse } from './access';
import type { Program } from './types';

export async function requireParty(ctx: LianjianContext, p: Program): Promise<Member> {
  const me = await ctx.requireRole('enterprise', 'merchant', 'consumer', 'bank');
  if (me.handle !== p.party)
    throw refuse(me, p, 'NOT_PROGRAM_PARTY', `only the supervised party ${p.party} requests payments`);
  return me;
}

/** The first usable account of `role` holding at least `amount` (or the richest, to report what is there). */
export async function pickSource(
  ctx: LianjianContext,
  p: Program,
  role: 'supervised' | 'wage' | 'deposit',
  amount: bigint,
): Promise<Account> {
  const ids = p.accounts[role] ?? [];
  if (ids.length === 0)
    throw rejected(`program ${p.id} has no ${role} account`, `NO_${role.toUpperCase()}_ACCOUNT`, 'program');
  const accts = (await Promise.all(ids.map((id) => readAccount(ctx, id)))).filter((a) => a.status === 'active');
  if (accts.length === 0)
    throw rejected(`every ${role} account of program ${p.id} is frozen or closed`, 'ACCOUNT_FROZEN', 'program');
  return (
    accts.find((a) => BigInt(a.balance) >= amount) ??
    accts.reduce((a, b) => (BigInt(b.balance) > BigInt(a.balance) ? b : a))
  );
}
