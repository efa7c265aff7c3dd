/**
 * Identity: the on-chain registry of orgs and members, the same on every engine. A member is
 * its handle (`mspId:name`), roles and its own SM2 public key; the private key never leaves the
 * member. Roles come from this registry, never from a certificate. Governance:
 * - genesis: each org's MSP admin credential registers its org with the org's first admin member,
 *   until the first regulator exists; after that only a regulator registers orgs;
 * - an org's admin members register and revoke the org's members, with roles the org may grant.
 */
import { Returns, Transaction } from 'fabric-contract-api';
import './models';
import { conflict, forbidden, invalid, notFound } from '../lib/errors';
import { parseJson, requireHex, requireOneOf, requireText } from '../lib/validate';
import { LianjianContext, LianjianContract, Member, memberKey, Role, ROLES } from './context';
import { getJson, key, listJson, putJson, range } from './state';

export interface Org {
  mspId: string;
  name: string;
  /** Roles its admins may grant. */
  roles: Role[];
}

const MSP_RE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ISO_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function parseRoles(json: string, field: string, allowEmpty: boolean): Role[] {
  const roles = parseJson<unknown>(json, field);
  if (!Array.isArray(roles) || (!allowEmpty && roles.length === 0)) {
    throw invalid(field, `${field} must be a ${allowEmpty ? '' : 'non-empty '}JSON array of roles`);
  }
  return [...new Set(roles.map((r) => requireOneOf(r, ROLES, field)))];
}

/**
 * Looks a member up by handle (`mspId:name`).
 * @throws LedgerError 404 MEMBER_NOT_FOUND
 */
export async function memberByHandle(ctx: LianjianContext, handle: string, field = 'member'): Promise<Member> {
  const member = await getJson<Member>(ctx, memberKey(handle));
  if (!member) throw notFound(field, `no member ${handle}`, 'MEMBER_NOT_FOUND');
  return member;
}

const sealedKey = key('genesis', 'sealed');

/** Writes a member record unless the same one is there; the name must be free or its own. */
async function saveMember(ctx: LianjianContext, member: Member): Promise<Member> {
  const prior = await getJson<Member>(ctx, memberKey(member.handle));
  if (prior?.status === 'revoked') throw conflict(`member ${member.handle} was revoked`, 'MEMBER_REVOKED', 'name');
  if (prior && prior.publicKey !== member.publicKey) {
    throw conflict(`member name ${member.handle} is taken`, 'MEMBER_EXISTS', 'name');
  }
  const record: Member = { ...member, registeredTx: prior?.registeredTx ?? member.registeredTx };
  if (prior && JSON.stringify(prior) === JSON.stringify(record)) return prior;
  await putJson(ctx, memberKey(member.handle), record);
  if (record.roles.includes('regulator')) await putJson(ctx, sealedKey, { by: record.handle });
  ctx.emit({ type: 'MemberRegistered', handle: record.handle, roles: record.roles, admin: record.admin });
  return record;
}

/** The only writes an org's MSP admin credential submits without a member intent (genesis). */
export const UNSIGNED_WRITES = ['Identity:registerOrg'];

export class IdentityContract extends LianjianContract {
  protected override readonly unsignedWrites = ['registerOrg'];

  constructor() {
    super('Identity');
  }

  /**
   * Registers an org, the roles its admins may grant, and its first admin member (name and SM2
   * public key). During genesis the org's own MSP admin credential submits it; afterwards a
   * regulator signs it. Replaying the same registration changes nothing.
   */
  @Transaction()
  @Returns('OrgRecord')
  async registerOrg(
    ctx: LianjianContext,
    mspId: string,
    name: string,
    rolesJson: string,
    adminName: string,
    adminPublicKey: string,
  ): Promise<string> {
    if (!MSP_RE.test(mspId)) throw invalid('mspId', 'mspId must be 1-64 letters, digits, dots or dashes', 'INVALID_ID');
    requireText(name, 'name', 128);
    const roles = parseRoles(rolesJson, 'roles', false);
    if (!NAME_RE.test(adminName)) throw invalid('admin.name', 'admin.name must be a member name', 'INVALID_ID');
    requireHex(adminPublicKey, 'admin.publicKey', 65);
    if (await getJson(ctx, sealedKey)) await ctx.requireRole('regulator');
    else if (!(await ctx.caller()) && !(ctx.isOrgAdmin() && ctx.clientIdentity.getMSPID() === mspId)) {
      throw forbidden(`during genesis ${mspId} is registered by its own MSP admin`, 'ADMIN_REQUIRED');
    }
    const org: Org = { mspId, name, roles };
    const prior = await getJson<Org>(ctx, key('org', mspId));
    if (!prior || JSON.stringify(prior) !== JSON.stringify(org)) {
      await putJson(ctx, key('org', mspId), org);
      ctx.emit({ type: 'OrgRegistered', mspId, roles });
    }
    await saveMember(ctx, {
      handle: `${mspId}:${adminName}`,
      mspId,
      name: adminName,
      roles: [],
      publicKey: adminPublicKey,
      admin: true,
      status: 'active',
      registeredTx: ctx.stub.getTxID(),
    });
    return JSON.stringify(org);
  }

  /**
   * An org admin registers a member of its own org with the member's own public key (the member
   * made the key and keeps the private half). Replaying the same registration is a no-op.
   */
  @Transaction()
  @Returns('MemberRecord')
  async registerMember(
    ctx: LianjianContext,
    name: string,
    rolesJson: string,
    publicKey: string,
    admin: string,
    validUntil: string,
    displayName: string,
  ): Promise<string> {
    const me = await ctx.requireOrgAdmin();
    const org = await getJson<Org>(ctx, key('org', me.mspId));
    if (!org) throw notFound('mspId', `org ${me.mspId} is not registered`, 'ORG_NOT_FOUND');
    if (!NAME_RE.test(name))
      throw invalid('name', 'name must be 1-64 letters, digits, dots, dashes or underscores', 'INVALID_ID');
    const roles = parseRoles(rolesJson, 'roles', admin === 'true');
    const denied = roles.filter((r) => !org.roles.includes(r));
    if (denied.length)
      throw forbidden(`org ${me.mspId} may not grant ${denied.join(', ')}`, 'ROLE_NOT_ALLOWED', 'roles');
    requireHex(publicKey, 'publicKey', 65);
    if (!/^04[0-9a-fA-F]{128}$/.test(publicKey)) throw invalid('publicKey', 'publicKey must be an SM2 key 04||x||y');
    if (admin !== 'true' && admin !== 'false') throw invalid('admin', 'admin must be true or false');
    if (validUntil && !ISO_TIME_RE.test(validUntil))
      throw invalid('validUntil', 'validUntil must be an ISO time in UTC');
    if (displayName) requireText(displayName, 'displayName', 128);
    const member = await saveMember(ctx, {
      handle: `${me.mspId}:${name}`,
      mspId: me.mspId,
      name,
      roles,
      publicKey: publicKey.toLowerCase(),
      admin: admin === 'true',
      status: 'active',
      ...(validUntil ? { validUntil } : {}),
      ...(displayName ? { displayName } : {}),
      registeredTx: ctx.stub.getTxID(),
    });
    return JSON.stringify(member);
  }

  /** An org admin revokes a member of its org: its key is refused from the next transaction on. */
  @Transaction()
  @Returns('MemberRecord')
  async revokeMember(ctx: LianjianContext, handle: string, reason: string): Promise<string> {
    const me = await ctx.requireOrgAdmin();
    const member = await memberByHandle(ctx, requireText(handle, 'handle', 130), 'handle');
    if (member.mspId !== me.mspId)
      throw forbidden(`only an admin of ${member.mspId} revokes its members`, 'ADMIN_REQUIRED');
    requireText(reason, 'reason', 512);
    if (member.status === 'revoked') return JSON.stringify(member);
    const revoked: Member = { ...member, status: 'revoked', revokedTx: ctx.stub.getTxID(), revokedReason: reason };
    await putJson(ctx, memberKey(handle), revoked);
    ctx.emit({ type: 'MemberRevoked', handle, by: me.handle, reason });
    return JSON.stringify(revoked);
  }

  /** The caller's own member record. */
  @Transaction(false)
  @Returns('MemberRecord')
  async whoami(ctx: LianjianContext): Promise<string> {
    const me = await ctx.caller();
    if (!me) throw notFound('caller', 'no signed intent: the caller is not a member', 'NOT_REGISTERED');
    return JSON.stringify(me);
  }

  /** A member's public record (handle, roles, key, status): the consortium's directory. */
  @Transaction(false)
  @Returns('MemberRecord')
  async getMember(ctx: LianjianContext, handle: string): Promise<string> {
    return JSON.stringify(await memberByHandle(ctx, handle, 'handle'));
  }

  @Transaction(false)
  @Returns('OrgRecord[]')
  async listOrgs(ctx: LianjianContext): Promise<string> {
    return JSON.stringify(await listJson<Org>(ctx, range('org')));
  }

  /** The members of an org: for its admins and for regulators. */
  @Transaction(false)
  @Returns('MemberRecord[]')
  async listMembers(ctx: LianjianContext, mspId: string): Promise<string> {
    const me = await ctx.caller();
    if (!me || (!(me.admin && me.mspId === mspId) && !me.roles.includes('regulator'))) {
      throw forbidden(`only ${mspId}'s admins and regulators list its members`, 'ADMIN_REQUIRED');
    }
    const all = await listJson<Member>(ctx, range('member'));
    return JSON.stringify(all.filter((m) => m.mspId === mspId));
  }
}
