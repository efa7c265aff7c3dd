/**
 * Prepaid on the embedded ledger: offline card payments synced in batches of 100 (payments/s,
 * SM2 verify each), and the regulator's refund sweep over a frozen merchant (refunds/s).
 * One merchant's releases all credit one settlement account, so both run one tx at a time.
 * Run alone: `node -e "require('./dist/bench/prepaid').benchPrepaid((m,v,u)=>console.log(m,v.toFixed(1),u))"`.
 */
import { HardwareWalletEmulator } from '../oracles/hwallet/emulator';
import { Harness } from '../test/support/harness';
import { buy, onboard, plan, wallet } from '../test/prepaid/fixture';

type Report = (metric: string, value: number, unit: string) => void;

const PAYMENTS = Number(process.env.BENCH_PREPAID_PAYMENTS ?? 2000);
// The demo has one consumer, and fitness caps one consumer at 200 open visits per merchant.
const CONTRACTS = Math.min(200, Number(process.env.BENCH_PREPAID_CONTRACTS ?? 200));
const BATCH = 100;

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

export async function benchPrepaid(report: Report): Promise<void> {
  const h = await Harness.create();
  try {
    const shop = await onboard(h, 'services', 'beijing');
    const cards: HardwareWalletEmulator[] = [];
    for (let i = 0; i < PAYMENTS / 20; i++) {
      const dev = new HardwareWalletEmulator(h.uid('card'));
      const acct = h.uid('cardacct');
      await h.openAccount(acct, 'consumer1', 'wallet');
      await h.submit('bank1', 'Prepaid:registerCard', dev.card, acct, dev.publicKey);
      await h.deposit(acct, 100000n);
      dev.topUp('100000');
      cards.push(dev);
    }
    const payments = Array.from({ length: PAYMENTS }, (_, i) => cards[i % cards.length].pay(shop.account, '100'));
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < payments.length; i += BATCH) {
      await h.submit(
        'merchant1',
        'Prepaid:syncCardPayments',
        JSON.stringify({ payments: payments.slice(i, i + BATCH) }),
      );
    }
    report('prepaid.cardSync', PAYMENTS / seconds(t0), 'payments/s');

    const gym = await onboard(h, 'fitness', 'jiangsu');
    const p = (await plan(h, gym.id, { mode: 'per_use', unitPrice: '100', units: 1, coolingOffDays: 15 })) as {
      id: string;
    };
    for (let i = 0; i < CONTRACTS; i++) await buy(h, p.id, await wallet(h, 1000n));
    await h.submit('regulator1', 'Prepaid:freezeMerchant', gym.id, 'bench');
    t0 = process.hrtime.bigint();
    for (let done = false; !done;)
      done = (await h.submit<{ done: boolean }>('regulator1', 'Prepaid:refundMerchant', gym.id, '50')).done;
    report('prepaid.refundSweep', CONTRACTS / seconds(t0), 'refunds/s');
  } finally {
    await h.close();
  }
}
