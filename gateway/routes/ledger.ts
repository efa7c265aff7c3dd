/**
 * The auditor's proof of who asked for a transaction: the member's signed intent as the
 * transaction's intent record keeps it in the block's write set, and the signer's public key,
 * so a browser can re-verify the SM2 signature itself. For auditors and regulators, and for the
 * signer (the body of a request is the business of the parties and their supervisors).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LedgerError } from '../../ledger/errors';
import { caller, LEDGER_GUARD, S } from '../plugin';
import { noTransaction, seesTransaction } from '../access';

export default function ledgerRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/transactions/:txId/intent',
    {
      schema: {
        tags: ['ledger'],
        summary: "A transaction's signed intent from its write set, with the signer's public key",
        params: S.record({ txId: Type.String({ pattern: '^[0-9a-zA-Z_-]{1,128}$' }) }),
        response: S.responses(S.ref(S.core.TransactionIntent)),
      },
    },
    async (req) => {
      const me = caller(req);
      const tx = await app.guards
        .run(LEDGER_GUARD, () => app.ledger.transaction(req.params.txId, { withIntent: true }))
        .catch((err: unknown) => {
          if (err instanceof LedgerError && err.status === 404) return undefined;
          throw err;
        });
      // Someone else's transaction answers exactly as a missing one (gateway/access.ts).
      if (!tx || !seesTransaction(me, tx)) throw noTransaction(req.params.txId);
      if (!tx.intent) {
        throw new LedgerError(
          'NO_INTENT',
          `transaction ${tx.txId} carries no member intent (a read, or genesis)`,
          'txId',
          404,
        );
      }
      const signer = await app.members.get(tx.intent.signer);
      return { ...tx, publicKey: signer?.publicKey ?? '' };
    },
  );
  return Promise.resolve();
}
