import { expect } from 'chai';
import { Harness } from '../support/harness';
import { A, at, H, issue, map, register, registerArgs, setup } from './fixture';

describe('bills: issuance (embedded ledger)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => (h = await setup()));
  after(async () => h?.close());
  beforeEach(() => h.setTime(at('2025-01-15')));

  it('registers, is accepted and received; the payee holds [1, N]', async () => {
    await issue(h, 'P-ISSUE', { acceptor: 'bank1' });
    const pkg = await h.evaluate('ent2', 'Bills:getPackage', 'P-ISSUE');
    expect(pkg).to.include({ status: 'issued', acceptor: H.bank1, acceptorAccount: A.bank1, amount: '100000' });
    expect(await map(h, 'P-ISSUE')).to.deep.equal([[1, 100000, 'ent2', 'held']]);
    const mine = await h.evaluate('ent2', 'Bills:holdings', '', 'P-ISSUE', '', '');
    expect(mine).to.include({ count: 1, total: '100000' });
    const lin = await h.evaluate('ent2', 'Bills:lineage', 'P-ISSUE', '777');
    expect(lin.events.map((e: any) => e.type)).to.deep.equal([
      'BillRegistered',
      'BillPresentedForAcceptance',
      'BillAcceptSigned',
      'BillPresentedForReceipt',
      'BillReceiveSigned',
    ]);
  });

  it('replays a registration as a no-op and refuses a changed one', async () => {
    const first = await register(h, 'P-IDEM');
    expect(await register(h, 'P-IDEM')).to.deep.equal(first);
    await h.fails('IDEMPOTENCY_CONFLICT', 'ent1', 'Bills:register', ...registerArgs('P-IDEM', { amount: '100001' }));
  });

  it('replays a request id with the same values and refuses other values', async () => {
    await register(h, 'P-REQ');
    const id = h.uid();
    const a = await h.submit('ent1', 'Bills:presentAcceptance', id, 'P-REQ');
    expect(await h.submit('ent1', 'Bills:presentAcceptance', id, 'P-REQ')).to.deep.equal(a);
    await h.fails('IDEMPOTENCY_CONFLICT', 'ent1', 'Bills:cancel', id, 'P-REQ', 'changed my mind');
  });

  it('allows a term of exactly 6 months and refuses 6 months and one day', async () => {
    await register(h, 'P-6M', { maturity: '2025-07-15' });
    await h.fails('TERM_TOO_LONG', 'ent1', 'Bills:register', ...registerArgs('P-6M1D', { maturity: '2025-07-16' }));
    h.setTime(at('2025-08-31'));
    await register(h, 'P-EOM', { issueDate: '2025-08-31', maturity: '2026-02-28' });
    await h.fails(
      'TERM_TOO_LONG',
      'ent1',
      'Bills:register',
      ...registerArgs('P-EOM1', { issueDate: '2025-08-31', maturity: '2026-03-01' }),
    );
  });

  it('checks roles and parties', async () => {
    await h.fails('ROLE_REQUIRED', 'bank1', 'Bills:register', ...registerArgs('P-ROLE'));
    const args = registerArgs('P-ROLE');
    args[2] = 'bank'; // ent1 is no bank
    await h.fails('PARTY_ROLE_REQUIRED', 'ent1', 'Bills:register', ...args);
    await h.fails(
      'INVALID_ARGUMENT',
      'ent1',
      'Bills:register',
      ...registerArgs('P-ROLE', { splittable: 'yes' as never }),
    );
    await register(h, 'P-ROLE');
    await h.fails('NOT_DRAWER', 'ent2', 'Bills:presentAcceptance', h.uid(), 'P-ROLE');
    await h.submit('ent1', 'Bills:presentAcceptance', h.uid(), 'P-ROLE');
    await h.fails('NOTHING_PENDING', 'ent2', 'Bills:sign', h.uid(), 'P-ROLE', '1', 'accept', A.ent2);
    await h.fails('OP_MISMATCH', 'ent1', 'Bills:sign', h.uid(), 'P-ROLE', '1', 'receive', A.ent1);
    // A non-party is told what it would be told of a package that does not exist.
    const e = await h.evaluate('bank1', 'Bills:packageMap', 'P-ROLE').catch((x) => x);
    const none = await h.evaluate('bank1', 'Bills:packageMap', 'P-NONE').catch((x) => x);
    expect([e.code, e.detail.replace('P-ROLE', 'X')]).to.deep.equal([none.code, none.detail.replace('P-NONE', 'X')]);
    expect(e.code).to.equal('BILL_NOT_FOUND');
  });

  it('refused acceptance ends the package; a cancelled package cannot be received', async () => {
    await register(h, 'P-REF');
    await h.submit('ent1', 'Bills:presentAcceptance', h.uid(), 'P-REF');
    await h.submit('ent1', 'Bills:reject', h.uid(), 'P-REF', '1', 'accept', 'no trade behind it');
    expect(await map(h, 'P-REF')).to.deep.equal([[1, 100000, 'ent1', 'refused']]);
    await register(h, 'P-CAN');
    await h.submit('ent1', 'Bills:presentAcceptance', h.uid(), 'P-CAN');
    await h.submit('ent1', 'Bills:sign', h.uid(), 'P-CAN', '1', 'accept', A.ent1);
    await h.submit('ent1', 'Bills:presentReceipt', h.uid(), 'P-CAN');
    expect((await h.evaluate('ent2', 'Bills:inbox', '')).items.map((i: any) => i.pkg)).to.include('P-CAN');
    await h.submit('ent1', 'Bills:cancel', h.uid(), 'P-CAN', 'wrong payee');
    expect((await h.evaluate('ent2', 'Bills:inbox', '')).items.map((i: any) => i.pkg)).not.to.include('P-CAN');
    await h.fails('NOTHING_PENDING', 'ent2', 'Bills:sign', h.uid(), 'P-CAN', '1', 'receive', A.ent2);
    expect((await h.evaluate('ent1', 'Bills:getPackage', 'P-CAN')).status).to.equal('cancelled');
  });

  it('cannot cancel after receipt', async () => {
    await issue(h, 'P-LATE');
    await h.fails('RANGE_STATE', 'ent1', 'Bills:cancel', h.uid(), 'P-LATE', 'too late');
  });
});
