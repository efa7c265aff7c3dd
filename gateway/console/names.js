// People's names instead of handles and ids: members' display names (户名) from the registry,
// org names, and account holders as the chain's reads name them. Cached for the session tab.
import { get } from './api.js';

const members = new Map(); // handle → Promise<member | undefined>
let orgs; // Promise<Map<mspId, name>>
const holders = new Map(); // account id → {name, org, orgName, kind}

/** The registry record of a member (display name, roles, public key), or undefined. */
export function member(handle) {
  if (!handle) return Promise.resolve(undefined);
  if (!members.has(handle))
    members.set(
      handle,
      get(`/v1/members/${encodeURIComponent(handle)}`).catch(() => undefined),
    );
  return members.get(handle);
}

/** A member's display name, else its handle's name part. */
export async function nameOf(handle) {
  const m = await member(handle);
  return m?.displayName ?? (handle ? handle.slice(handle.indexOf(':') + 1) : '—');
}

/** Display names of many handles at once: {handle: name}. */
export async function namesOf(handles) {
  const list = [...new Set(handles.filter(Boolean))];
  const names = await Promise.all(list.map(nameOf));
  return Object.fromEntries(list.map((handle, i) => [handle, names[i]]));
}

/** Registered org names by MSP id. */
export async function orgNames() {
  orgs ??= get('/v1/orgs')
    .then((list) => new Map(list.map((o) => [o.mspId, o.name])))
    .catch(() => new Map());
  return orgs;
}
export async function orgName(mspId) {
  return (await orgNames()).get(mspId) ?? mspId;
}

/** Remembers holders a read returned (a program: {account: {name, org, orgName}}). */
export function learnHolders(map) {
  for (const [id, holder] of Object.entries(map ?? {})) holders.set(id, holder);
}

/** Remembers the holder names a trace returned ({account: {holderName, holderOrg}}, only accounts the caller may see). */
export async function learnTraceNames(names) {
  for (const [id, n] of Object.entries(names ?? {}))
    holders.set(id, { name: n.holderName, org: n.holderOrg, orgName: await orgName(n.holderOrg) });
}
/** What we know of an account's holder (name, org) from earlier reads, or undefined. */
export const holderOf = (account) => holders.get(account);

/** 户名 of an account the caller reads: the account's own holder name, else its owner's display name. */
export async function accountHolder(account) {
  const known = holders.get(account.id);
  if (known) return known;
  const name =
    typeof account.holderName === 'string' && account.holderName ? account.holderName : await nameOf(account.owner);
  const org =
    typeof account.holderOrg === 'string' && account.holderOrg
      ? account.holderOrg
      : String(account.owner).split(':')[0];
  const holder = { account: account.id, name, org, orgName: await orgName(org), kind: account.kind };
  holders.set(account.id, holder);
  return holder;
}

export function forgetNames() {
  members.clear();
  holders.clear();
  orgs = undefined;
}

/** The Chinese part of a bilingual name ('闽建地产 Minjian Property' → '闽建地产'), else the whole name. */
export function zhPart(name) {
  const m = /[\u3400-\u9fff][\u3400-\u9fff\u3000-\u303f\uff00-\uffef·（）()0-9]*/.exec(String(name ?? ''));
  return m ? m[0].trim() : String(name ?? '');
}
