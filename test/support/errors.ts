import { expect } from 'chai';
import { LedgerError } from '../../chaincode/lib/errors';

/** The LedgerError code `fn` throws; fails the test when it throws nothing or something else. */
export function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(LedgerError);
    return (e as LedgerError).code;
  }
  throw new Error('expected a LedgerError');
}
