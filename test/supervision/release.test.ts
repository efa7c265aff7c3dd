import { expect } from 'chai';
import { Harness } from '../support/harness';
import { BANK, eventsOf, Fixture, makeProgram, ORACLE, PARTY, REG, release, releaseSettled } from './fixture';

describe('supervision releases (embedded ledger)', function () {
  let h: Harness;
  before(async () => {
    h = await Harness.create();
    h.setTime('2024-05-06T02:00:00Z');
  });
  after(async () => h.close());

  const req = (f: Fixture, id: string, amount: string, payee = f.contractor) =>
    h.submit(PARTY, 'Supervision:requestPayment', f.program, id, f.line, payee, amount, 'pay supplier', 'bank');
  const codes = (r: any) => r.reasons.map((x: any) => x.code);

  it('the supervised account refuses direct spending', async () => {
    const f = await makeProgram(h);
    await h.fails('SUPERVISED_ACCOUNT', PARTY, 'Money:transfer', h.uid('t'), f.sup, f.contractor, '100', 'direct', '');
  });

  it('budget line: exactly at the cap passes, one fen over is recorded as rejected and moves nothing', async () => {
    const f = await makeProgram(h, {}, 10_000_000n, '1500000');
    expect((await release(h, f, '1000000')).status).to.equal('instructed');
    const over = await req(f, 'over', '500001');
    expect(over.status).to.equal('rejected');
    expect(codes(over)).to.deep.equal(['LINE_CAP_EXCEEDED']);
    expect((await h.evaluate(REG, 'Supervision:getRequest', f.program, 'over')).status).to.equal('rejected');
    expect(await h.balance(f.sup)).to.equal(9_000_000n);
    expect((await release(h, f, '500000')).status).to.equal('instructed');
    expect(await h.balance(f.sup)).to.equal(8_500_000n);
  });

  it('per payment: at the limit passes, one fen over is rejected', async () => {
    const f = await makeProgram(h, { limits: { perPayment: '2000000' } });
    expect((await release(h, f, '2000000')).status).to.equal('instructed');
    expect(codes(await req(f, h.uid('r'), '2000001'))).to.deep.equal(['PER_PAYMENT_LIMIT']);
  });

  it('per day (China time): the day fills exactly, one fen more waits for the next day', async () => {
    const f = await makeProgram(h, {}, 10_000_000n, '9000000');
    h.setTime('2024-05-07T01:00:00Z');
    await release(h, f, '2000000');
    await release(h, f, '1000000');
    expect(codes(await req(f, h.uid('r'), '1'))).to.deep.equal(['PER_DAY_LIMIT']);
    h.setTime('2024-05-07T16:00:00Z'); // 00:00 on the 8th in Beijing
    expect((await release(h, f, '1')).status).to.equal('instructed');
  });

  it('公转私: a personal payee up to the limit passes; one fen over is rejected with an alert', async () => {
    const f = await makeProgram(h);
    expect((await release(h, f, '50000', f.worker)).status).to.equal('instructed');
    const from = await h.ledger.height();
    const r = await req(f, 'p2', '50001', f.worker);
    expect(codes(r)).to.deep.equal(['PERSONAL_LIMIT']);
    const alerts = await h.evaluate(REG, 'Supervision:listAlerts', f.program);
    expect(alerts.map((a: any) => a.alert)).to.deep.equal(['PERSONAL_LIMIT']);
    expect(alerts[0].request).to.equal('p2');
    expect((await eventsOf(h, 'Alert', from)).map((e) => e.alert)).to.include('PERSONAL_LIMIT');
  });

  it('a payee not on the whitelist is rejected with an alert', async () => {
    const f = await makeProgram(h);
    expect(codes(await req(f, 'w1', '100', f.outsider))).to.deep.equal(['PAYEE_NOT_WHITELISTED']);
    expect((await h.evaluate(REG, 'Supervision:listAlerts', f.program)).map((a: any) => a.alert)).to.deep.equal([
      'PAYEE_NOT_WHITELISTED',
    ]);
  });

  it('approvals: wrong approver refused, repeated approver counted once, threshold needs all, a rejection ends it', async () => {
    const f = await makeProgram(h);
    await req(f, 'a1', '1000000'); // at the threshold: all three
    await h.fails('NOT_APPROVER', ORACLE, 'Supervision:approve', f.program, 'a1', 'me too');
    await h.fails('PROGRAM_NOT_FOUND', 'ent2', 'Supervision:approve', f.program, 'a1', 'me too'); // not a reader
    await h.fails(
      'NOT_PROGRAM_PARTY',
      BANK,
      'Supervision:requestPayment',
      f.program,
      'a9',
      f.line,
      f.contractor,
      '1',
      'x',
      'bank',
    );
    await h.submit(REG, 'Supervision:approve', f.program, 'a1', 'ok');
    const again = await h.submit(REG, 'Supervision:approve', f.program, 'a1', 'ok');
    expect(again.approvals).to.have.length(1);
    await h.fails('ALREADY_DECIDED', REG, 'Supervision:reject', f.program, 'a1', 'changed my mind');
    expect((await h.submit(BANK, 'Supervision:approve', f.program, 'a1', 'ok')).status).to.equal('pending_approval');
    expect((await h.submit(PARTY, 'Supervision:approve', f.program, 'a1', 'ok')).status).to.equal('instructed');

    await req(f, 'a2', '999999'); // below the threshold: two of three
    const rej = await h.submit(BANK, 'Supervision:reject', f.program, 'a2', 'invoice missing');
    expect(rej.status).to.equal('rejected');
    expect(codes(rej)).to.deep.equal(['REJECTED_BY_APPROVER']);
    await h.fails('REQUEST_NOT_PENDING', REG, 'Supervision:approve', f.program, 'a2', 'ok');
  });

  it('a request is idempotent on its id', async () => {
    const f = await makeProgram(h);
    const a = await req(f, 'i1', '100');
    expect(await req(f, 'i1', '100')).to.deep.equal(a);
    await h.fails(
      'IDEMPOTENCY_CONFLICT',
      PARTY,
      'Supervision:requestPayment',
      f.program,
      'i1',
      f.line,
      f.contractor,
      '101',
      'pay supplier',
      'bank',
    );
  });

  it('a frozen program moves nothing until unfrozen; confirmations still land', async () => {
    const f = await makeProgram(h);
    const inFlight = await release(h, f, '100');
    await req(f, 'f1', '200');
    await h.fails('ROLE_REQUIRED', BANK, 'Supervision:freeze', f.program, 'no');
    expect((await h.submit(REG, 'Supervision:freeze', f.program, 'court order')).status).to.equal('frozen');
    await h.fails(
      'PROGRAM_FROZEN',
      PARTY,
      'Supervision:requestPayment',
      f.program,
      'f2',
      f.line,
      f.contractor,
      '1',
      'x',
      'bank',
    );
    await h.fails('PROGRAM_FROZEN', REG, 'Supervision:approve', f.program, 'f1', 'ok');
    await h.fails('SUPERVISED_ACCOUNT', PARTY, 'Money:transfer', h.uid('t'), f.sup, f.contractor, '1', 'direct', '');
    await h.submit(ORACLE, 'Supervision:confirmPayout', inFlight.instructions[0], 'rail-1');
    expect((await h.submit(REG, 'Supervision:unfreeze', f.program, 'lifted')).status).to.equal('active');
    await h.submit(REG, 'Supervision:approve', f.program, 'f1', 'ok');
    expect((await h.submit(BANK, 'Supervision:approve', f.program, 'f1', 'ok')).status).to.equal('instructed');
  });

  it('a frozen supervised account (Money:setAccountStatus) stops releases', async () => {
    const f = await makeProgram(h);
    await h.submit(REG, 'Money:setAccountStatus', f.sup, 'frozen', 'investigation');
    await h.fails(
      'ACCOUNT_FROZEN',
      PARTY,
      'Supervision:requestPayment',
      f.program,
      'z1',
      f.line,
      f.contractor,
      '1',
      'x',
      'bank',
    );
    await h.submit(REG, 'Money:setAccountStatus', f.sup, 'active', 'done');
  });

  it('payout: PayoutInstructed carries the oracle fields; confirm settles to the payee, fail returns the funds', async () => {
    const f = await makeProgram(h);
    const from = await h.ledger.height();
    const r = await release(h, f, '300000');
    const [ev] = await eventsOf(h, 'PayoutInstructed', from);
    expect(ev).to.include({
      instructionId: r.instructions[0],
      program: f.program,
      account: f.payout,
      payee: f.contractor,
      payeeRef: `off-${f.contractor}`,
      amount: '300000',
      rail: 'bank',
    });
    expect(await h.balance(f.payout)).to.equal(300_000n);
    const bal = await h.evaluate(REG, 'Money:balance', f.payout);
    expect(bal.byColor.map((c: any) => c.color)).to.deep.equal([`prog:${f.program}`]);

    await h.fails('ROLE_REQUIRED', BANK, 'Supervision:confirmPayout', r.instructions[0], 'x');
    const s = await h.submit(ORACLE, 'Supervision:confirmPayout', r.instructions[0], 'BANK-REF-1');
    expect(s.status).to.equal('settled');
    expect(await h.submit(ORACLE, 'Supervision:confirmPayout', r.instructions[0], 'BANK-REF-1')).to.deep.equal(s);
    await h.fails('IDEMPOTENCY_CONFLICT', ORACLE, 'Supervision:confirmPayout', r.instructions[0], 'BANK-REF-2');
    await h.fails('INSTRUCTION_FINAL', ORACLE, 'Supervision:failPayout', r.instructions[0], 'too late');
    expect(await h.balance(f.contractor)).to.equal(300_000n);
    expect((await h.evaluate(REG, 'Supervision:getRequest', f.program, r.id)).status).to.equal('settled');

    const r2 = await release(h, f, '200000');
    await h.submit(ORACLE, 'Supervision:failPayout', r2.instructions[0], 'payee account closed at the bank');
    expect(await h.balance(f.sup)).to.equal(10_000_000n - 300_000n);
    expect(await h.balance(f.payout)).to.equal(0n);
    const rep = await h.evaluate(REG, 'Supervision:report', f.program);
    expect(rep).to.include({ released: '300000', pending: '0', held: '9700000', deposited: '10000000' });
    expect(rep.lines[0]).to.include({ used: '300000', remaining: '4700000' });
    expect(rep.releasedByLine).to.deep.equal({ materials: '300000' });
  });

  it('structuring: a third payment just below the approval threshold raises an alert', async () => {
    const f = await makeProgram(h, {}, 10_000_000n, '9000000');
    for (const id of ['s1', 's2', 's3']) await req(f, id, '950000');
    const alerts = await h.evaluate(REG, 'Supervision:listAlerts', f.program);
    expect(alerts.map((a: any) => [a.alert, a.request])).to.deep.equal([['STRUCTURING', 's3']]);
  });

  it('money is conserved over everything above', async () => {
    await h.expectConserved();
    const f = await makeProgram(h);
    await releaseSettled(h, f, '123456');
    await h.expectConserved();
  });
});
