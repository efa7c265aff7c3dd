import { expect } from 'chai';
import { Harness } from '../support/harness';
import { BANK, hash, makeProgram, ORACLE, PARTY, REG, release, spec } from './fixture';

describe('supervision programs (embedded ledger)', function () {
  let h: Harness;
  before(async () => {
    h = await Harness.create();
    h.setTime('2024-07-01T02:00:00Z');
  });
  after(async () => h.close());

  it('only a regulator creates a program; bad fields are named; the creation is idempotent', async () => {
    await h.fails('ROLE_REQUIRED', BANK, 'Supervision:createProgram', 'p-x', spec());
    const e = await h.fails('INVALID_ARGUMENT', REG, 'Supervision:createProgram', 'p-x', spec({ scenario: 'casino' }));
    expect(e.field).to.equal('scenario');
    expect(
      (await h.fails('INVALID_AMOUNT', REG, 'Supervision:createProgram', 'p-x', spec({ keyAmount: 1.5 }))).field,
    ).to.equal('keyAmount');
    await h.fails(
      'INVALID_MILESTONES',
      REG,
      'Supervision:createProgram',
      'p-x',
      spec({ milestones: [{ id: 'a', name: 'a', capBp: 5000 }] }),
    );
    await h.fails('MEMBER_NOT_FOUND', REG, 'Supervision:createProgram', 'p-x', spec({ party: 'Org1MSP:nobody' }));
    const p = await h.submit(REG, 'Supervision:createProgram', 'p-x', spec({ preset: 'xian2021', floors: 18 }));
    expect(p).to.include({ status: 'draft', regulator: 'Org2MSP:regulator1', retentionBp: 100 });
    expect(p.milestones[0]).to.include({ id: 'third_floors', capBp: 2000 });
    expect(
      await h.submit(REG, 'Supervision:createProgram', 'p-x', spec({ preset: 'xian2021', floors: 18 })),
    ).to.deep.equal(p);
    await h.fails('IDEMPOTENCY_CONFLICT', REG, 'Supervision:createProgram', 'p-x', spec());
  });

  it('attaching checks kind, owner and that an account serves one program; activation needs a payout account', async () => {
    await h.submit(REG, 'Supervision:createProgram', 'p-y', spec());
    await h.openAccount('y-sup', PARTY, 'supervised');
    await h.openAccount('y-set', PARTY, 'settlement');
    await h.openAccount('y-other', 'ent2', 'supervised');
    await h.fails('WRONG_ACCOUNT_KIND', BANK, 'Supervision:attachAccount', 'p-y', 'y-set', 'supervised');
    await h.fails('NOT_PARTY_ACCOUNT', BANK, 'Supervision:attachAccount', 'p-y', 'y-other', 'supervised');
    await h.fails('ROLE_REQUIRED', PARTY, 'Supervision:attachAccount', 'p-y', 'y-sup', 'supervised');
    await h.submit(BANK, 'Supervision:attachAccount', 'p-y', 'y-sup', 'supervised');
    await h.submit(REG, 'Supervision:attachAccount', 'p-y', 'y-sup', 'supervised'); // replay
    await h.fails('ACCOUNT_SUPERVISED', BANK, 'Supervision:attachAccount', 'p-x', 'y-sup', 'supervised');
    await h.fails('NO_PAYOUT_ACCOUNT', REG, 'Supervision:activate', 'p-y');
    await h.fails(
      'PROGRAM_NOT_ACTIVE',
      PARTY,
      'Supervision:requestPayment',
      'p-y',
      'r1',
      'l',
      'y-set',
      '1',
      'x',
      'bank',
    );
  });

  it('readers: outsiders may not read a program', async () => {
    const f = await makeProgram(h);
    const err = await h.evaluate('merchant1', 'Supervision:getProgram', f.program).catch((e) => e);
    expect(err.code).to.equal('PROGRAM_NOT_FOUND'); // the same answer as for a program that does not exist
    expect((await h.evaluate(ORACLE, 'Supervision:getProgram', f.program)).id).to.equal(f.program);
  });

  it('suspend and resume; a budget line cap never drops below what is used', async () => {
    const f = await makeProgram(h);
    await release(h, f, '400000');
    await h.fails(
      'CAP_BELOW_USED',
      REG,
      'Supervision:setBudgetLine',
      f.program,
      f.line,
      '建材',
      '399999',
      JSON.stringify([f.contractor]),
    );
    await h.submit(
      REG,
      'Supervision:setBudgetLine',
      f.program,
      f.line,
      '建材',
      '400000',
      JSON.stringify([f.contractor]),
    );
    expect((await h.submit(REG, 'Supervision:suspend', f.program, 'inspection')).status).to.equal('suspended');
    await h.fails(
      'PROGRAM_SUSPENDED',
      PARTY,
      'Supervision:requestPayment',
      f.program,
      'r2',
      f.line,
      f.contractor,
      '1',
      'x',
      'bank',
    );
    expect((await h.submit(REG, 'Supervision:unfreeze', f.program, 'not frozen')).status).to.equal('suspended'); // no-op
    await h.submit(REG, 'Supervision:freeze', f.program, 'escalated');
    await h.fails('INVALID_TRANSITION', REG, 'Supervision:resume', f.program, 'x');
    expect((await h.submit(REG, 'Supervision:unfreeze', f.program, 'lifted')).status).to.equal('suspended'); // back to what it was
    expect((await h.submit(REG, 'Supervision:resume', f.program, 'ok')).status).to.equal('active');
  });

  it('forced refunds to pre-sale buyers go out as payout instructions, even when frozen; conserved', async () => {
    const f = await makeProgram(h, { scenario: 'presale_housing' }, 5_000_000n);
    await h.openAccount('buyer-1', 'consumer1', 'wallet');
    await h.openAccount('buyer-2', 'consumer1', 'wallet');
    await h.submit(REG, 'Supervision:freeze', f.program, 'developer insolvent');
    const list = JSON.stringify([
      { account: 'buyer-1', amount: '3000000' },
      { account: 'buyer-2', amount: '2000000' },
    ]);
    await h.fails(
      'INSUFFICIENT_FUNDS',
      REG,
      'Supervision:forceRefund',
      f.program,
      'ref-0',
      JSON.stringify([{ account: 'buyer-1', amount: '5000001' }]),
      'too much',
    );
    const r = await h.submit(REG, 'Supervision:forceRefund', f.program, 'ref-1', list, 'refund buyers');
    expect(await h.submit(REG, 'Supervision:forceRefund', f.program, 'ref-1', list, 'refund buyers')).to.deep.equal(r);
    await h.fails('PAYOUTS_OUTSTANDING', REG, 'Supervision:close', f.program, hash('report'));
    for (const i of r.instructions) await h.submit(ORACLE, 'Supervision:confirmPayout', i, `refund-${i.slice(2, 8)}`);
    expect(await h.balance('buyer-1')).to.equal(3_000_000n);
    expect((await h.evaluate(REG, 'Supervision:report', f.program)).refunded).to.equal('5000000');
    await h.submit(REG, 'Supervision:close', f.program, hash('report'));
    await h.expectConserved();
  });
});
