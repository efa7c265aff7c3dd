/**
 * Issue 16.2 as a property: random core, prepaid, bills and supervision operations over
 * mirrored accounts, with the mirror, the payout executor and chain-movement booking running;
 * at the end `lianjian reconcile` (lag 0) reports no break. And the event of every transaction
 * names every account it moved (so the oracles book it and the gateway scopes streams by it).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '../../chaincode/lib/gm';
import { useMessage } from '../../chaincode/prepaid/messages';
import { LevelBooks } from '../../oracles/books/level';
import { MirrorOracle } from '../../oracles/mirror';
import { PayoutExecutor } from '../../oracles/payouts';
import { BankTransferRail } from '../../oracles/rails';
import { ReconResult, runReconciliation } from '../../oracles/recon/run';
import { handleOf, Harness } from '../support/harness';

type Op =
  | { t: 'deposit' | 'withdraw'; acct: number; amount: number }
  | { t: 'transfer'; from: number; to: number; amount: number }
  | { t: 'prepaid' }
  | { t: 'release'; payee: number; amount: number }
  | { t: 'discount'; size: number };

const MIRRORED = ['pb-A', 'pb-B', 'pb-W', 'pb-S', 'pb-BK', 'pb-SUP'];
const SPENDERS = ['pb-A', 'pb-B', 'pb-W', 'pb-S', 'pb-C']; // pb-C is on chain only
const OWNER: Record<string, string> = {
  'pb-A': 'ent1',
  'pb-B': 'ent2',
  'pb-W': 'consumer1',
  'pb-S': 'merchant1',
  'pb-C': 'ent2',
  'pb-BK': 'bank1',
  'pb-SUP': 'ent1',
};
const PAYEES = ['pb-B', 'pb-C', 'pb-W'];

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    t: fc.constantFrom('deposit' as const, 'withdraw' as const),
    acct: fc.nat(5),
    amount: fc.integer({ min: 1, max: 50_000 }),
  }),
  fc.record({
    t: fc.constant('transfer' as const),
    from: fc.nat(4),
    to: fc.nat(4),
    amount: fc.integer({ min: 1, max: 30_000 }),
  }),
  fc.record({ t: fc.constant('prepaid' as const) }),
  fc.record({ t: fc.constant('release' as const), payee: fc.nat(2), amount: fc.integer({ min: 1, max: 20_000 }) }),
  fc.record({ t: fc.constant('discount' as const), size: fc.integer({ min: 1, max: 5_000 }) }),
);

describe('oracles: random business operations over mirrored accounts reconcile with no break (16.2)', function () {
  this.timeout(600_000);
  const runs = Number(process.env.PROP_RUNS_BOOKS ?? 8);
  let h: Harness;
  let books: LevelBooks;
  let dir: string;
  let mirror: MirrorOracle;
  let payouts: PayoutExecutor;
  let n = 0;
  let nextTicket = 1;
  const today = (): string => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const quiet = async (fn: () => Promise<unknown>): Promise<void> => {
    await fn().catch((e) => process.env.PB_DEBUG && console.log(String(e).slice(0, 160))); // refusals (insufficient funds, limits) are part of the game
  };
  const recon = (): Promise<ReconResult> =>
    runReconciliation({ books, ledger: h.ledger, reader: h.id('oracle1'), lagMs: 0, reportDir: join(dir, 'recon') });

  before(async () => {
    h = await Harness.create();
    dir = mkdtempSync(join(tmpdir(), 'lj-pb-'));
    books = new LevelBooks(join(dir, 'books'));
    const kinds: Record<string, string> = { 'pb-W': 'wallet', 'pb-SUP': 'supervised' };
    for (const id of [...MIRRORED, 'pb-C']) await h.openAccount(id, OWNER[id], kinds[id] ?? 'settlement');
    await h.openAccount('pb-PAY', 'bank1', 'payout');
    for (const id of MIRRORED) await books.openAccount({ id: `core-${id}`, holder: OWNER[id], chainAccount: id });
    await h.submit('bank1', 'Money:setWalletTier', 'pb-W', '1');
    // supervision: a program releasing to B, C and W
    const spec = {
      scenario: 'generic',
      title: 'pb',
      party: handleOf('ent1'),
      bank: 'Org1MSP',
      keyAmount: '100000000',
      policy: { approvers: [handleOf('regulator1')], required: 1 },
    };
    await h.submit('regulator1', 'Supervision:createProgram', 'pb-prog', JSON.stringify(spec));
    await h.submit('bank1', 'Supervision:attachAccount', 'pb-prog', 'pb-SUP', 'supervised');
    await h.submit('bank1', 'Supervision:attachAccount', 'pb-prog', 'pb-PAY', 'payout');
    await h.submit('regulator1', 'Supervision:setBudgetLine', 'pb-prog', 'l', 'x', '100000000', JSON.stringify(PAYEES));
    await h.submit('regulator1', 'Supervision:activate', 'pb-prog');
    // prepaid: a merchant keeping 10 % on refund
    await h.submit('merchant1', 'Prepaid:applyMerchant', 'pb-m', 'gym', 'fitness', 'beijing', 'pb-S');
    await h.submit('regulator1', 'Prepaid:reviewMerchant', 'pb-m', 'approve', '');
    const plan = {
      id: 'pb-plan',
      merchant: 'pb-m',
      name: '10',
      mode: 'per_use',
      unitPrice: '1000',
      units: 10,
      coolingOffDays: 7,
      nonRefundableBp: 1000,
    };
    await h.submit('merchant1', 'Prepaid:createPlan', JSON.stringify(plan));
    // bills: ent1 draws on itself for ent2; ent2 discounts pieces at bank1
    const d = new Date(`${today()}T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() + 3);
    await h.submit(
      'ent1',
      'Bills:register',
      'pb-bill',
      handleOf('ent1'),
      'enterprise',
      handleOf('ent2'),
      '10000000',
      today(),
      d.toISOString().slice(0, 10),
      'false',
      'true',
      'pb-A',
    );
    await h.submit('ent1', 'Bills:presentAcceptance', 'pb-pa', 'pb-bill');
    await h.submit('ent1', 'Bills:sign', 'pb-sa', 'pb-bill', '1', 'accept', 'pb-A');
    await h.submit('ent1', 'Bills:presentReceipt', 'pb-pr', 'pb-bill');
    await h.submit('ent2', 'Bills:sign', 'pb-sr', 'pb-bill', '1', 'receive', 'pb-B');
    mirror = new MirrorOracle({ books, ledger: h.ledger, oracle: h.id('oracle1'), idleMs: 20 });
    payouts = new PayoutExecutor({
      books,
      ledger: h.ledger,
      oracle: h.id('oracle1'),
      rails: { bank: new BankTransferRail() },
      retryBaseMs: 1,
    });
    mirror.start();
    payouts.start();
  });
  after(async () => {
    await Promise.all([mirror.stop(), payouts.stop()]);
    await books.close();
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function prepaid(): Promise<void> {
    const id = `pb-c${++n}`;
    await h.openAccount(`${id}-esc`, 'consumer1', 'escrow');
    await h.submit('consumer1', 'Prepaid:purchase', id, 'pb-plan', 'pb-W', `${id}-esc`);
    const time = new Date().toISOString();
    const me = h.id('consumer1');
    await h.submit(
      'merchant1',
      'Prepaid:consume',
      id,
      '1',
      '1',
      time,
      '',
      sign(me.sm2.privateKey, useMessage(id, 1, 1, time), me.sm2.publicKey),
    );
    await h.submit('consumer1', 'Prepaid:refund', id); // 9,000 left: 900 to the merchant, 8,100 back
  }

  async function apply(o: Op): Promise<void> {
    const k = `pb-${++n}`;
    if (o.t === 'deposit')
      await books.deposit({ ref: k, account: `core-${MIRRORED[o.acct]}`, amount: String(o.amount) });
    else if (o.t === 'withdraw')
      await books.withdraw({ ref: k, account: `core-${MIRRORED[o.acct]}`, amount: String(o.amount) });
    else if (o.t === 'transfer') {
      const [from, to] = [SPENDERS[o.from], SPENDERS[o.to]];
      await h.submit(OWNER[from], 'Money:transfer', k, from, to, String(o.amount), 'prop', '');
    } else if (o.t === 'prepaid') await prepaid();
    else if (o.t === 'release') {
      await h.submit(
        'ent1',
        'Supervision:requestPayment',
        'pb-prog',
        k,
        'l',
        PAYEES[o.payee],
        String(o.amount),
        'prop',
        'bank',
      );
      await h.submit('regulator1', 'Supervision:approve', 'pb-prog', k, 'ok');
    } else if (o.t === 'discount') {
      const [from, to] = [nextTicket, nextTicket + o.size - 1];
      nextTicket = to + 1;
      await h.submit('ent2', 'Bills:discount', k, 'pb-bill', String(from), String(to), handleOf('bank1'), '300');
      await h.submit('bank1', 'Bills:sign', `${k}-s`, 'pb-bill', String(from), 'discount', 'pb-BK');
    }
  }

  it(`reconcile reports no break after ${runs} random sequences`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 12 }), async (ops) => {
        for (const id of MIRRORED)
          await books.deposit({ ref: `pb-fund-${++n}`, account: `core-${id}`, amount: '200000' });
        await mirror.drained();
        for (const o of ops) {
          await quiet(() => apply(o));
          if (o.t === 'deposit') await mirror.drained();
        }
        let last: ReconResult | undefined;
        const end = Date.now() + 30_000;
        for (;;) {
          await mirror.drained();
          last = await recon();
          if (last.breaks === 0 || Date.now() > end) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(last.breaks, JSON.stringify(last.stats)).to.equal(0);
      }),
      { numRuns: runs },
    );
    await h.expectConserved();
  });

  it('the event of every transaction names every account it moved', async () => {
    const moved = new Map<string, Set<string>>(); // txId -> accounts whose history it wrote
    for (const acct of [...SPENDERS, 'pb-BK', 'pb-SUP', 'pb-PAY']) {
      for (let after = '0'; ;) {
        const page = await h.evaluate('auditor1', 'Money:history', acct, after, '500');
        for (const e of page.items as Array<{ txId: string }>)
          moved.set(e.txId, (moved.get(e.txId) ?? new Set()).add(acct));
        if (!page.nextAfterSeq) break;
        after = String(page.nextAfterSeq);
      }
    }
    const named = new Map<string, Set<string>>();
    const height = await h.ledger.height();
    const ctl = new AbortController();
    for await (const ev of h.ledger.events(0, ctl.signal)) {
      const accounts = ev.envelope.events.flatMap((e) => e.accounts ?? []);
      named.set(ev.txId, new Set(accounts));
      if (ev.blockNumber >= height - 1) break;
    }
    ctl.abort();
    expect(moved.size).to.be.greaterThan(10);
    for (const [txId, accounts] of moved) {
      const missing = [...accounts].filter((a) => !named.get(txId)?.has(a));
      expect(
        missing,
        `tx ${txId} moved ${[...accounts].join(', ')} but its events name ${[...(named.get(txId) ?? [])].join(', ')}`,
      ).to.deep.equal([]);
    }
  });
});
