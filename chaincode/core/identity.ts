/**
 * Identity: an on-chain registry of orgs and members, the same on the embedded engine and on
 * Fabric. A caller is (MSP id, X.509 id); roles come from this registry, never from the
 * certificate, so both engines decide roles identically. Governance:
 * - genesis: org admins register orgs until the first regulator member exists; after that
 *   only a regulator registers orgs;
 * - an org's admin registers its own members, with roles the org is allowed to grant.
 */
import { Transaction } from 'fabric-contract-api';
import { conflict, forbidden, invalid, notFound } from '../lib/errors';
import { requireHex, requireOneOf, requireText, parseJson } from '../lib/validate';
import { LianjianContext, LianjianContract, Member, memberKey, Role, ROLES } from './context';
import { getJson, key, listJson, putJson, range } from './state';

export interface Org {
  mspId: string;
  name: string;
  roles: Role[]; // roles its admin may grant
}

const MSP_RE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function parseRoles(json: string, field: string): Role[] {
  const roles = parseJson<unknown>(json, field);
  if (!Array.isArray(roles) || roles.length === 0)
    throw invalid(field, `${field} must be a non-empty JSON array of roles`);
  return [...new Set(roles.map((r) => requireOneOf(r, ROLES, field)))];
}

/** Looks a member up by handle (`mspId:name`). */
export async function memberByHandle(ctx: LianjianContext, handle: string, field = 'member'): Promise<Member> {
  const mk = await getJson<{ key: string }>(ctx, key('handle', handle));
  const m = mk && (await getJson<Member>(ctx, mk.key));
  if (!m) throw notFound(field, `no member ${handle}`, 'MEMBER_NOT_FOUND');
  return m;
}

export class IdentityContract extends LianjianContract {
  constructor() {
    super('Identity');
  }

  /** Registers an org and the roles its admin may grant. Genesis: first org by any admin. */
  @Transaction()
  async registerOrg(ctx: LianjianContext, mspId: string, name: string, rolesJson: string): Promise<string> {
    if (!MSP_RE.test(mspId)) throw invalid('mspId', 'mspId must be 1-64 letters, digits, dots or dashes', 'INVALID_ID');
    requireText(name, 'name', 128);
    const roles = parseRoles(rolesJson, 'roles');
    if (await getJson(ctx, key('genesis', 'sealed'))) await ctx.requireRole('regulator');
    else if (!ctx.isOrgAdmin()) throw forbidden('during genesis orgs are registered by an org admin', 'ADMIN_REQUIRED');
    const prev = await getJson<Org>(ctx, key('org', mspId));
    const org: Org = { mspId, name, roles };
    if (prev && JSON.stringify(prev) === JSON.stringify(org)) return JSON.stringify(org);
    await putJson(ctx, key('org', mspId), org);
    ctx.emit({ type: 'OrgRegistered', mspId, roles });
    return JSON.stringify(org);
  }

  /** An org admin registers a member of its own org. Replaying the same registration is a no-op. */
  @Transaction()
  async registerMember(
    ctx: LianjianContext,
    x509Id: string,
    name: string,
    rolesJson: string,
    publicKey: string,
  ): Promise<string> {
    const mspId = ctx.clientIdentity.getMSPID();
    if (!ctx.isOrgAdmin()) throw forbidden(`only an admin of ${mspId} registers its members`, 'ADMIN_REQUIRED');
    const org = await getJson<Org>(ctx, key('org', mspId));
    if (!org) throw notFound('mspId', `org ${mspId} is not registered`, 'ORG_NOT_FOUND');
    requireText(x509Id, 'x509Id', 1024);
    if (!x509Id.startsWith('x509::'))
      throw invalid('x509Id', "x509Id must be a Fabric client id 'x509::<subject>::<issuer>'");
    if (!NAME_RE.test(name))
      throw invalid('name', 'name must be 1-64 letters, digits, dots, dashes or underscores', 'INVALID_ID');
    const roles = parseRoles(rolesJson, 'roles');
    const denied = roles.filter((r) => !org.roles.includes(r));
    if (denied.length) throw forbidden(`org ${mspId} may not grant ${denied.join(', ')}`, 'ROLE_NOT_ALLOWED', 'roles');
    if (publicKey) requireHex(publicKey, 'publicKey', 65);
    const handle = `${mspId}:${name}`;
    const mk = memberKey(mspId, x509Id);
    const byHandle = await getJson<{ key: string }>(ctx, key('handle', handle));
    if (byHandle && byHandle.key !== mk) throw conflict(`member name ${handle} is taken`, 'MEMBER_EXISTS', 'name');
    const prev = await getJson<Member>(ctx, mk);
    if (prev && prev.handle !== handle)
      throw conflict(`this certificate is already registered as ${prev.handle}`, 'MEMBER_EXISTS', 'x509Id');
    const member: Member = {
      handle,
      mspId,
      x509Id,
      name,
      roles,
      ...(publicKey ? { publicKey } : {}),
      registeredTx: prev?.registeredTx ?? ctx.stub.getTxID(),
    };
    if (prev && JSON.stringify(prev) === JSON.stringify(member)) return JSON.stringify(member);
    await putJson(ctx, mk, member);
    await putJson(ctx, key('handle', handle), { key: mk });
    if (roles.includes('regulator')) await putJson(ctx, key('genesis', 'sealed'), { by: handle });
    ctx.emit({ type: 'MemberRegistered', handle, roles });
    return JSON.stringify(member);
  }

  /** The caller's own member record. */
  @Transaction(false)
  async whoami(ctx: LianjianContext): Promise<string> {
    const m = await ctx.caller();
    if (!m) throw notFound('caller', `caller ${ctx.clientIdentity.getMSPID()} is not registered`, 'NOT_REGISTERED');
    return JSON.stringify(m);
  }

  @Transaction(false)
  async getMember(ctx: LianjianContext, handle: string): Promise<string> {
    return JSON.stringify(await memberByHandle(ctx, handle, 'handle'));
  }

  @Transaction(false)
  async listOrgs(ctx: LianjianContext): Promise<string> {
    return JSON.stringify(await listJson<Org>(ctx, range('org')));
  }
}
