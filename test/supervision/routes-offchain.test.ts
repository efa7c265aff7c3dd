/**
 * Issue 16.1 through the REST API, on a LevelDB and on a PostgreSQL book: a custodian debiting
 * 预售资金 in its books (POST /v1/books/withdrawals on the book account behind an active
 * program's supervised account) is mirrored, and the chain raises an alert on the program naming
 * the amount and the book entry, opens a case, shows it in the program report, and the bank's
 * reconciliation inbox gets a case. An approved release paid by the bank raises nothing.
 */
import { expect } from 'chai';
import { until } from '../support/wait';
import { rest } from '../support/rest';
import { createPgDatabase, skipWithoutPg } from '../oracles/support';
import { Harness, startGateway } from '../gateway/helpers';

const P = '/v1/supervision/programs';

for (const backend of ['level', 'pg'] as const) {
  describe(`supervision routes: supervised money leaving in the books raises an alert and a case [${backend}]`, function () {
    this.timeout(60_000);
    let h: Harness;
    const { ok } = rest(() => h);
    let drop: (() => Promise<void>) | undefined;
    const alerts = async (): Promise<Array<{ alert: string; detail: string }>> =>
      ok('Org2MSP:regulator1', 'GET', `${P}/off1/alerts`);

    before(async function () {
      if (backend === 'pg') await skipWithoutPg(this, 'unapproved off-chain debits');
      const db = backend === 'pg' ? await createPgDatabase() : undefined;
      drop = db?.drop;
      h = await startGateway(`sv-off-${backend}`, db ? { databaseUrl: db.url } : {});
      const open = (id: string, kind: string, owner: string): Promise<unknown> =>
        ok('Org1MSP:bank1', 'POST', '/v1/accounts', { id, kind, owner, offChainRef: `off-${id}` }, 201);
      await open('o-sup', 'supervised', 'Org1MSP:ent1');
      await open('o-pay', 'payout', 'Org1MSP:bank1');
      await open('o-con', 'settlement', 'Org1MSP:ent2');
      await ok(
        'Org2MSP:regulator1',
        'POST',
        P,
        {
          id: 'off1',
          scenario: 'presale_housing',
          title: '荔城花园',
          party: 'Org1MSP:ent1',
          bank: 'Org1MSP',
          keyAmount: '1000000',
          policy: { approvers: ['Org2MSP:regulator1'], required: 1 },
        },
        201,
      );
      await ok('Org1MSP:bank1', 'POST', `${P}/off1/accounts`, { account: 'o-sup', role: 'supervised' });
      await ok('Org1MSP:bank1', 'POST', `${P}/off1/accounts`, { account: 'o-pay', role: 'payout' });
      await ok('Org2MSP:regulator1', 'POST', `${P}/off1/lines`, {
        line: 'build',
        category: '建安',
        cap: '1000000',
        payees: ['o-con'],
      });
      await ok('Org2MSP:regulator1', 'POST', `${P}/off1/activate`, {});
      await ok(
        'Org1MSP:bank1',
        'POST',
        '/v1/books/accounts',
        { id: 'core-sup', holder: '预售监管户', chainAccount: 'o-sup' },
        201,
      );
      await ok(
        'Org1MSP:bank1',
        'POST',
        '/v1/books/deposits',
        { ref: 'dep-1', account: 'core-sup', amount: '1000000' },
        201,
      );
      h.oracles.start({
        ledger: h.ledger,
        intervalMs: 3_600_000,
        wageCheckIntervalMs: 3_600_000,
      });
      await until(
        'the deposit mirrored',
        async () =>
          (await h.call('Org2MSP:regulator1', 'GET', '/v1/accounts/o-sup/balance')).json().total === '1000000',
      );
    });
    after(async () => {
      await h?.close();
      await drop?.();
    });

    it('an approved release paid by the bank raises nothing', async () => {
      await ok(
        'Org1MSP:ent1',
        'POST',
        `${P}/off1/requests`,
        { id: 'q1', line: 'build', payee: 'o-con', amount: '300000', purpose: '主体施工' },
        201,
      );
      const done = await ok('Org2MSP:regulator1', 'POST', `${P}/off1/requests/q1/approve`, {});
      expect(done.status).to.equal('instructed');
      await until(
        'the payout settled',
        async () => (await ok('Org2MSP:regulator1', 'GET', `${P}/off1/requests/q1`)).status === 'settled',
      );
      expect((await h.oracles.books.getAccount('core-sup'))!.balance).to.equal('700000'); // the bank booked the payout itself
      expect((await alerts()).map((a) => a.alert)).to.deep.equal([]);
    });

    it('POST /v1/books/withdrawals on the supervised book account: alert, case and report name the program, amount and entry', async () => {
      await ok(
        'Org1MSP:bank1',
        'POST',
        '/v1/books/withdrawals',
        { ref: 'wd-fee-1', account: 'core-sup', amount: '123456', counterparty: 'custodian fee' },
        201,
      );
      await until('the alert', async () => (await alerts()).length > 0);
      const [a] = await alerts();
      expect(a.alert).to.equal('UNAPPROVED_OFF_CHAIN_DEBIT');
      expect(a.detail).to.include('123456').and.include('wd-fee-1').and.include('o-sup');
      const report = await ok('Org2MSP:auditor1', 'GET', `${P}/off1/report`);
      expect(report.offChain).to.include({ open: 1, amount: '123456' });
      expect(report.offChain.entries[0]).to.include({
        program: 'off1',
        account: 'o-sup',
        offTxId: 'wd-fee-1',
        amount: '123456',
        status: 'open',
      });
      await until(
        'the reconciliation case',
        async () => (await ok<any[]>('Org1MSP:bank1', 'GET', '/v1/recon/cases?status=open')).length > 0,
      );
      const [c] = await ok<any[]>('Org2MSP:regulator1', 'GET', '/v1/recon/cases?status=open');
      expect(c).to.include({
        class: 'unapproved_debit',
        program: 'off1',
        account: 'core-sup',
        offTxId: 'wd-fee-1',
        book: '-123456',
      });
      expect(c.detail).to.include('without an approved release');
    });

    it("the program's regulator resolves the on-chain case with a note", async () => {
      const r = await ok('Org2MSP:regulator1', 'POST', `${P}/off1/off-chain-debits/wd-fee-1/resolve`, {
        note: '托管费误扣，已冲回',
      });
      expect(r).to.include({ status: 'resolved', resolvedBy: 'Org2MSP:regulator1' });
      expect((await ok('Org2MSP:auditor1', 'GET', `${P}/off1/report`)).offChain).to.include({
        open: 0,
        amount: '0',
      });
      const other = await h.call('Org1MSP:ent1', 'POST', `${P}/off1/off-chain-debits/wd-fee-1/resolve`, { note: 'x' });
      expect(other.statusCode).to.equal(403);
    });
  });
}
