import { expect } from 'chai';
import { Harness } from '../support/harness';
import { BANK, eventsOf, hash, ORACLE, PARTY, REG, spec } from './fixture';

describe('supervision: migrant wages (embedded ledger)', function () {
  let h: Harness;
  const program = 'wages-prog-1';
  const acct = {
    wage: 'w-wage',
    deposit: 'w-dep',
    payout: 'w-pay',
    own: 'w-own',
    sup: 'w-sup',
    workers: ['w-k1', 'w-k2', 'w-k3'],
  };
  const rows = (amounts: string[]) =>
    amounts.map((amount, i) => ({ worker: hash(`worker-id-${i}`), account: acct.workers[i], amount }));

  before(async () => {
    h = await Harness.create();
    h.setTime('2024-03-20T02:00:00Z');
    await h.openAccount(acct.wage, PARTY, 'wage');
    await h.openAccount(acct.deposit, PARTY, 'deposit');
    await h.openAccount(acct.payout, BANK, 'payout');
    await h.openAccount(acct.own, PARTY);
    await h.openAccount(acct.sup, PARTY, 'supervised');
    for (const w of acct.workers) await h.openAccount(w, 'consumer1', 'wallet');
    const s = spec({
      scenario: 'migrant_wages',
      keyAmount: '0',
      contractValue: '100000000',
      depositBp: 200,
      limits: { wageGraceDays: 0, personalPerPayment: '1000' },
    });
    await h.submit(REG, 'Supervision:createProgram', program, s);
    for (const [id, role] of [
      [acct.wage, 'wage'],
      [acct.deposit, 'deposit'],
      [acct.payout, 'payout'],
      [acct.sup, 'supervised'],
    ])
      await h.submit(BANK, 'Supervision:attachAccount', program, id, role);
    await h.submit(REG, 'Supervision:activate', program);
    await h.deposit(acct.wage, 1_000_000n);
    await h.deposit(acct.deposit, 2_000_000n);
    await h.deposit(acct.sup, 10n);
  });
  after(async () => h.close());

  it('a wage deposit must be 1-3 % of the contract value', async () => {
    await h.fails(
      'INVALID_ARGUMENT',
      REG,
      'Supervision:createProgram',
      'wages-bad',
      spec({ scenario: 'migrant_wages', contractValue: '100', depositBp: 301 }),
    );
  });

  it('a monthly sheet is one release split into per-worker payouts (公转私 limit does not apply to wages)', async () => {
    const from = await h.ledger.height();
    const r = await h.submit(
      PARTY,
      'Supervision:submitWageSheet',
      program,
      'wages-2024-03',
      '2024-03',
      hash('signed sheet 2024-03'),
      JSON.stringify(rows(['300000', '250000', '200000'])),
    );
    expect(r).to.include({ kind: 'wages', amount: '750000', status: 'pending_approval' });
    await h.submit(REG, 'Supervision:approve', program, r.id, 'ok');
    const done = await h.submit(BANK, 'Supervision:approve', program, r.id, 'ok');
    expect(done.status).to.equal('instructed');
    expect(done.instructions).to.have.length(3);
    const evs = await eventsOf(h, 'PayoutInstructed', from);
    expect(evs.map((e) => [e.payee, e.amount, e.kind])).to.deep.equal([
      [acct.workers[0], '300000', 'wages'],
      [acct.workers[1], '250000', 'wages'],
      [acct.workers[2], '200000', 'wages'],
    ]);
    expect(await h.balance(acct.wage)).to.equal(250_000n);

    await h.submit(ORACLE, 'Supervision:confirmPayout', done.instructions[0], 'r1');
    await h.submit(ORACLE, 'Supervision:confirmPayout', done.instructions[1], 'r2');
    await h.submit(ORACLE, 'Supervision:failPayout', done.instructions[2], 'worker card cancelled');
    expect((await h.evaluate(REG, 'Supervision:getRequest', program, r.id)).status).to.equal('partial');
    expect(await h.balance(acct.wage)).to.equal(450_000n);
    expect(await h.balance(acct.workers[0])).to.equal(300_000n);
  });

  it('a sheet larger than the wage account is rejected at execution with an alert', async () => {
    const r = await h.submit(
      PARTY,
      'Supervision:submitWageSheet',
      program,
      'wages-2024-03b',
      '2024-03',
      hash('sheet b'),
      JSON.stringify(rows(['450001'])),
    );
    await h.submit(REG, 'Supervision:approve', program, r.id, 'ok');
    const done = await h.submit(BANK, 'Supervision:approve', program, r.id, 'ok');
    expect(done.status).to.equal('rejected');
    expect(done.reasons.map((x: any) => x.code)).to.deep.equal(['INSUFFICIENT_FUNDS']);
  });

  it('checkWages: paid months are fine, a month without a payout raises one alert once it has ended', async () => {
    await h.fails('ROLE_REQUIRED', PARTY, 'Supervision:checkWages', program, '2024-04');
    h.setTime('2024-04-20T02:00:00Z');
    expect((await h.submit(ORACLE, 'Supervision:checkWages', program, '2024-03')).status).to.equal('paid');
    expect((await h.submit(ORACLE, 'Supervision:checkWages', program, '2024-04')).status).to.equal('not_due');
    h.setTime('2024-04-30T15:59:59Z');
    expect((await h.submit(REG, 'Supervision:checkWages', program, '2024-04')).status).to.equal('not_due');
    h.setTime('2024-04-30T16:00:00Z'); // 1 May 00:00 in Beijing
    const miss = await h.submit(REG, 'Supervision:checkWages', program, '2024-04');
    expect(miss.status).to.equal('missing');
    expect(await h.submit(ORACLE, 'Supervision:checkWages', program, '2024-04')).to.deep.equal(miss);
    const alerts = (await h.evaluate(REG, 'Supervision:listAlerts', program)).filter(
      (a: any) => a.alert === 'WAGES_MISSING',
    );
    expect(alerts).to.have.length(1);
  });

  it('the regulator pays arrears from the wage deposit, then releases the rest at completion', async () => {
    // A forced refund whose id looks like an arrears or deposit-release id must not block them.
    for (const id of ['arrears:arrears-1', 'deposit-release']) {
      await h.submit(
        REG,
        'Supervision:forceRefund',
        program,
        id,
        JSON.stringify([{ account: acct.own, amount: '1' }]),
        'id collision check',
      );
    }
    const a = await h.submit(
      REG,
      'Supervision:payArrears',
      program,
      'arrears-1',
      JSON.stringify(rows(['100000', '50000'])),
    );
    expect(
      await h.submit(REG, 'Supervision:payArrears', program, 'arrears-1', JSON.stringify(rows(['100000', '50000']))),
    ).to.deep.equal(a);
    await h.fails(
      'IDEMPOTENCY_CONFLICT',
      REG,
      'Supervision:payArrears',
      program,
      'arrears-1',
      JSON.stringify(rows(['1'])),
    );
    for (const i of a.instructions) await h.submit(ORACLE, 'Supervision:confirmPayout', i, `arr-${i.slice(2, 8)}`);
    expect(await h.balance(acct.deposit)).to.equal(1_850_000n);
    await h.fails('NOT_PARTY_ACCOUNT', REG, 'Supervision:releaseWageDeposit', program, acct.workers[0]);
    const d = await h.submit(REG, 'Supervision:releaseWageDeposit', program, acct.own);
    await h.submit(ORACLE, 'Supervision:confirmPayout', d.id, 'dep-back');
    expect(await h.balance(acct.own)).to.equal(1_850_000n);
    const rep = await h.evaluate(REG, 'Supervision:report', program);
    expect(rep.wage).to.deep.equal({ held: '450000', depositHeld: '0', depositRequired: '2000000' });
    expect(rep.byKind).to.include({ wages: '550000', arrears: '150000', deposit: '1850000' });
    await h.expectConserved();
  });
});

describe('supervision: wage sheets and the approval threshold (embedded ledger)', function () {
  let h: Harness;
  before(async () => (h = await Harness.create()));
  after(async () => h.close());

  it('a wage sheet at or above approvalThreshold needs requiredAbove approvals, like any release', async () => {
    h.setTime('2024-03-20T02:00:00Z');
    const [program, wage, payout, worker] = [h.uid('prog'), h.uid('wage'), h.uid('pay'), h.uid('wrk')];
    await h.openAccount(wage, PARTY, 'wage');
    await h.openAccount(payout, BANK, 'payout');
    await h.openAccount(worker, 'consumer1', 'wallet');
    await h.submit(
      REG,
      'Supervision:createProgram',
      program,
      spec({ scenario: 'migrant_wages', keyAmount: '0', contractValue: '100000000', depositBp: 200 }),
    );
    await h.submit(BANK, 'Supervision:attachAccount', program, wage, 'wage');
    await h.submit(BANK, 'Supervision:attachAccount', program, payout, 'payout');
    await h.submit(REG, 'Supervision:activate', program);
    await h.deposit(wage, 5_000_000n);
    const rows = JSON.stringify([{ worker: hash('w'), account: worker, amount: '1000000' }]);
    const r = await h.submit(PARTY, 'Supervision:submitWageSheet', program, 'big-sheet', '2024-03', hash('big'), rows);
    expect(r.required).to.equal(3);
    await h.submit(REG, 'Supervision:approve', program, r.id, 'ok');
    expect((await h.submit(BANK, 'Supervision:approve', program, r.id, 'ok')).status).to.equal('pending_approval');
    expect((await h.submit(PARTY, 'Supervision:approve', program, r.id, 'ok')).status).to.equal('instructed');
  });
});
