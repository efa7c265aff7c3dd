import { expect } from 'chai';
import { LedgerError } from '../../chaincode/lib/errors';
import { eachBackend } from './support';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as LedgerError).code;
  }
  return 'NO_ERROR';
}

eachBackend('books', (fx) => {
  it('opens accounts idempotently and rejects a different re-open', async () => {
    const b = fx().books;
    const a = await b.openAccount({ id: 'acc-1', holder: 'Org1MSP:alice', chainAccount: 'c-acc-1' });
    expect(await b.openAccount({ id: 'acc-1', holder: 'Org1MSP:alice', chainAccount: 'c-acc-1' })).to.deep.equal(a);
    expect(await code(b.openAccount({ id: 'acc-1', holder: 'Org1MSP:bob' }))).to.equal('ACCOUNT_EXISTS');
    expect(await code(b.openAccount({ id: 'bad/id', holder: 'x' }))).to.equal('INVALID_ID');
  });

  it('mirrors a chain account from one book account only (a second would move money it does not hold)', async () => {
    const b = fx().books;
    await b.openAccount({ id: 'core-1', holder: 'alice', chainAccount: 'chain-1' });
    expect(await code(b.openAccount({ id: 'dup', holder: 'x', chainAccount: 'chain-1' }))).to.equal(
      'CHAIN_ACCOUNT_MAPPED',
    );
    expect(await b.getAccount('dup')).to.equal(undefined);
    // Concurrent openings on one chain account: exactly one wins.
    const results = await Promise.all(
      ['r1', 'r2', 'r3', 'r4'].map((id) => code(b.openAccount({ id, holder: id, chainAccount: 'chain-2' }))),
    );
    expect(results.filter((c) => c === 'NO_ERROR')).to.have.length(1);
    expect(results.filter((c) => c === 'CHAIN_ACCOUNT_MAPPED')).to.have.length(3);
    expect((await b.openAccount({ id: 'core-1', holder: 'alice', chainAccount: 'chain-1' })).id).to.equal('core-1');
    expect((await b.openAccount({ id: 'plain', holder: 'y' })).chainAccount).to.equal(undefined);
  });

  it('posts deposits, transfers and withdrawals, each idempotent on its ref', async () => {
    const b = fx().books;
    await b.openAccount({ id: 'a', holder: 'alice', chainAccount: 'ca' });
    await b.openAccount({ id: 'b', holder: 'bob', system: 'ecny', tier: 4 });
    const d = await b.deposit({ ref: 'd1', account: 'a', amount: '10000', counterparty: 'cash' });
    expect(await b.deposit({ ref: 'd1', account: 'a', amount: 10000n, counterparty: 'cash' })).to.deep.equal(d);
    expect(await code(b.deposit({ ref: 'd1', account: 'a', amount: '1' }))).to.equal('IDEMPOTENCY_CONFLICT');
    const t = await b.transfer({ ref: 't1', from: 'a', to: 'b', amount: '2500' });
    expect(t.movements.map((m) => [m.account, m.direction, m.offTxId])).to.deep.equal([
      ['a', 'debit', 't1:dr'],
      ['b', 'credit', 't1:cr'],
    ]);
    await b.withdraw({ ref: 'w1', account: 'a', amount: '500' });
    expect(await code(b.withdraw({ ref: 'w2', account: 'a', amount: '7001' }))).to.equal('INSUFFICIENT_FUNDS');
    expect(await code(b.deposit({ ref: 'd9', account: 'nope', amount: '1' }))).to.equal('ACCOUNT_NOT_FOUND');
    expect(await code(b.deposit({ ref: 'd9', account: 'a', amount: '1.5' }))).to.equal('INVALID_AMOUNT');
    expect((await b.getAccount('a'))!.balance).to.equal('7000');
    expect((await b.getAccount('b'))!.balance).to.equal('2500');
    const j = await b.journal(0n, 100);
    expect(j.map((m) => m.seq)).to.deep.equal(['1', '2', '3', '4']);
    // only lines on the mirrored account reach the outbox, carrying its chain account
    const o = await b.outbox(0n, 100);
    expect(o.map((m) => [m.offTxId, m.chainAccount])).to.deep.equal([
      ['d1', 'ca'],
      ['t1:dr', 'ca'],
      ['w1', 'ca'],
    ]);
    expect((await b.outbox(2n, 100)).map((m) => m.offTxId)).to.deep.equal(['w1']);
  });

  it('keeps money and sequence consistent under concurrent postings', async () => {
    const b = fx().books;
    await b.openAccount({ id: 'a', holder: 'alice', chainAccount: 'ca' });
    await b.openAccount({ id: 'b', holder: 'bob', chainAccount: 'cb' });
    await b.deposit({ ref: 'seed', account: 'a', amount: '1000' });
    const work = [];
    for (let i = 0; i < 40; i++) {
      work.push(
        b.transfer({ ref: `x${i}`, from: i % 2 ? 'a' : 'b', to: i % 2 ? 'b' : 'a', amount: '30' }).catch((e) => e.code),
      );
      work.push(b.deposit({ ref: 'seed', account: 'a', amount: '1000' })); // replays
    }
    await Promise.all(work);
    const [a, bb] = [await b.getAccount('a'), await b.getAccount('b')];
    expect(BigInt(a!.balance) + BigInt(bb!.balance)).to.equal(1000n);
    const j = await b.journal(0n, 1000);
    expect(j.map((m) => Number(m.seq))).to.deep.equal(j.map((_, i) => i + 1));
    let net = 0n;
    for (const m of j) net += (m.direction === 'credit' ? 1n : -1n) * BigInt(m.amount);
    expect(net).to.equal(1000n);
  });

  it('streams movements sorted by (account, offTxId), with filters', async () => {
    const b = fx().books;
    for (const id of ['m2', 'm1', 'n'])
      await b.openAccount({ id, holder: id, chainAccount: id === 'n' ? undefined : `c-${id}` });
    for (const [ref, acct] of [
      ['z', 'm1'],
      ['a', 'm2'],
      ['k', 'm1'],
      ['q', 'n'],
    ])
      await b.deposit({ ref, account: acct, amount: '5' });
    const all = [];
    for await (const m of b.movementsByAccount({})) all.push(`${m.account}/${m.offTxId}`);
    expect(all).to.deep.equal(['m1/k', 'm1/z', 'm2/a', 'n/q']);
    const mirrored = [];
    for await (const m of b.movementsByAccount({}, true)) mirrored.push(m.offTxId);
    expect(mirrored).to.deep.equal(['k', 'z', 'a']);
    const one = [];
    for await (const m of b.movementsByAccount({ account: 'm1', to: '2000-01-01T00:00:00.000Z' })) one.push(m);
    expect(one).to.have.length(0);
    const ids = [];
    for await (const a of b.accounts()) ids.push(a.id);
    expect(ids).to.deep.equal(['m1', 'm2', 'n']);
  });

  it('wakes an outbox waiter on a new movement and keeps meta state', async () => {
    const b = fx().books;
    await b.openAccount({ id: 'a', holder: 'alice', chainAccount: 'ca' });
    const t0 = Date.now();
    const waiting = b.waitForOutbox(0n, 5000);
    setTimeout(() => void b.deposit({ ref: 'd', account: 'a', amount: '1' }), 50);
    await waiting;
    expect(Date.now() - t0).to.be.lessThan(2000);
    await b.putMeta('cp/mirror', { seq: '7' });
    await b.putMeta('cp/payout', { block: 3 });
    await b.putMeta('cq', 1);
    expect(await b.getMeta('cp/mirror')).to.deep.equal({ seq: '7' });
    const keys = [];
    for await (const e of b.listMeta('cp/')) keys.push(e.key);
    expect(keys).to.deep.equal(['cp/mirror', 'cp/payout']);
  });

  it('survives a reopen with its sequence intact', async () => {
    await fx().books.openAccount({ id: 'a', holder: 'alice' });
    await fx().books.deposit({ ref: 'd1', account: 'a', amount: '3' });
    await fx().books.close();
    const b = await fx().reopen();
    const p = await b.deposit({ ref: 'd2', account: 'a', amount: '4' });
    expect(p.movements[0].seq).to.equal('2');
    expect((await b.getAccount('a'))!.balance).to.equal('7');
  });

  it('keeps chain-originated lines (executed payouts) out of the outbox and tells them apart', async () => {
    const b = fx().books;
    await b.openAccount({ id: 'sup', holder: 'ent1', chainAccount: 'c-sup' });
    await b.deposit({ ref: 'in-1', account: 'sup', amount: '1000' });
    const paid = await b.withdraw({
      ref: 'PI0001',
      account: 'sup',
      amount: '300',
      counterparty: 'con-1',
      origin: 'chain',
    });
    expect(paid.origin).to.equal('chain');
    expect(paid.movements[0]).to.include({ offTxId: 'PI0001', origin: 'chain', chainAccount: 'c-sup' });
    expect((await b.outbox(0n, 10)).map((m) => m.offTxId)).to.deep.equal(['in-1']);
    const lines: Array<[string, string | undefined]> = [];
    for await (const m of b.movementsByAccount({ account: 'sup' }, true)) lines.push([m.offTxId, m.origin]);
    expect(lines).to.deep.equal([
      ['PI0001', 'chain'],
      ['in-1', undefined],
    ]);
    expect(
      await b.withdraw({ ref: 'PI0001', account: 'sup', amount: '300', counterparty: 'con-1', origin: 'chain' }),
    ).to.deep.equal(paid);
    expect(await code(b.withdraw({ ref: 'PI0001', account: 'sup', amount: '300', counterparty: 'con-1' }))).to.equal(
      'IDEMPOTENCY_CONFLICT',
    );
    expect(await code(b.deposit({ ref: 'x', account: 'sup', amount: '1', origin: 'chain' } as any))).to.equal(
      'INVALID_ARGUMENT',
    );
  });
});
