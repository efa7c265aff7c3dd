/** "Not found" exactly as for an id that does not exist: the one answer unauthorised callers get. */
import { signCall } from '../../ledger/intents';
import { expect } from 'chai';
import type { LedgerError } from '../../chaincode/lib/errors';
import type { Harness } from './harness';

export interface Probe {
  who: string;
  fn: string;
  /** The transaction's arguments for a given id. */
  args: (id: string) => string[];
  /** The id that exists (its twin `<id>-nope` does not). */
  id: string;
  /** Submit (a write) instead of evaluate (a query). */
  submit?: boolean;
}

/**
 * Runs `fn` as `who` on the real id and on a missing one; both must fail with the same code,
 * status and message (ids aside), a 404. Returns the code.
 */
export async function sameAsMissing(h: Harness, p: Probe): Promise<string> {
  const missing = `${p.id}-nope`;
  const run = (id: string): Promise<LedgerError> =>
    (p.submit
      ? h.ledger.submit(signCall(h.id(p.who), { fn: p.fn, args: p.args(id) }))
      : h.ledger.evaluate(signCall(h.id(p.who), { fn: p.fn, args: p.args(id) }))
    ).then(
      () => {
        throw new Error(`${p.fn} by ${p.who} on ${id} should have failed`);
      },
      (e: LedgerError) => e,
    );
  const [a, b] = [await run(p.id), await run(missing)];
  expect(
    [a.code, a.status, a.detail.split(p.id).join('<id>')],
    `${p.who} ${p.fn}(${p.args(p.id).join(', ')})`,
  ).to.deep.equal([b.code, b.status, b.detail.split(missing).join('<id>')]);
  expect(a.status).to.equal(404);
  return a.code;
}
