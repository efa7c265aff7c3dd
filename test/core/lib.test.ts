import { expect } from 'chai';
import fc from 'fast-check';
import { apportion } from '../../chaincode/lib/apportion';
import { LedgerError } from '../../chaincode/lib/errors';
import { MAX_FEN, parseFen, yuan } from '../../chaincode/lib/money';

describe('fen arithmetic', () => {
  it('accepts digit strings and safe integers only', () => {
    expect(parseFen('1')).to.equal(1n);
    expect(parseFen('1000000000000000')).to.equal(MAX_FEN);
    expect(parseFen('0', 'x', false)).to.equal(0n);
    for (const bad of ['0', '-1', '1.5', '1e3', ' 1', '01', '', '1000000000000001', 1.5, null, undefined, {}]) {
      expect(() => parseFen(bad), JSON.stringify(bad) ?? 'undefined').to.throw(LedgerError);
    }
  });

  it('names the field and a stable code', () => {
    try {
      parseFen('1.50', 'budget.cap');
      expect.fail('should throw');
    } catch (e) {
      expect((e as LedgerError).toJSON()).to.deep.equal({
        code: 'INVALID_AMOUNT',
        message: (e as LedgerError).detail,
        field: 'budget.cap',
      });
    }
  });

  it('formats yuan for people', () => {
    expect(yuan(123405n)).to.equal('1234.05');
    expect(yuan('-7')).to.equal('-0.07');
  });

  it('survives the wire as JSON', () => {
    const e = LedgerError.fromWire(`chaincode response 500, ${new LedgerError('X_Y', 'bad', 'f', 409).message}`);
    expect(e?.code).to.equal('X_Y');
    expect(e?.status).to.equal(409);
    expect(e?.field).to.equal('f');
  });
});

describe('apportion', () => {
  it('splits exactly, largest remainder first', () => {
    expect(apportion(10n, [1n, 1n, 1n])).to.deep.equal([4n, 3n, 3n]);
    expect(apportion(100n, [0n, 5n, 0n])).to.deep.equal([0n, 100n, 0n]);
    expect(apportion(7n, [])).to.deep.equal([]);
  });

  it('parts always add up and stay proportional within one fen', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 12 }),
        (amount, weights) => {
          const parts = apportion(amount, weights);
          expect(parts.reduce((s, p) => s + p, 0n)).to.equal(amount);
          const total = weights.reduce((s, w) => s + w, 0n);
          if (total > 0n) parts.forEach((p, i) => expect(p - (amount * weights[i]) / total <= 1n).to.equal(true));
        },
      ),
    );
  });
});
