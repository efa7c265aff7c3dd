/**
 * Who holds an account, as people read it: the holder's display name (户名) and org. Read
 * defensively: an account may carry its own `holderName` / `holderOrg`; otherwise the owner's
 * registered display name, else the owner's handle. Callers decide who may learn it (a trace,
 * a program the caller may read): this file only reads.
 */
import type { Member } from './member';
import { memberKey } from './member';
import type { Account } from './lots';
import { accountKey } from './lots';
import type { LianjianContext } from './context';
import { getJson, key } from './state';

export interface Holder {
  account: string;
  /** 户名: the holder's display name. */
  name: string;
  /** The holder's org (MSP id) and its registered name. */
  org: string;
  orgName?: string;
  kind: string;
}

/** What an account may carry about its holder beyond `owner` (added by the money core over time). */
type NamedAccount = Account & { holderName?: unknown; holderOrg?: unknown };

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/**
 * The holders of `accounts` by account id; ids with no account are left out.
 * @throws nothing of its own (state reads only)
 */
export async function holdersOf(ctx: LianjianContext, accounts: Iterable<string>): Promise<Record<string, Holder>> {
  const out: Record<string, Holder> = {};
  const members = new Map<string, Member | undefined>();
  const orgNames = new Map<string, string | undefined>();
  for (const id of new Set(accounts)) {
    const account = await getJson<NamedAccount>(ctx, accountKey(id));
    if (!account) continue;
    if (!members.has(account.owner)) members.set(account.owner, await getJson<Member>(ctx, memberKey(account.owner)));
    const org = text(account.holderOrg) ?? account.owner.split(':')[0];
    if (!orgNames.has(org)) orgNames.set(org, (await getJson<{ name?: string }>(ctx, key('org', org)))?.name);
    out[id] = {
      account: id,
      name: text(account.holderName) ?? members.get(account.owner)?.displayName ?? account.owner,
      org,
      ...(orgNames.get(org) ? { orgName: orgNames.get(org) } : {}),
      kind: account.kind,
    };
  }
  return out;
}

/** Account ids named by trace nodes: lots `account/color`, colors `dep:<account>`, deposit and withdrawal nodes. */
export function accountsInNodes(nodes: Iterable<string>): string[] {
  const ids = new Set<string>();
  for (const node of nodes) {
    const slash = node.indexOf('/');
    if (slash > 0) {
      ids.add(node.slice(0, slash));
      const color = node.slice(slash + 1);
      if (color.startsWith('dep:')) ids.add(color.slice(4));
    }
  }
  return [...ids];
}
