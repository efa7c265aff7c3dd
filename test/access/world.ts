/**
 * The world the access matrix runs in: the real service (embedded ledger, oracles running) with
 * the demo story seeded through the REST API as `lianjian demo` seeds it (Org1MSP's custodian
 * bank and its customers, Org2MSP's regulator, auditor and court), a reconciliation case, a
 * card payment record, and a second bank's org registered as an attacker would get one:
 * Org3MSP (bank2, oracle2, ent4, consumer3), registered by the regulator, its members by its
 * own admin. `ids` are realistic ids of Org1's data.
 */
import type { LightMyRequestResponse } from 'fastify';
import { runDemo } from '../../bin/demo';
import { newMemberKey } from '../../ledger/identities';
import type { Role } from '../../chaincode/core/context';
import { cardPaymentMessage } from '../../chaincode/prepaid/messages';
import { generateKeyPair, sign } from '../../chaincode/lib/gm';
import { Harness, startGateway } from '../gateway/helpers';

export interface Who {
  handle: string;
  mspId: string;
  roles: Role[];
  admin: boolean;
}

export interface World {
  h: Harness;
  who: Who[];
  /** Org1's data: account, transfer, bill, program, ... ids. */
  ids: Record<string, string>;
  call(handle: string | undefined, method: string, url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

const ORG3 = [
  { name: 'bank2', roles: ['bank'] },
  { name: 'oracle2', roles: ['oracle'] },
  { name: 'ent4', roles: ['enterprise'] },
  { name: 'consumer3', roles: ['consumer'] },
] as const;

const ok = async (r: Promise<LightMyRequestResponse>, what: string): Promise<unknown> => {
  const res = await r;
  if (res.statusCode >= 300) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res.json<unknown>();
};

async function registerOrg3(h: Harness): Promise<void> {
  const admin = newMemberKey({ mspId: 'Org3MSP', name: 'admin', roles: [], admin: true });
  h.wallet.put(admin);
  await ok(
    h.call('Org2MSP:regulator1', 'POST', '/v1/orgs', {
      mspId: 'Org3MSP',
      name: 'Second Bank 第二银行',
      roles: ['bank', 'oracle', 'enterprise', 'consumer'],
      admin: { name: 'admin', publicKey: admin.sm2.publicKey },
    }),
    'register Org3MSP',
  );
  for (const m of ORG3) {
    const key = newMemberKey({ mspId: 'Org3MSP', name: m.name, roles: [...m.roles] });
    h.wallet.put(key);
    await ok(
      h.call('Org3MSP:admin', 'POST', '/v1/members', { name: m.name, roles: m.roles, publicKey: key.sm2.publicKey }),
      `register Org3MSP:${m.name}`,
    );
  }
}

/** A reconciliation break (the books' line edited) so that a case exists; returns its id. */
async function reconCase(h: Harness): Promise<string> {
  await h.oracles.books.tamper('demo-dep-ent2', { amount: '50000001' });
  await ok(h.call('Org1MSP:bank1', 'POST', '/v1/recon/runs', {}), 'recon run');
  const cases = (await ok(h.call('Org1MSP:bank1', 'GET', '/v1/recon/cases?status=open'), 'cases')) as { id: string }[];
  if (!cases.length) throw new Error('no reconciliation case');
  return cases[0].id;
}

/** A card bound to consumer1's wallet, and consumer1's payment to merchant1 at counter 1. */
async function cardPayment(h: Harness): Promise<void> {
  const card = generateKeyPair();
  await ok(
    h.call('Org1MSP:bank1', 'POST', '/v1/prepaid/cards', {
      card: 'demo-card-1',
      account: 'demo-consumer1-wallet',
      publicKey: card.publicKey,
    }),
    'bind card',
  );
  const payment = {
    card: 'demo-card-1',
    payee: 'demo-merchant1-shop',
    amount: '1500',
    counter: 1,
    time: new Date().toISOString(),
  };
  const signature = sign(card.privateKey, cardPaymentMessage(payment), card.publicKey);
  const synced = await ok(
    h.call('Org1MSP:merchant1', 'POST', '/v1/prepaid/card-payments/sync', {
      payments: [{ ...payment, signature }],
    }),
    'card payment',
  );
  if (!JSON.stringify(synced).includes('accepted')) throw new Error(`card payment: ${JSON.stringify(synced)}`);
}

/** The transaction of demo-tx-1 (ent1 paid ent2) and its block, as the regulator reads the ledger. */
async function transferTx(h: Harness): Promise<{ txId: string; block: string }> {
  const height = (await ok(h.call('Org2MSP:regulator1', 'GET', '/v1/height'), 'height')) as { height: number };
  for (let from = 0; from < height.height; from += 100) {
    const page = (await ok(h.call('Org2MSP:regulator1', 'GET', `/v1/blocks?from=${from}&limit=100`), 'blocks')) as {
      items: { number: number; txs: { txId: string; fn: string; signer?: string }[] }[];
    };
    for (const b of page.items)
      for (const t of b.txs)
        if (t.fn === 'Money:transfer' && t.signer === 'Org1MSP:ent1') return { txId: t.txId, block: String(b.number) };
  }
  throw new Error('the demo transfer is not on the ledger');
}

export async function buildWorld(): Promise<World> {
  const h = await startGateway('matrix');
  h.oracles.start({ ledger: h.ledger, intervalMs: 86_400_000 });
  await runDemo({ url: await h.baseUrl(), tls: h.tls, walletDir: h.wallet.dir, log: () => undefined });
  await registerOrg3(h);
  const caseId = await reconCase(h);
  const runs = (await ok(h.call('Org1MSP:bank1', 'GET', '/v1/recon/runs'), 'runs')) as { runId: string }[];
  await cardPayment(h);
  const tx = await transferTx(h);
  const instructions = (await ok(
    h.call('Org2MSP:regulator1', 'GET', '/v1/supervision/programs/demo-licheng-garden/instructions'),
    'instructions',
  )) as { id?: string; instructionId?: string }[] | { items: { id?: string; instructionId?: string }[] };
  const list = Array.isArray(instructions) ? instructions : instructions.items;
  const instruction = list[0]?.id ?? list[0]?.instructionId;
  if (!instruction) throw new Error('no payout instruction');
  const handles = [...h.wallet.list(), 'Org1MSP:oracle1'].sort();
  const who = handles.map((handle): Who => {
    const key = h.id(handle);
    return { handle, mspId: key.mspId, roles: (key.roles ?? []) as Role[], admin: !!key.admin };
  });
  return {
    h,
    who,
    ids: { caseId, runId: runs[0].runId, txId: tx.txId, block: tx.block, instruction },
    call: (handle, method, url, body) => h.call(handle, method, url, body),
  };
}
