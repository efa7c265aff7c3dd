import { expect } from 'chai';
import { signCall } from '../../ledger/intents';
import { rmSync } from 'node:fs';
import { MirrorOracle } from '../../oracles/mirror';
import { openChainAccounts, openTestChain, TestChain } from './chain';
import { eachBackend } from './support';

eachBackend('mirror', (fx) => {
  let chain: TestChain;
  beforeEach(async () => {
    chain = await openTestChain();
    await openChainAccounts(chain, ['c-a', 'c-b']);
  });
  afterEach(async () => {
    await chain.ledger.close();
    rmSync(chain.dir, { recursive: true, force: true });
  });

  it('mirrors deposits, transfers and withdrawals once each, in order, and replays as no-ops', async () => {
    const b = fx().books;
    await b.openAccount({ id: 'a', holder: 'alice', chainAccount: 'c-a' });
    await b.openAccount({ id: 'b', holder: 'bob', chainAccount: 'c-b', color: 'wage' });
    await b.openAccount({ id: 'x', holder: 'unmirrored' });
    await b.deposit({ ref: 'd1', account: 'a', amount: '10000' });
    await b.deposit({ ref: 'd2', account: 'x', amount: '700' });
    await b.transfer({ ref: 't1', from: 'a', to: 'b', amount: '2500' });
    await b.withdraw({ ref: 'w1', account: 'a', amount: '500' });
    const oracle = new MirrorOracle({ books: b, ledger: chain.ledger, oracle: chain.ids.oracle });
    const dead: unknown[] = [];
    oracle.on('dead', (_m, e) => dead.push(e));
    expect(await oracle.runOnce()).to.equal(4);
    expect(dead).to.deep.equal([]);
    const bal = async (id: string) =>
      JSON.parse(await chain.ledger.evaluate(signCall(chain.ids.bank, { fn: 'Money:balance', args: [id] })));
    expect((await bal('c-a')).total).to.equal('7000');
    const cb = await bal('c-b');
    expect(cb.total).to.equal('2500');
    expect(cb.byColor.map((l: { color: string }) => l.color)).to.deep.equal(['wage']);
    // replaying everything (a crash before the checkpoint) changes nothing on chain
    await b.putMeta('checkpoint/mirror', { seq: '0', at: '' });
    expect(await oracle.runOnce()).to.equal(4);
    const totals = JSON.parse(
      await chain.ledger.evaluate(signCall(chain.ids.auditor, { fn: 'Money:totals', args: [] })),
    );
    expect(totals).to.include({ balances: '9500', deposits: '12500', withdrawals: '3000', conserved: true });
  });

  it('follows new movements live and parks records the chain refuses', async () => {
    const b = fx().books;
    await b.openAccount({ id: 'a', holder: 'alice', chainAccount: 'c-a' });
    await b.openAccount({ id: 'ghost', holder: 'nobody', chainAccount: 'c-missing' });
    const oracle = new MirrorOracle({ books: b, ledger: chain.ledger, oracle: chain.ids.oracle, idleMs: 200 });
    const dead: string[] = [];
    oracle.on('dead', (m) => dead.push(m.offTxId));
    oracle.start();
    for (let i = 0; i < 20; i++) await b.deposit({ ref: `d${i}`, account: 'a', amount: '100' });
    await b.deposit({ ref: 'g1', account: 'ghost', amount: '1' });
    await oracle.drained(10_000);
    await oracle.stop();
    expect(dead).to.deep.equal(['g1']);
    expect(await b.getMeta('mirror-dead/g1')).to.have.nested.property('error.code', 'ACCOUNT_NOT_FOUND');
    const bal = JSON.parse(
      await chain.ledger.evaluate(signCall(chain.ids.bank, { fn: 'Money:balance', args: ['c-a'] })),
    );
    expect(bal.total).to.equal('2000');
  });
});
