import { expect } from 'chai';
import { signCall } from '../../ledger/intents';
import { Harness } from '../support/harness';

describe('money core on the embedded engine', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => (h = await Harness.create()));
  after(async () => h.close());

  it('mirrors a deposit once per off-chain transaction id', async () => {
    const a = h.uid('A');
    await h.openAccount(a, 'ent1');
    const first = await h.deposit(a, 10_000n, `${a}-off1`);
    const again = await h.deposit(a, 10_000n, `${a}-off1`);
    expect(again).to.deep.equal(first);
    expect(await h.balance(a)).to.equal(10_000n);
    const oracle = h.id('oracle1');
    await h.fails(
      'BAD_ATTESTATION',
      'oracle1',
      'Money:mirrorDeposit',
      a,
      '10000',
      `${a}-off2`,
      '',
      '3045' + '00'.repeat(10),
    );
    await h.fails('ROLE_REQUIRED', 'bank1', 'Money:mirrorDeposit', a, '1', `${a}-off3`, '', '00');
    expect(oracle.roles).to.deep.equal(['oracle']);
    await h.expectConserved();
  });

  it('moves colored lots FIFO, merging by color, and keeps lineage for both traces', async () => {
    const [a, b] = [h.uid('A'), h.uid('B')];
    await h.openAccount(a, 'ent1');
    await h.openAccount(b, 'ent2');
    await h.deposit(a, 700n, `${a}-red`, `red-${a}`);
    await h.deposit(a, 300n, `${a}-blue`, `blue-${a}`);
    const t = await h.submit('ent1', 'Money:transfer', `${a}-t1`, a, b, '800', 'goods', 'inv-1');
    expect(t.legs.map((l: { color: string; amount: string }) => [l.color, l.amount])).to.deep.equal([
      [`red-${a}`, '700'],
      [`blue-${a}`, '100'],
    ]);
    await h.submit('ent2', 'Money:transfer', `${b}-t2`, b, a, '50', 'refund', '');
    const bal = await h.evaluate('ent1', 'Money:balance', a);
    expect(bal.byColor.map((l: { color: string; amount: string }) => [l.color, l.amount])).to.deep.equal([
      [`blue-${a}`, '200'],
      [`red-${a}`, '50'],
    ]);
    const back = await h.evaluate('auditor1', 'Trace:backward', a, '');
    const sum = back.paths.reduce((s: bigint, p: { amount: string }) => s + BigInt(p.amount), 0n);
    expect(sum).to.equal(250n);
    expect(back.paths.every((p: { end: string }) => p.end === 'deposit')).to.equal(true);
    const fwd = await h.evaluate('regulator1', 'Trace:forward', 'Org1MSP', `${a}-red`, '');
    const held = Object.fromEntries(
      fwd.paths.map((p: { nodes: string[]; amount: string }) => [p.nodes[p.nodes.length - 1], p.amount]),
    );
    expect(held).to.deep.equal({ [`${b}/red-${a}`]: '650', [`${a}/red-${a}`]: '50' });
  });

  it('keeps lot counts bounded by colors, however many transfers, without losing per-color lineage', async () => {
    const [a, b] = [h.uid('A'), h.uid('B')];
    await h.openAccount(a, 'ent1');
    await h.openAccount(b, 'ent2');
    for (const c of ['r', 'g', 'y']) await h.deposit(a, 300n, `${a}-${c}`, `${c}-${a}`);
    for (let i = 0; i < 30; i++) {
      const [from, to, who] = i % 3 === 2 ? [b, a, 'ent2'] : [a, b, 'ent1'];
      await h.submit(who, 'Money:transfer', `${a}-m${i}`, from, to, '37', 'p', '');
    }
    for (const acct of [a, b]) {
      const bal = await h.evaluate('auditor1', 'Money:balance', acct);
      expect(bal.byColor.length, `lots of ${acct}`).to.be.at.most(3);
      const back = await h.evaluate('auditor1', 'Trace:backward', acct, '');
      const bySource: Record<string, bigint> = {};
      for (const p of back.paths) {
        expect(p.end, JSON.stringify(back.paths)).to.equal('deposit');
        const src = p.nodes[p.nodes.length - 1];
        bySource[src] = (bySource[src] ?? 0n) + BigInt(p.amount);
      }
      // Each color's money is traced to its own deposit, exactly.
      for (const l of bal.byColor) {
        const c = (l.color as string).split('-')[0];
        expect(bySource[`deposit:Org1MSP:${a}-${c}`], l.color).to.equal(BigInt(l.amount));
      }
    }
  });

  it('refuses bad input with a stable code and the field, changing nothing', async () => {
    const [a, b] = [h.uid('A'), h.uid('B')];
    await h.openAccount(a, 'ent1');
    await h.openAccount(b, 'ent2');
    await h.deposit(a, 100n);
    const cases: Array<[string, string, string, string[]]> = [
      ['ACCOUNT_NOT_FOUND', 'from', 'ent1', ['t', 'nope', b, '1', 'p', '']],
      ['ACCOUNT_NOT_FOUND', 'to', 'ent1', ['t', a, 'nope', '1', 'p', '']],
      ['INVALID_AMOUNT', 'amount', 'ent1', ['t', a, b, '0', 'p', '']],
      ['INVALID_AMOUNT', 'amount', 'ent1', ['t', a, b, '-5', 'p', '']],
      ['INVALID_AMOUNT', 'amount', 'ent1', ['t', a, b, '1.5', 'p', '']],
      ['AMOUNT_OVERFLOW', 'amount', 'ent1', ['t', a, b, '1000000000000001', 'p', '']],
      ['INSUFFICIENT_FUNDS', 'amount', 'ent1', ['t', a, b, '101', 'p', '']],
      ['INVALID_ID', 'id', 'ent1', ['bad~id', a, b, '1', 'p', '']],
      ['INVALID_ID', 'from', 'ent1', ['t', '../x', b, '1', 'p', '']],
      ['ACCOUNT_NOT_FOUND', 'from', 'ent2', ['t', a, b, '1', 'p', '']], // not ent2's: as if it did not exist
      ['ROLE_REQUIRED', undefined as unknown as string, 'auditor1', ['t', a, b, '1', 'p', '']],
      ['SAME_ACCOUNT', 'to', 'ent1', ['t', a, a, '1', 'p', '']],
    ];
    for (const [code, field, who, args] of cases) {
      const e = await h.fails(code, who, 'Money:transfer', ...args);
      expect(e.field, code).to.equal(field);
    }
    await h.submit('regulator1', 'Money:setAccountStatus', b, 'frozen', 'court order 2026-1');
    await h.fails('ACCOUNT_FROZEN', 'ent1', 'Money:transfer', 't', a, b, '1', 'p', '');
    await h.fails('ROLE_REQUIRED', 'bank1', 'Money:setAccountStatus', b, 'active', 'x');
    await h.submit('regulator1', 'Money:setAccountStatus', b, 'active', 'released');
    await h.fails('BALANCE_NOT_ZERO', 'bank1', 'Money:closeAccount', a);
    await h.submit('bank1', 'Money:closeAccount', b);
    await h.fails('ACCOUNT_CLOSED', 'ent1', 'Money:transfer', 't', a, b, '1', 'p', '');
    expect(await h.balance(a)).to.equal(100n);
    await h.expectConserved();
  });

  it('is idempotent on the transfer id', async () => {
    const [a, b] = [h.uid('A'), h.uid('B')];
    await h.openAccount(a, 'ent1');
    await h.openAccount(b, 'ent2');
    await h.deposit(a, 100n);
    const t1 = await h.submit('ent1', 'Money:transfer', `${a}-x`, a, b, '40', 'p', '');
    expect(await h.submit('ent1', 'Money:transfer', `${a}-x`, a, b, '40', 'p', '')).to.deep.equal(t1);
    await h.fails('IDEMPOTENCY_CONFLICT', 'ent1', 'Money:transfer', `${a}-x`, a, b, '41', 'p', '');
    expect(await h.balance(b)).to.equal(40n);
  });

  it('pages history by sequence, stable while new entries arrive', async () => {
    const [a, b] = [h.uid('A'), h.uid('B')];
    await h.openAccount(a, 'ent1');
    await h.openAccount(b, 'ent2');
    await h.deposit(a, 1000n);
    for (let i = 0; i < 7; i++) await h.submit('ent1', 'Money:transfer', `${a}-h${i}`, a, b, '10', 'p', '');
    const p1 = await h.evaluate('ent1', 'Money:history', a, '0', '3');
    expect(p1.items.map((e: { seq: number }) => e.seq)).to.deep.equal([1, 2, 3]);
    await h.submit('ent1', 'Money:transfer', `${a}-h-late`, a, b, '10', 'p', '');
    const p2 = await h.evaluate('ent1', 'Money:history', a, String(p1.nextAfterSeq), '3');
    expect(p2.items.map((e: { seq: number }) => e.seq)).to.deep.equal([4, 5, 6]);
    const rest = await h.evaluate('ent1', 'Money:history', a, '6', '50');
    expect(rest.items.map((e: { seq: number }) => e.seq)).to.deep.equal([7, 8, 9]);
    expect(rest.nextAfterSeq).to.equal(undefined);
    expect(rest.items[2].balance).to.equal('920');
    const e = await h.ledger.evaluate(signCall(h.id('ent2'), { fn: 'Money:getAccount', args: [a] })).catch((x) => x);
    expect([e.code, e.status]).to.deep.equal(['ACCOUNT_NOT_FOUND', 404]);
  });
});
