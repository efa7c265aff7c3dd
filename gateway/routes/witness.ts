/**
 * GET /v1/witness: where the ledger is anchored on an EVM chain (ledger/evm/witness.ts), as the
 * console's ledger view shows it. Scoped like the block routes (gateway/access.ts): any member
 * reads block headers, and an anchor is a block header's hash.
 */
import type { FastifyInstance } from 'fastify';
import { caller, S } from '../plugin';

export default function witnessRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/v1/witness',
    {
      schema: {
        tags: ['ledger'],
        summary: 'The external EVM witness: the last anchored block, its EVM transaction and the EVM chain id',
        response: S.responses(S.ref(S.ops.Witness)),
      },
    },
    (req) => {
      caller(req);
      const witness = app.witness;
      if (!witness) return Promise.resolve({ enabled: false });
      const s = witness.status();
      return Promise.resolve({
        enabled: true,
        state: s.state,
        evmChainId: s.evmChainId,
        contract: s.contract,
        lastAnchor: s.lastAnchor,
        lastRootAnchor: s.lastRootAnchor,
        lastError: s.lastError,
      });
    },
  );
  return Promise.resolve();
}
