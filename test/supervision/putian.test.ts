import { expect } from 'chai';
import { Harness } from '../support/harness';
import { eventsOf, Fixture, hash, makeProgram, ORACLE, PARTY, REG, release } from './fixture';

/** The Putian 2022 preset, milestone by milestone, on an odd key amount so every cap rounds down. */
describe('supervision: Putian 2022 pre-sale walk-through (embedded ledger)', function () {
  const KEY = 10_000_001n;
  let h: Harness;
  let f: Fixture;
  const instructions: string[] = [];
  before(async () => {
    h = await Harness.create();
    h.setTime('2024-06-03T02:00:00Z');
    f = await makeProgram(
      h,
      { scenario: 'presale_housing', keyAmount: KEY.toString(), preset: 'putian2022', limits: {} },
      KEY,
      KEY.toString(),
    );
  });
  after(async () => h.close());

  const rel = async (amount: string) => {
    const r = await release(h, f, amount);
    instructions.push(...r.instructions);
    return r;
  };
  const attest = (m: string, who = REG) =>
    h.submit(who, 'Supervision:attestMilestone', f.program, m, hash(`evidence ${m}`));
  const over = async (amount: string) => {
    const r = await rel(amount);
    expect(r.status).to.equal('rejected');
    expect(r.reasons.map((x: any) => x.code)).to.deep.equal(['MILESTONE_CAP']);
  };

  it('nothing is releasable before the first milestone; the attempt records an alert', async () => {
    await over('1');
    expect((await h.evaluate(REG, 'Supervision:listAlerts', f.program)).map((a: any) => a.alert)).to.deep.equal([
      'MILESTONE_CAP',
    ]);
  });

  it('permit: 30 % (3 000 000.3 fen rounds down), exactly at the cap then one fen over', async () => {
    await attest('permit');
    expect((await rel('3000000')).status).to.equal('instructed');
    await over('1');
  });

  it('half the floors: an oracle attests with the evidence hash, in order only', async () => {
    await h.fails('INVALID_HEX', ORACLE, 'Supervision:attestMilestone', f.program, 'half_floors', '');
    await h.fails('MILESTONE_OUT_OF_ORDER', REG, 'Supervision:attestMilestone', f.program, 'topping_out', hash('x'));
    await h.fails('ROLE_REQUIRED', PARTY, 'Supervision:attestMilestone', f.program, 'half_floors', hash('x'));
    const from = await h.ledger.height();
    await attest('half_floors', ORACLE);
    expect(await attest('half_floors', ORACLE))
      .to.have.property('attested')
      .that.includes('half_floors'); // replay
    await h.fails(
      'IDEMPOTENCY_CONFLICT',
      ORACLE,
      'Supervision:attestMilestone',
      f.program,
      'half_floors',
      hash('other'),
    );
    expect((await eventsOf(h, 'MilestoneAttested', from))[0]).to.include({ milestone: 'half_floors', capBp: 5000 });
    await rel('2000000');
    await over('1');
  });

  it('topping out 70 %, completion report 85 %', async () => {
    await attest('topping_out');
    await rel('2000000');
    await over('1');
    await attest('completion_report');
    await rel('1500000');
    await over('1');
  });

  it('completion filing says 100 % but 5 % stays until first registration', async () => {
    await attest('completion_filing');
    await rel('1000000');
    await over('1');
    const rep = await h.evaluate(REG, 'Supervision:report', f.program);
    expect(rep.milestone).to.include({ capBp: 9500, cap: '9500000' });
    expect(rep).to.include({ held: '500001', available: '0', retained: '500001', pending: '9500000', released: '0' });
  });

  it('first registration releases the rest; settled, reported by milestone, closed, conserved', async () => {
    await attest('first_registration');
    await rel('500001');
    for (const i of instructions) await h.submit(ORACLE, 'Supervision:confirmPayout', i, `rail-${i.slice(2, 10)}`);
    expect(await h.balance(f.contractor)).to.equal(KEY);
    const rep = await h.evaluate(REG, 'Supervision:report', f.program);
    expect(rep).to.include({
      deposited: KEY.toString(),
      held: '0',
      released: KEY.toString(),
      pending: '0',
      available: '0',
      retained: '0',
    });
    expect(rep.releasedByMilestone).to.deep.equal({
      permit: '3000000',
      half_floors: '2000000',
      topping_out: '2000000',
      completion_report: '1500000',
      completion_filing: '1000000',
      first_registration: '500001',
    });
    const byReg = await h.evaluate(REG, 'Supervision:regulatorReport', '');
    expect(byReg.programs.map((p: any) => p.program)).to.include(f.program);

    await h.fails('ROLE_REQUIRED', 'auditor1', 'Supervision:close', f.program, hash('r'));
    const closed = await h.submit(REG, 'Supervision:close', f.program, hash('final report'));
    expect(closed.status).to.equal('closed');
    expect(await h.submit(REG, 'Supervision:close', f.program, hash('final report'))).to.deep.equal(closed);
    expect((await h.evaluate(REG, 'Money:getAccount', f.sup)).program).to.equal(undefined);
    await h.fails(
      'PROGRAM_CLOSED',
      PARTY,
      'Supervision:requestPayment',
      f.program,
      'late',
      f.line,
      f.contractor,
      '1',
      'x',
      'bank',
    );
    await h.expectConserved();
  });
});
