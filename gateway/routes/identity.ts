/**
 * The member registry over REST: orgs, members, revocation. A member makes its own key pair
 * (`lianjian identity create`, the console) and its org's admin registers only the public key;
 * a regulator registers a new org with its first admin. The chaincode re-checks every rule.
 */
import type { FastifyInstance } from 'fastify';
import { ROLES } from '../../chaincode/core/context';
import { coreOperations as ops } from '../../chaincode/core/operations';
import { LedgerError } from '../../ledger/errors';
import { caller, evaluate, requireRole, S, submit } from '../plugin';

const T = ['identity'];
const roles = { type: 'array', maxItems: ROLES.length, uniqueItems: true, items: { type: 'string', enum: [...ROLES] } };
const publicKey = {
  type: 'string',
  pattern: '^04[0-9a-f]{128}$',
  description: "the member's SM2 public key, 04||x||y",
};
/** On LEDGER=evm a member registers its secp256k1 account address beside its SM2 key (docs/evm.md). */
const evmPublicKey = {
  type: 'string',
  pattern: '^0x[0-9a-fA-F]{40}/04[0-9a-f]{128}$',
  description: "the member's EVM account address and SM2 public key, 0x<address>/04||x||y",
};
const memberName = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } as const;
const isoTime = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$' } as const;

/** Only an org's admins onboard and revoke its members (the chain checks again). */
function requireAdmin(member: { admin: boolean; handle: string; mspId: string }): void {
  if (!member.admin) {
    throw new LedgerError('ADMIN_REQUIRED', `only an admin of ${member.mspId} may do this`, undefined, 403);
  }
}

export default async function identityRoutes(app: FastifyInstance): Promise<void> {
  const memberKey = app.ledger.engine === 'evm' ? evmPublicKey : publicKey;
  app.post(
    '/v1/orgs',
    {
      schema: {
        tags: T,
        summary: 'A regulator registers an org with its first admin (Identity:registerOrg)',
        body: S.body(
          {
            mspId: S.mspId,
            name: S.text(128),
            roles: { ...roles, minItems: 1 },
            admin: S.body({ name: memberName, publicKey }, ['name', 'publicKey']),
          },
          ['mspId', 'name', 'roles', 'admin'],
        ),
        response: S.responses(S.record('Org'), 201),
      },
    },
    async (req, reply) => {
      requireRole(req, 'regulator');
      reply.code(201);
      return submit(req, ops.registerOrg);
    },
  );

  app.get(
    '/v1/orgs',
    {
      schema: { tags: T, summary: 'Registered orgs', response: S.responses({ type: 'array', items: S.record('Org') }) },
    },
    async (req) => evaluate(req, 'Identity:listOrgs', []),
  );

  app.post(
    '/v1/members',
    {
      schema: {
        tags: T,
        summary: "An org admin registers a member's public key (Identity:registerMember)",
        body: S.body(
          {
            name: memberName,
            roles,
            publicKey: memberKey,
            admin: { type: 'boolean' },
            validUntil: isoTime,
            displayName: S.text(128),
          },
          ['name', 'publicKey'],
        ),
        response: S.responses(S.record('Member'), 201),
      },
    },
    async (req, reply) => {
      requireAdmin(caller(req));
      reply.code(201);
      return submit(req, ops.registerMember);
    },
  );

  app.post<{ Params: { handle: string } }>(
    '/v1/members/:handle/revoke',
    {
      schema: {
        tags: T,
        summary: "An org admin revokes a member's key: refused everywhere within a second",
        params: { type: 'object', properties: { handle: S.handle }, required: ['handle'], additionalProperties: false },
        body: S.body({ reason: S.text(512) }, ['reason']),
        response: S.responses(S.record('Member')),
      },
    },
    async (req) => {
      requireAdmin(caller(req));
      const revoked = await submit(req, ops.revokeMember);
      app.members.forget(req.params.handle);
      return revoked;
    },
  );

  app.get<{ Params: { mspId: string } }>(
    '/v1/orgs/:mspId/members',
    {
      schema: {
        tags: T,
        summary: "An org's members: for its admins and regulators",
        params: { type: 'object', properties: { mspId: S.mspId }, required: ['mspId'], additionalProperties: false },
        response: S.responses({ type: 'array', items: S.record('Member') }),
      },
    },
    async (req) => evaluate(req, 'Identity:listMembers', [req.params.mspId]),
  );
}
