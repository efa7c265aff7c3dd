/**
 * Issue 16.3 through the REST API: deposits a1 = 33,333,333 and a2 = 66,666,668 fen into A,
 * b = 30,000,001 into B; transfers A→B→C, B→A, A→B, B→C, C→A. An auditor must get one answer:
 * for every (deposit, holder) pair the backward and forward amounts are equal, backward sums
 * equal the holder's balance, forward sums equal the deposit — and the paths carry exactly that.
 */
import { expect } from 'chai';
import { attest, Harness, startGateway } from '../gateway/helpers';
import { rest } from '../support/rest';

const sum = (xs: Array<{ amount: string }>): bigint => xs.reduce((s, x) => s + BigInt(x.amount), 0n);

describe('trace routes: backward and forward agree to the fen (16.3)', function () {
  this.timeout(60_000);
  let h: Harness;
  const { ok } = rest(() => h);
  const [A, B, C] = ['tr-A', 'tr-B', 'tr-C'];
  const deposits = [
    { off: 'a1', account: A, amount: '33333333' },
    { off: 'a2', account: A, amount: '66666668' },
    { off: 'b', account: B, amount: '30000001' },
  ];
  const owner: Record<string, string> = { [A]: 'Org1MSP:ent1', [B]: 'Org1MSP:ent2', [C]: 'Org1MSP:ent1' };

  before(async () => {
    h = await startGateway('trace');
    for (const id of [A, B, C])
      await ok(
        'Org1MSP:bank1',
        'POST',
        '/v1/accounts',
        { id, kind: 'settlement', owner: owner[id], offChainRef: `off-${id}` },
        201,
      );
    const oracle = h.id('Org1MSP:oracle1');
    for (const d of deposits)
      await ok(
        'Org1MSP:oracle1',
        'POST',
        '/v1/mirror/deposits',
        {
          account: d.account,
          amount: d.amount,
          offTxId: d.off,
          attestation: attest(oracle, {
            kind: 'deposit',
            bank: 'Org1MSP',
            account: d.account,
            offTxId: d.off,
            amount: d.amount,
          }),
        },
        201,
      );
    const moves: Array<[string, string, string]> = [
      [A, B, '9356864'],
      [B, C, '13779008'],
      [B, A, '6102336'],
      [A, B, '18911808'],
      [B, C, '10766656'],
      [C, A, '18314304'],
    ];
    for (const [i, [from, to, amount]] of moves.entries())
      await ok(owner[from], 'POST', '/v1/transfers', { id: `tr-${i}`, from, to, amount, purpose: 'goods' }, 201);
  });
  after(() => h?.close());

  /** Amount of `deposit` in `acct` as the backward trace's paths carry it. */
  const backOf = (b: any, node: string): bigint =>
    sum(b.paths.filter((p: { nodes: string[] }) => p.nodes[p.nodes.length - 1] === node));
  /** Amount of a deposit held in `acct` as the forward trace's paths carry it. */
  const heldIn = (f: any, acct: string): bigint =>
    sum(
      f.paths.filter(
        (p: { nodes: string[]; end: string }) => p.end === 'held' && p.nodes[p.nodes.length - 1].startsWith(`${acct}/`),
      ),
    );

  it('every (deposit, holder) pair: backward == forward; backward adds up to the balance, forward to the deposit', async () => {
    const back: Record<string, any> = {};
    for (const acct of [A, B, C]) {
      back[acct] = await ok('Org2MSP:auditor1', 'GET', `/v1/trace/backward/${acct}`);
      const balance = (await ok('Org2MSP:auditor1', 'GET', `/v1/accounts/${acct}/balance`)).total as string;
      expect(sum(back[acct].paths), `backward ${acct} paths`).to.equal(BigInt(balance));
      expect(back[acct].paths.every((p: { end: string }) => p.end === 'deposit')).to.equal(true);
    }
    for (const d of deposits) {
      const node = `deposit:Org1MSP:${d.off}`;
      const fwd = await ok('Org2MSP:auditor1', 'GET', `/v1/trace/forward/Org1MSP/${d.off}`);
      expect(sum(fwd.paths), `forward ${d.off} paths`).to.equal(BigInt(d.amount));
      let backTotal = 0n;
      for (const acct of [A, B, C]) {
        expect(heldIn(fwd, acct), `${d.off} held at ${acct}: forward vs backward`).to.equal(backOf(back[acct], node));
        backTotal += backOf(back[acct], node);
      }
      expect(backTotal, `every holder's backward share of ${d.off}`).to.equal(BigInt(d.amount));
    }
  });

  it('the by-source and by-holder tables are the same numbers', async () => {
    for (const acct of [A, B, C]) {
      const b = await ok('Org2MSP:auditor1', 'GET', `/v1/trace/backward/${acct}`);
      for (const s of b.bySource) expect(BigInt(s.amount), `${acct} ${s.deposit}`).to.equal(backOf(b, s.deposit));
      expect(sum(b.bySource)).to.equal(BigInt(b.amount));
    }
    for (const d of deposits) {
      const f = await ok('Org2MSP:auditor1', 'GET', `/v1/trace/forward/Org1MSP/${d.off}`);
      expect(f.complete).to.equal(true);
      expect(sum(f.byHolder) + sum(f.withdrawals)).to.equal(BigInt(d.amount));
      for (const acct of [A, B, C])
        expect(sum(f.byHolder.filter((x: { account: string }) => x.account === acct))).to.equal(heldIn(f, acct));
    }
  });

  it('the holders are named in the trace (户名 and org), not only ids', async () => {
    const b = await ok('Org2MSP:auditor1', 'GET', `/v1/trace/backward/${A}`); // A got money back through B and C
    expect(b).to.include({ holderName: 'ent1', holderOrg: 'Org1MSP' });
    expect(b.names[B]).to.deep.equal({ holderName: 'ent2', holderOrg: 'Org1MSP' });
    expect(b.names[C]).to.deep.equal({ holderName: 'ent1', holderOrg: 'Org1MSP' });
  });
});
