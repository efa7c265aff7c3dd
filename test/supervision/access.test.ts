/**
 * Who may see and act on a program (14, on chain): a second bank's members learn nothing of
 * bank1's programs, instructions or wage months — the answer is the one for a missing id.
 */
import { expect } from 'chai';
import { Harness } from '../support/harness';
import { sameAsMissing } from '../support/same';
import { Fixture, makeProgram, release, REG } from './fixture';

describe('supervision access (embedded ledger, second bank org)', function () {
  this.timeout(60_000);
  let h: Harness;
  let f: Fixture;
  let instruction: string;
  before(async () => {
    h = await Harness.create();
    f = await makeProgram(h);
    instruction = (await release(h, f, '100000')).instructions[0];
  });
  after(() => h?.close());

  it("bank2's org reads none of the program, its requests, alerts, instructions or report", async () => {
    for (const who of ['bank2', 'oracle2', 'ent4', 'consumer3'])
      for (const fn of ['getProgram', 'listRequests', 'listAlerts', 'report', 'listOffChainDebits'])
        expect(
          await sameAsMissing(h, { who: who, fn: `Supervision:${fn}`, args: (id) => [id], id: f.program }),
        ).to.equal('PROGRAM_NOT_FOUND');
    expect(
      await sameAsMissing(h, { who: 'ent4', fn: 'Supervision:getInstruction', args: (id) => [id], id: instruction }),
    ).to.equal('INSTRUCTION_NOT_FOUND');
    expect(await h.evaluate('oracle2', 'Supervision:wagePrograms')).to.deep.equal([]);
  });

  it("bank2's oracle settles, checks or attests nothing of it", async () => {
    await sameAsMissing(h, {
      who: 'oracle2',
      fn: 'Supervision:confirmPayout',
      args: (id) => [id, 'R-1'],
      id: instruction,
      submit: true,
    });
    await sameAsMissing(h, {
      who: 'oracle2',
      fn: 'Supervision:checkWages',
      args: (id) => [id, '2025-01'],
      id: f.program,
      submit: true,
    });
    await sameAsMissing(h, {
      who: 'oracle2',
      fn: 'Supervision:attestMilestone',
      args: (id) => [id, 'm1', 'ab'.repeat(32)],
      id: f.program,
      submit: true,
    });
    await sameAsMissing(h, {
      who: 'ent4',
      fn: 'Supervision:approve',
      args: (id) => [id, 'x', 'ok'],
      id: f.program,
      submit: true,
    });
    await sameAsMissing(h, {
      who: 'bank2',
      fn: 'Supervision:attachAccount',
      args: (id) => [id, f.sup, 'supervised'],
      id: f.program,
      submit: true,
    });
    expect((await h.evaluate(REG, 'Supervision:getInstruction', instruction)).status).to.equal('instructed');
  });

  it('a payee off the whitelist is the same refusal whether or not the account exists', async () => {
    const req = (payee: string, id: string): Promise<any> =>
      h.submit('ent1', 'Supervision:requestPayment', f.program, id, f.line, payee, '100', 'x', 'bank');
    const [a, b] = [await req(f.outsider, 'wl-a'), await req('no-such-account', 'wl-b')];
    expect([a.status, a.reasons.map((r: any) => r.code)]).to.deep.equal(['rejected', ['PAYEE_NOT_WHITELISTED']]);
    expect([b.status, b.reasons.map((r: any) => r.code)]).to.deep.equal(['rejected', ['PAYEE_NOT_WHITELISTED']]);
  });
});
