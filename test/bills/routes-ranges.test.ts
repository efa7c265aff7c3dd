/**
 * Issues 16.5 and 16.7 (bills) through the REST API. After splits a holder has adjacent and
 * non-adjacent ranges; endorsing, discounting and presenting them takes one request, applied to
 * all or none, answered once. A court's freeze is lifted only by that court. An endorser may
 * write 不得转让 on its own endorsement: later holders then have no recourse against it.
 */
import { expect } from 'chai';
import { EmbeddedLedger } from '../../ledger/embedded/index';
import { attest, Harness, startGateway } from '../gateway/helpers';
import { rest } from '../support/rest';
import { addSecondBank } from '../support/second-bank';

const at = (date: string): number => Date.parse(`${date}T02:00:00Z`);

describe('bills routes: sets of ranges, freeze authority, 不得转让 by an endorser (16.5, 16.7)', function () {
  this.timeout(60_000);
  let h: Harness;
  const { ok, refused } = rest(() => h);
  const setDay = (date: string): void => {
    (h.ledger as EmbeddedLedger).now = () => at(date);
  };
  const post = (who: string, path: string, body: unknown): Promise<any> => ok(who, 'POST', path, body);
  const holders = async (pkg: string): Promise<Array<[number, number, string, string]>> =>
    (await ok('Org2MSP:regulator1', 'GET', `/v1/bills/${pkg}/ranges`)).ranges.map((r: any) => [
      r.start,
      r.end,
      r.holder.split(':')[1],
      r.state,
    ]);

  /** ent1 draws `amount` on bank1 (the acceptor) to ent2, and ent2 signs for it. */
  async function issue(pkg: string, amount = '100000'): Promise<void> {
    await ok(
      'Org1MSP:ent1',
      'POST',
      '/v1/bills',
      {
        pkg,
        acceptor: 'Org1MSP:bank1',
        acceptorKind: 'bank',
        payee: 'Org1MSP:ent2',
        amount,
        issueDate: '2025-01-15',
        maturity: '2025-04-15',
        drawerAccount: 'rg-ent1',
      },
      201,
    );
    await post('Org1MSP:ent1', `/v1/bills/${pkg}/present-acceptance`, {});
    await post('Org1MSP:bank1', `/v1/bills/${pkg}/sign`, { from: '1', op: 'accept', account: 'rg-bank1' });
    await post('Org1MSP:ent1', `/v1/bills/${pkg}/present-receipt`, {});
    await post('Org1MSP:ent2', `/v1/bills/${pkg}/sign`, { from: '1', op: 'receive', account: 'rg-ent2' });
  }

  before(async () => {
    h = await startGateway('bills-ranges');
    await addSecondBank(h.ledger, h.wallet);
    setDay('2025-01-15');
    for (const [id, owner, bank] of [
      ['rg-ent1', 'Org1MSP:ent1', 'Org1MSP:bank1'],
      ['rg-ent2', 'Org1MSP:ent2', 'Org1MSP:bank1'],
      ['rg-bank1', 'Org1MSP:bank1', 'Org1MSP:bank1'],
      ['rg-ent4', 'Org3MSP:ent4', 'Org3MSP:bank2'],
    ])
      await ok(bank, 'POST', '/v1/accounts', { id, kind: 'settlement', owner, offChainRef: `off-${id}` }, 201);
    const o = h.id('Org1MSP:oracle1');
    await ok(
      'Org1MSP:oracle1',
      'POST',
      '/v1/mirror/deposits',
      {
        account: 'rg-bank1',
        amount: '100000000',
        offTxId: 'rg-d1',
        attestation: attest(o, {
          kind: 'deposit',
          bank: 'Org1MSP',
          account: 'rg-bank1',
          offTxId: 'rg-d1',
          amount: '100000000',
        }),
      },
      201,
    );
    await issue('RG-1');
    setDay('2025-02-01');
    // ent2 endorses [1, 50000] to ent1 and gets it back: [1, 50000] and [50001, 100000] are two holdings now
    await post('Org1MSP:ent2', '/v1/bills/RG-1/endorse', { from: '1', to: '50000', endorsee: 'Org1MSP:ent1' });
    await post('Org1MSP:ent1', '/v1/bills/RG-1/sign', { from: '1', op: 'endorse', account: 'rg-ent1' });
    await post('Org1MSP:ent1', '/v1/bills/RG-1/endorse', { from: '1', to: '50000', endorsee: 'Org1MSP:ent2' });
    await post('Org1MSP:ent2', '/v1/bills/RG-1/sign', { from: '1', op: 'endorse', account: 'rg-ent2' });
  });
  after(() => h?.close());

  it('endorses two non-adjacent ranges in one request; the endorsee signs once for both', async () => {
    const r = await post('Org1MSP:ent2', '/v1/bills/RG-1/endorse', {
      ranges: [
        { from: '1', to: '1000' },
        { from: '60001', to: '61000' },
      ],
      endorsee: 'Org1MSP:ent1',
    });
    expect(r.ranges.map((x: any) => [x.from, x.to])).to.deep.equal([
      [1, 1000],
      [60001, 61000],
    ]);
    await post('Org1MSP:ent1', '/v1/bills/RG-1/sign', { from: '60001', op: 'endorse', account: 'rg-ent1' });
    const map = await holders('RG-1');
    expect(map.filter((x) => x[2] === 'ent1')).to.deep.equal([
      [1, 1000, 'ent1', 'held'],
      [60001, 61000, 'ent1', 'held'],
    ]);
  });

  it('discounts two adjacent holdings as one range: one interest on the total face, one answer', async () => {
    const r = await post('Org1MSP:ent2', '/v1/bills/RG-1/discount', {
      from: '1001',
      to: '60000',
      bank: 'Org1MSP:bank1',
      rateBp: '300',
    });
    expect(r.ranges.map((x: any) => [x.from, x.to])).to.deep.equal([
      [1001, 50000],
      [50001, 60000],
    ]);
    const signed = await post('Org1MSP:bank1', '/v1/bills/RG-1/sign', {
      from: '1001',
      op: 'discount',
      account: 'rg-bank1',
    });
    // 59,000 fen at 3 % for 73 days (2025-02-01 → 2025-04-15), half up: one computation
    expect(signed).to.include({ interest: '359', proceeds: '58641', days: 73 });
    expect((await holders('RG-1')).filter((x) => x[2] === 'bank1').map((x) => [x[0], x[1]])).to.deep.equal([
      [1001, 50000],
      [50001, 60000],
    ]);
  });

  it('at maturity each holder presents its set of ranges in one request; the acceptor pays it in one answer', async () => {
    setDay('2025-04-15');
    const p = await post('Org1MSP:ent1', '/v1/bills/RG-1/present-payment', {
      ranges: [
        { from: '1', to: '1000' },
        { from: '60001', to: '61000' },
      ],
    });
    expect(p.ranges).to.have.length(2);
    await post('Org1MSP:bank1', '/v1/bills/RG-1/present-payment', { from: '1001', to: '60000' }); // adjacent holdings
    const before = BigInt((await ok('Org1MSP:ent1', 'GET', '/v1/accounts/rg-ent1/balance')).total);
    await post('Org1MSP:bank1', '/v1/bills/RG-1/sign', { from: '1', op: 'pay', account: 'rg-bank1' });
    const after = BigInt((await ok('Org1MSP:ent1', 'GET', '/v1/accounts/rg-ent1/balance')).total);
    expect(after - before).to.equal(2000n);
    const paid = (await holders('RG-1')).filter((x) => x[3] === 'paid');
    expect(paid.map((x) => [x[0], x[1]])).to.deep.equal([
      [1, 1000],
      [60001, 61000],
    ]);
  });

  it('a range some of which is not the caller’s is refused whole, nothing changes', async () => {
    const before = await holders('RG-1');
    await refused(
      'Org1MSP:ent2',
      'POST',
      '/v1/bills/RG-1/present-payment',
      {
        ranges: [
          { from: '61001', to: '61100' },
          { from: '900', to: '1000' },
        ],
      },
      [422, 'NOT_CREDITOR'],
    );
    expect(await holders('RG-1')).to.deep.equal(before);
  });

  it("a court's freeze is lifted only by that court", async () => {
    setDay('2025-02-01');
    await issue('RG-2');
    await post('Org2MSP:court1', '/v1/bills/RG-2/freeze', {
      from: '1',
      to: '100',
      order: 'HU-2025-0001',
      reason: '诉讼保全',
    });
    const no = await refused('Org2MSP:regulator1', 'POST', '/v1/bills/RG-2/unfreeze', { from: '1', reason: 'x' }, [
      403,
      'NOT_FREEZE_AUTHORITY',
    ]);
    expect(no.message).to.include('HU-2025-0001');
    await post('Org2MSP:court1', '/v1/bills/RG-2/unfreeze', { from: '1', reason: '解除保全' });
    expect((await holders('RG-2'))[0]).to.deep.equal([1, 100, 'ent2', 'held']);
  });

  it('an endorser writes 不得转让 on its own endorsement: later holders have no recourse against it', async () => {
    setDay('2025-02-01');
    await issue('RG-3', '1000');
    await post('Org1MSP:ent2', '/v1/bills/RG-3/endorse', {
      from: '1',
      to: '1000',
      endorsee: 'Org1MSP:ent1',
      nonTransferable: true,
    });
    await post('Org1MSP:ent1', '/v1/bills/RG-3/sign', { from: '1', op: 'endorse', account: 'rg-ent1' });
    // the endorsee may still endorse on (第三十四条 does not forbid it) ...
    await post('Org1MSP:ent1', '/v1/bills/RG-3/endorse', { from: '1', to: '1000', endorsee: 'Org3MSP:ent4' });
    await post('Org3MSP:ent4', '/v1/bills/RG-3/sign', { from: '1', op: 'endorse', account: 'rg-ent4' });
    setDay('2025-04-15');
    await post('Org3MSP:ent4', '/v1/bills/RG-3/present-payment', { from: '1', to: '1000' });
    await post('Org1MSP:bank1', '/v1/bills/RG-3/reject', { from: '1', op: 'pay', reason: '账户余额不足' });
    // ... but ent2 answers only to ent1: the later holder ent4 may not claim against it
    const liable = await ok('Org3MSP:ent4', 'GET', '/v1/bills/RG-3/liable/1');
    expect(liable.liable).to.have.members(['Org1MSP:ent1', 'Org1MSP:bank1']);
    expect(liable.liable).to.not.include('Org1MSP:ent2');
    await refused(
      'Org3MSP:ent4',
      'POST',
      '/v1/bills/RG-3/recourse',
      { from: '1', to: '1000', against: 'Org1MSP:ent2' },
      [422, 'NOT_LIABLE'],
    );
    await post('Org3MSP:ent4', '/v1/bills/RG-3/recourse', { from: '1', to: '1000', against: 'Org1MSP:ent1' });
  });
});
