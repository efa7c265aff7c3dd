/**
 * GET /v1/evm/forwarder?member=0x...: on LEDGER=evm, what a member's client needs to sign the
 * EIP-712 forward request of a write (X-LJ-EVM-Request): the forwarder's domain, the MoneyCore
 * address and the member's next nonce. Public chain state, so no signature; 501 on other ledgers
 * (gateway/availability.ts), and listed in /openapi.json only where it runs.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LedgerError } from '../../ledger/errors';
import { S } from '../plugin';

export default function evmRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/evm/forwarder',
    {
      config: { public: true },
      schema: {
        hide: app.ledger.engine !== 'evm',
        tags: ['ledger'],
        summary: "LEDGER=evm: the forwarder's EIP-712 domain and a member's next nonce, for its signed requests",
        querystring: S.record({ member: Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' }) }),
        response: S.responses(S.ref(S.ops.EvmForwarding)),
      },
    },
    async (req) => {
      const ledger = app.ledger;
      if (!ledger.forwarding)
        throw new LedgerError('NOT_ON_THIS_LEDGER', 'only LEDGER=evm has a forwarder', undefined, 501);
      return ledger.forwarding(req.query.member);
    },
  );
  return Promise.resolve();
}
