/** Shared set-up for the supervision scenarios: a program with accounts, a budget line and its payees. */
import { sm3 } from '../../chaincode/lib/gm';
import { handleOf, Harness } from '../support/harness';

export const REG = 'regulator1';
export const BANK = 'bank1';
export const PARTY = 'ent1';
export const ORACLE = 'oracle1';
export const hash = (s: string): string => sm3(s);

export interface Fixture {
  program: string;
  sup: string; // supervised account (ent1)
  payout: string; // payout-pending account (bank1)
  contractor: string; // whitelisted company payee (ent2)
  worker: string; // personal payee (consumer1)
  outsider: string; // a company payee not on the whitelist (merchant1)
  line: string;
}

export function spec(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    scenario: 'generic',
    title: 'test program',
    party: handleOf(PARTY),
    bank: 'Org1MSP',
    keyAmount: '10000000',
    policy: { approvers: [handleOf(REG), handleOf(BANK), handleOf(PARTY)], required: 2, requiredAbove: 3 },
    limits: { perPayment: '2000000', perDay: '3000000', personalPerPayment: '50000', approvalThreshold: '1000000' },
    ...over,
  });
}

/** Creates, equips and activates a program; deposits `fund` fen into its supervised account. */
export async function makeProgram(
  h: Harness,
  over: Record<string, unknown> = {},
  fund = 10_000_000n,
  lineCap = '5000000',
): Promise<Fixture> {
  const f: Fixture = {
    program: h.uid('prog'),
    sup: h.uid('sup'),
    payout: h.uid('pay'),
    contractor: h.uid('con'),
    worker: h.uid('wrk'),
    outsider: h.uid('out'),
    line: 'materials',
  };
  await h.openAccount(f.sup, PARTY, 'supervised');
  await h.openAccount(f.payout, BANK, 'payout');
  await h.openAccount(f.contractor, 'ent2');
  await h.openAccount(f.worker, 'consumer1', 'wallet');
  await h.openAccount(f.outsider, 'merchant1');
  await h.submit(REG, 'Supervision:createProgram', f.program, spec(over));
  await h.submit(BANK, 'Supervision:attachAccount', f.program, f.sup, 'supervised');
  await h.submit(BANK, 'Supervision:attachAccount', f.program, f.payout, 'payout');
  await h.submit(
    REG,
    'Supervision:setBudgetLine',
    f.program,
    f.line,
    '建材',
    lineCap,
    JSON.stringify([f.contractor, f.worker]),
  );
  await h.submit(REG, 'Supervision:activate', f.program);
  if (fund > 0n) await h.deposit(f.sup, fund);
  return f;
}

/** Requests a release and has regulator + bank approve it (enough below the threshold). */
export async function release(
  h: Harness,
  f: Fixture,
  amount: string,
  payee = f.contractor,
  id = h.uid('req'),
): Promise<any> {
  const r = await h.submit(
    PARTY,
    'Supervision:requestPayment',
    f.program,
    id,
    f.line,
    payee,
    amount,
    'pay supplier',
    'bank',
  );
  if (r.status !== 'pending_approval') return r;
  await h.submit(REG, 'Supervision:approve', f.program, id, 'ok');
  const after = await h.submit(BANK, 'Supervision:approve', f.program, id, 'ok');
  if (after.status !== 'pending_approval') return after;
  return h.submit(PARTY, 'Supervision:approve', f.program, id, 'ok');
}

/** Releases and confirms every instruction: the money reaches the payee. */
export async function releaseSettled(h: Harness, f: Fixture, amount: string, payee = f.contractor): Promise<any> {
  const r = await release(h, f, amount, payee);
  for (const i of r.instructions ?? [])
    await h.submit(ORACLE, 'Supervision:confirmPayout', i, `rail-${i.slice(2, 12)}`);
  return h.evaluate(REG, 'Supervision:getRequest', f.program, r.id);
}

/** Collects committed domain events of the given type from `fromBlock` (stops after the current height). */
export async function eventsOf(h: Harness, type: string, fromBlock: number): Promise<any[]> {
  const height = await h.ledger.height();
  const ctl = new AbortController();
  const found: any[] = [];
  const timer = setTimeout(() => ctl.abort(), 1000); // blocks without events are not yielded
  for await (const e of h.ledger.events(fromBlock, ctl.signal)) {
    for (const d of e.envelope.events) if (d.type === type) found.push(d);
    if (e.blockNumber >= height - 1) break;
  }
  clearTimeout(timer);
  ctl.abort();
  return found;
}
