import { expect } from 'chai';
import { errorCode } from '../support/errors';
import fc from 'fast-check';
import { carve, coverProblem, faceOf, padTicket, parseSpan, pieces, Span } from '../../chaincode/bills/ranges';

const code = errorCode;

describe('bills: sub-ticket ranges', () => {
  const h = { start: 1, end: 100, holder: 'a' };

  it('carves the front, the back, the middle and the whole', () => {
    expect(pieces(carve(h, 1, 10))).to.deep.equal([
      { ...h, end: 10 },
      { ...h, start: 11 },
    ]);
    expect(pieces(carve(h, 91, 100))).to.deep.equal([
      { ...h, end: 90 },
      { ...h, start: 91 },
    ]);
    expect(pieces(carve(h, 40, 60)).map((s) => [s.start, s.end])).to.deep.equal([
      [1, 39],
      [40, 60],
      [61, 100],
    ]);
    expect(pieces(carve(h, 1, 100))).to.deep.equal([h]);
  });

  it('carves the single tickets [1,1] and [N,N]', () => {
    expect(carve(h, 1, 1).part).to.include({ start: 1, end: 1 });
    expect(carve(h, 100, 100).part).to.include({ start: 100, end: 100 });
    expect(faceOf({ start: 100, end: 100 })).to.equal(1n);
  });

  it('splits a range already split', () => {
    const c1 = carve(h, 1, 50);
    const c2 = carve(c1.after!, 60, 70);
    const all = [c1.part, ...pieces(c2)];
    expect(all.map((s) => [s.start, s.end])).to.deep.equal([
      [1, 50],
      [51, 59],
      [60, 70],
      [71, 100],
    ]);
    expect(coverProblem(all, 100)).to.equal(undefined);
  });

  it('refuses a sub-range outside the holding, and any part of an unsplittable holding', () => {
    expect(code(() => carve(h, 0, 5))).to.equal('RANGE_NOT_HELD');
    expect(code(() => carve(h, 90, 101))).to.equal('RANGE_NOT_HELD');
    expect(code(() => carve(h, 1, 99, false))).to.equal('NOT_SPLITTABLE');
    expect(carve(h, 1, 100, false).part).to.deep.equal(h);
  });

  it('parses [from, to] inside [1, N]', () => {
    expect(parseSpan('1', '100', 100)).to.deep.equal({ start: 1, end: 100 });
    expect(code(() => parseSpan('0', '1', 100))).to.equal('INVALID_TICKET');
    expect(code(() => parseSpan('1', '101', 100))).to.equal('INVALID_TICKET');
    expect(code(() => parseSpan('5', '4', 100))).to.equal('INVALID_RANGE');
    expect(code(() => parseSpan('01', '4', 100))).to.equal('INVALID_TICKET');
    expect(code(() => parseSpan('1.5', '4', 100))).to.equal('INVALID_TICKET');
  });

  it('reports gaps, overlaps and overruns', () => {
    expect(
      coverProblem(
        [
          { start: 1, end: 5 },
          { start: 7, end: 10 },
        ],
        10,
      ),
    ).to.match(/\[6, 6\] are not covered/);
    expect(
      coverProblem(
        [
          { start: 1, end: 5 },
          { start: 5, end: 10 },
        ],
        10,
      ),
    ).to.match(/overlaps/);
    expect(coverProblem([{ start: 1, end: 11 }], 10)).to.match(/past/);
    expect(coverProblem([{ start: 1, end: 9 }], 10)).to.match(/\[10, 10\]/);
  });

  it('pads ticket numbers so key order is numeric order', () => {
    expect(padTicket(9) < padTicket(10)).to.equal(true);
    expect(padTicket(1_000_000_000_000_000)).to.have.length(16);
  });

  it('property: any sequence of carves keeps the ranges disjoint and covering [1, N]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 60 }),
        (n, ops) => {
          let ranges: Span[] = [{ start: 1, end: n }];
          for (const [pick, a, b] of ops) {
            const i = pick % ranges.length;
            const r = ranges[i];
            const width = r.end - r.start + 1;
            const lo = r.start + (a % width);
            const hi = lo + (b % (r.end - lo + 1));
            ranges = [...ranges.slice(0, i), ...pieces(carve(r, lo, hi)), ...ranges.slice(i + 1)];
            expect(coverProblem(ranges, n)).to.equal(undefined);
          }
          expect(ranges.reduce((s, r) => s + faceOf(r), 0n)).to.equal(BigInt(n));
        },
      ),
      { numRuns: 300 },
    );
  });
});
