/**
 * The member registry over REST: orgs, members, revocation. A member makes its own key pair
 * (`lianjian identity create`, the console) and its org's admin registers only the public key;
 * a regulator registers a new org with its first admin. The chaincode re-checks every rule.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { coreOperations as ops } from '../../chaincode/core/operations';
import { LedgerError } from '../../ledger/errors';
import { caller, evaluate, requireRole, S, submit } from '../plugin';

const T = ['identity'];

/** Only an org's admins onboard and revoke its members (the chain checks again). */
function requireAdmin(member: { admin: boolean; handle: string; mspId: string }): void {
  if (!member.admin) {
    throw new LedgerError('ADMIN_REQUIRED', `only an admin of ${member.mspId} may do this`, undefined, 403);
  }
}

export default function identityRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/v1/orgs',
    {
      schema: {
        tags: T,
        summary: 'A regulator registers an org with its first admin (Identity:registerOrg)',
        body: S.ref(S.identity.OrgRequest),
        response: S.responses(S.ref(S.core.Org), 201),
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
      schema: { tags: T, summary: 'Registered orgs', response: S.responses(S.ref(S.core.OrgList)) },
    },
    async (req) => evaluate(req, 'Identity:listOrgs', []),
  );

  app.post(
    '/v1/members',
    {
      schema: {
        tags: T,
        summary: "An org admin registers a member's public key (Identity:registerMember)",
        // On LEDGER=evm a member registers its account address beside its SM2 key (docs/evm.md).
        body: S.ref(app.ledger.engine === 'evm' ? S.identity.EvmMemberRequest : S.identity.MemberRequest),
        response: S.responses(S.ref(S.core.Member), 201),
      },
    },
    async (req, reply) => {
      requireAdmin(caller(req));
      reply.code(201);
      return submit(req, ops.registerMember);
    },
  );

  app.post(
    '/v1/members/:handle/revoke',
    {
      schema: {
        tags: T,
        summary: "An org admin revokes a member's key: refused everywhere within a second",
        params: S.record({ handle: S.handle }),
        body: S.ref(S.identity.RevokeRequest),
        response: S.responses(S.ref(S.core.Member)),
      },
    },
    async (req) => {
      requireAdmin(caller(req));
      const revoked = await submit(req, ops.revokeMember);
      app.members.forget(req.params.handle);
      return revoked;
    },
  );

  app.get(
    '/v1/orgs/:mspId/members',
    {
      schema: {
        tags: T,
        summary: "An org's members: for its admins and regulators",
        params: S.record({ mspId: S.mspId }),
        response: S.responses(S.ref(S.core.MemberList)),
      },
    },
    async (req) => evaluate(req, 'Identity:listMembers', [req.params.mspId]),
  );
  return Promise.resolve();
}
