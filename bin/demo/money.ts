/** Demo steps on the money core: accounts, deposits through the bank's books, transfers. */
import { BANK, DEMO_ACCOUNTS, DEMO_DEPOSITS, DEMO_TRANSFERS, ORACLE } from './story';
import { DemoError, DemoSession, sleep, yuan } from './session';

interface History {
  items: Array<{ kind: string; ref?: string }>;
}

/** Has the chain a deposit with this offTxId on the account (its history, as the bank reads it)? */
async function mirrored(s: DemoSession, account: string, offTxId: string): Promise<boolean> {
  const history = await s.as(BANK).get<History>(`/v1/accounts/${account}/history`, { query: { limit: '500' } });
  return history.items.some((m) => m.kind === 'deposit' && m.ref === offTxId);
}

export async function openAccounts(s: DemoSession): Promise<void> {
  let writes = 0;
  for (const a of DEMO_ACCOUNTS) {
    if (await s.find(BANK, `/v1/accounts/${a.id}`)) continue;
    const body = {
      id: a.id,
      kind: a.kind,
      owner: a.owner,
      offChainRef: a.book || `demo-${a.id}`,
      holderName: a.holderName,
    };
    await s.post(BANK, '/v1/accounts', body, `demo-open-${a.id}`);
    // An e-CNY wallet's tier is declared before money reaches it (tier 4, the default, caps it at 10,000.00).
    if (a.kind === 'wallet') await s.post(BANK, `/v1/prepaid/wallets/${a.id}/tier`, { tier: 2 }, `demo-tier-${a.id}`);
    writes++;
  }
  s.done(
    `bank1 opened ${DEMO_ACCOUNTS.length} accounts for ent1, ent2, merchant1, consumer1 and the pre-sale housing account demo-presale`,
    writes,
  );
}

/** Deposits are posted in the bank's books; the bank's oracle mirrors them on chain. */
export async function deposit(s: DemoSession): Promise<void> {
  let writes = 0;
  for (const a of DEMO_ACCOUNTS) {
    if (!a.book || (await s.find(BANK, `/v1/books/accounts/${a.book}`))) continue;
    const tier = a.system === 'ecny' ? { tier: 2 } : {};
    const body = { id: a.book, holder: a.holder, system: a.system, chainAccount: a.id, ...tier };
    await s.post(BANK, '/v1/books/accounts', body, `demo-book-${a.book}`);
    writes++;
  }
  for (const d of DEMO_DEPOSITS) {
    if (await mirrored(s, d.account, d.ref)) continue;
    const book = DEMO_ACCOUNTS.find((a) => a.id === d.account)!.book;
    const body = { ref: d.ref, account: book, amount: d.amount, counterparty: d.counterparty };
    await s.post(BANK, '/v1/books/deposits', body, `demo-${d.ref}`);
    writes++;
  }
  if (writes) await waitForMirror(s);
  const list = DEMO_DEPOSITS.map((d) => `${d.account} ${yuan(d.amount)}`).join(', ');
  s.done(`deposits posted in the bank's books and mirrored on chain: ${list}`, writes);
}

async function waitForMirror(s: DemoSession): Promise<void> {
  s.log(`  waiting for the oracle to mirror ${DEMO_DEPOSITS.length} deposits on chain...`);
  const until = Date.now() + s.options.waitMs;
  for (const d of DEMO_DEPOSITS) {
    while (!(await mirrored(s, d.account, d.ref))) {
      if (Date.now() > until) {
        throw new DemoError(
          `deposit ${d.ref} (${yuan(d.amount)} into ${d.account}) was posted in the bank's books but not mirrored on chain within ${s.options.waitMs / 1000}s: is the oracle running (ORACLES not 'off', ORACLE_IDENTITY=${ORACLE})? Run the demo again once it is.`,
        );
      }
      await sleep(100);
    }
  }
}

export async function transfer(s: DemoSession): Promise<void> {
  let writes = 0;
  for (const t of DEMO_TRANSFERS) {
    if (await s.find(t.who, `/v1/transfers/${t.id}`)) continue;
    const body = { id: t.id, from: t.from, to: t.to, amount: t.amount, purpose: t.purpose };
    await s.post(t.who, '/v1/transfers', body, `demo-${t.id}`);
    writes++;
  }
  const list = DEMO_TRANSFERS.map((t) => `${t.from}→${t.to} ${yuan(t.amount)}`).join(', ');
  s.done(`${DEMO_TRANSFERS.length} transfers: ${list}`, writes);
}
