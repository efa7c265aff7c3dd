/**
 * Account access on chain, the paths REST does not show: a member's standing consent lets a bank
 * of another org open its accounts active; a pending account takes no mirrored money; the freeze
 * authority rule holds on Money:setAccountStatus too; a bank's own oracle mirrors only its own
 * accounts.
 */
import { expect } from 'chai';
import { Harness } from '../support/harness';
import { sameAsMissing } from '../support/same';

describe('account access (embedded ledger, second bank org)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await Harness.create();
  });
  after(() => h?.close());

  it("a member's standing consent: bank2 opens its accounts active; withdrawn, pending again", async () => {
    await h.submit('ent2', 'Money:authorizeBank', 'Org3MSP', 'true');
    await h.openAccount('pc-1', 'ent2', 'settlement', 'bank2');
    expect((await h.evaluate('ent2', 'Money:getAccount', 'pc-1')).status).to.equal('active');
    await h.submit('ent2', 'Money:authorizeBank', 'Org3MSP', 'false');
    await h.openAccount('pc-2', 'ent2', 'settlement', 'bank2');
    expect((await h.evaluate('bank2', 'Money:getAccount', 'pc-2')).status).to.equal('pending');
  });

  it('a pending account takes no mirrored deposit', async () => {
    const e = await h.deposit('pc-2', 100n, 'pc-d2', '', 'oracle2').catch((x) => x);
    expect(e.code).to.equal('ACCOUNT_PENDING');
    await h.deposit('pc-1', 100n, 'pc-d3', '', 'oracle2');
    expect(await h.balance('pc-1')).to.equal(100n);
  });

  it("a regulator's Money:setAccountStatus lifts its own freeze only, never a court's", async () => {
    await h.openAccount('fz-1', 'ent1');
    await h.submit('court1', 'Money:freezeAccount', 'fz-1', 'SH01-2026-9', '诉讼保全');
    await h.submit('regulator1', 'Money:setAccountStatus', 'fz-1', 'frozen', '监管调查');
    const a = await h.submit('regulator1', 'Money:setAccountStatus', 'fz-1', 'active', '调查结束');
    expect([a.status, a.freezes.map((f: any) => f.by)]).to.deep.equal(['frozen', ['Org2MSP:court1']]);
    await h.fails('NOT_FREEZE_AUTHORITY', 'regulator1', 'Money:setAccountStatus', 'fz-1', 'active', 'again');
    await h.fails('NOT_FREEZE_AUTHORITY', 'regulator1', 'Money:unfreezeAccount', 'fz-1', 'SH01-2026-9', 'x');
    expect((await h.submit('court1', 'Money:unfreezeAccount', 'fz-1', 'SH01-2026-9', '解除')).status).to.equal(
      'active',
    );
    expect((await h.submit('court1', 'Money:unfreezeAccount', 'fz-1', 'SH01-2026-9', '解除')).status).to.equal(
      'active',
    ); // replay
  });

  it("oracle2 mirrors nothing into bank1's accounts: not found, as for a missing id", async () => {
    await h.openAccount('om-1', 'ent1');
    await sameAsMissing(h, {
      who: 'oracle2',
      fn: 'Money:mirrorDeposit',
      args: (id) => [id, '100', 'om-d1', '', '00'],
      id: 'om-1',
      submit: true,
    });
    await sameAsMissing(h, {
      who: 'bank2',
      fn: 'Money:setWalletTier',
      args: (id) => [id, '1'],
      id: 'om-1',
      submit: true,
    });
    await sameAsMissing(h, {
      who: 'ent4',
      fn: 'Money:consentAccount',
      args: (id) => [id, 'accept'],
      id: 'om-1',
      submit: true,
    });
  });

  it("a trace shows another bank's customers' accounts and deposits to no one but the mandate", async () => {
    await h.openAccount('tx-ent1', 'ent1');
    await h.deposit('tx-ent1', 5000n, 'tx-d1');
    await h.submit('ent4', 'Money:authorizeBank', 'Org3MSP', 'true'); // its own bank: active anyway
    await h.openAccount('tx-ent4', 'ent4', 'settlement', 'bank2');
    await h.submit('ent1', 'Money:transfer', 'tx-t1', 'tx-ent1', 'tx-ent4', '3000', 'goods', '');
    const mine = await h.evaluate('ent4', 'Trace:backward', 'tx-ent4', '');
    expect(mine.bySource).to.deep.equal([{ deposit: '*', amount: '3000' }]);
    expect(mine.paths.map((p: any) => p.nodes)).to.deep.equal([['tx-ent4/dep:tx-ent1', '*', '*']]);
    expect(Object.keys(mine.names)).to.deep.equal(['tx-ent4']);
    const audit = await h.evaluate('auditor1', 'Trace:backward', 'tx-ent4', '');
    expect(audit.paths[0].nodes).to.deep.equal(['tx-ent4/dep:tx-ent1', 'tx-ent1/dep:tx-ent1', 'deposit:Org1MSP:tx-d1']);
    expect(audit.names['tx-ent1']).to.deep.equal({ holderName: 'ent1', holderOrg: 'Org1MSP' });
    // ent1 traces where its own deposit went: to an account of another bank, shown as '*'
    const fwd = await h.evaluate('ent1', 'Trace:forward', 'Org1MSP', 'tx-d1', '');
    expect(fwd.byHolder).to.have.deep.members([
      { account: 'tx-ent1', lot: 'tx-ent1/dep:tx-ent1', amount: '2000' },
      { account: '*', lot: '*', amount: '3000' },
    ]);
  });
});
