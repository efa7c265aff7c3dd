/** Member registry requests (gateway/routes/identity.ts); the answers are core's Member and Org. */
import { Type } from '@sinclair/typebox';
import { ROLES } from '../../chaincode/core/member';
import { mspId, named, record, text } from './common';

const roles = Type.Array(Type.Union(ROLES.map((role) => Type.Literal(role))), {
  maxItems: ROLES.length,
  uniqueItems: true,
});
const publicKey = Type.String({ pattern: '^04[0-9a-f]{128}$', description: "the member's SM2 public key, 04||x||y" });
const memberName = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' });
const isoTime = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$' });

export const OrgRequest = named('OrgRequest', {
  mspId,
  name: text(128),
  roles: Type.Array(roles.items, { ...roles, minItems: 1 }),
  admin: record({ name: memberName, publicKey }),
});
export const MemberRequest = named('MemberRequest', {
  name: memberName,
  roles: Type.Optional(roles),
  publicKey,
  admin: Type.Optional(Type.Boolean()),
  validUntil: Type.Optional(isoTime),
  displayName: Type.Optional(text(128)),
});
/** MemberRequest on LEDGER=evm: the member's secp256k1 account address and its SM2 key. */
export const EvmMemberRequest = named('EvmMemberRequest', {
  ...MemberRequest.properties,
  publicKey: Type.String({
    pattern: '^0x[0-9a-fA-F]{40}/04[0-9a-f]{128}$',
    description: "the member's EVM account address and SM2 public key, 0x<address>/04||x||y",
  }),
});
export const RevokeRequest = named('RevokeRequest', { reason: text(512) });
