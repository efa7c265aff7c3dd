import { expect } from 'chai';
import type { LedgerEvent } from '../../ledger/types';
import type { LianjianClient, SseMessage } from '../../gateway/sdk';
import { fund, Harness, startGateway } from './helpers';

/** Reads `client.stream` until `stop(msg)` is true or `max` messages, then disconnects. */
async function read(
  client: LianjianClient,
  path: string,
  stop: (m: SseMessage, all: SseMessage[]) => boolean,
  lastEventId?: string,
): Promise<SseMessage[]> {
  const ac = new AbortController();
  const out: SseMessage[] = [];
  for await (const m of client.stream(path, { signal: ac.signal, lastEventId })) {
    out.push(m);
    if (stop(m, out)) break;
  }
  ac.abort();
  return out;
}

const key = (id: string) => id.split('.').map(Number) as [number, number];
const isAfter = (a: string, b: string) => key(a)[0] > key(b)[0] || (key(a)[0] === key(b)[0] && key(a)[1] > key(b)[1]);

describe('gateway: /v1/events (SSE over real HTTP, embedded ledger)', function () {
  this.timeout(60_000);
  let h: Harness;
  let reg: LianjianClient;
  let ent: LianjianClient;
  let openIterators = 0;
  let iteratorClosed: () => void = () => {};

  before(async () => {
    h = await startGateway('events', { sseHeartbeatMs: 50 });
    // Count the ledger iterators the gateway holds open, to see them closed on disconnect.
    const events = h.ledger.events.bind(h.ledger);
    h.ledger.events = async function* (from: number, signal?: AbortSignal): AsyncIterable<LedgerEvent> {
      openIterators++;
      try {
        yield* events(from, signal);
      } finally {
        openIterators--;
        iteratorClosed();
      }
    };
    await fund(h, 'e1', 'Org1MSP:ent1', '100000');
    await fund(h, 'e2', 'Org1MSP:ent2', '0');
    reg = await h.client('Org2MSP:regulator1');
    ent = await h.client('Org1MSP:ent1');
  });
  after(() => h.close());

  const pay = async (n: number) => {
    for (let i = 0; i < n; i++)
      await ent.post('/v1/transfers', { from: 'e1', to: 'e2', amount: String(10 + i), purpose: 'sse' });
  };
  const lastTx = async () => {
    const b = (await reg.get<{ txs: Array<{ txId: string }> }>(`/v1/blocks/${(await h.ledger.height()) - 1}`)).txs;
    return b[b.length - 1].txId;
  };

  it('resumes strictly after Last-Event-ID: no gap, no duplicate, live events included', async () => {
    await pay(6);
    const closed = new Promise<void>((r) => (iteratorClosed = r));
    const first = await read(reg, '/v1/events', (_m, all) => all.length === 5);
    expect(first).to.have.length(5);
    await closed; // the gateway closed its ledger iterator when we dropped the connection
    expect(openIterators).to.equal(0);

    await pay(4); // committed while we were away
    const endTx = await lastTx();
    const rest = await read(reg, '/v1/events', (m) => JSON.parse(m.data).txId === endTx, first[first.length - 1].id);
    const all = await read(reg, '/v1/events?fromBlock=0', (m) => JSON.parse(m.data).txId === endTx);

    const resumed = [...first, ...rest].map((m) => m.id);
    expect(resumed).to.deep.equal(all.map((m) => m.id));
    expect(new Set(resumed).size).to.equal(resumed.length);
    for (let i = 1; i < resumed.length; i++)
      expect(isAfter(resumed[i]!, resumed[i - 1]!), `${resumed[i]} after ${resumed[i - 1]}`).to.equal(true);
    expect(all.every((m) => m.event === 'lianjian')).to.equal(true);
  });

  it('streams live events as they commit, filtered by type and account', async () => {
    const from = await h.ledger.height();
    const got = read(reg, `/v1/events?type=Transferred&account=e2&fromBlock=${from}`, (_m, all) => all.length === 2);
    await pay(2);
    const msgs = await got;
    for (const m of msgs) {
      const env = JSON.parse(m.data);
      expect(
        env.events.some(
          (e: { type: string; accounts: string[] }) => e.type === 'Transferred' && e.accounts.includes('e2'),
        ),
      ).to.equal(true);
      expect(key(m.id!)[0]).to.be.at.least(from);
    }
  });

  it('members without a watcher role must filter by an account they may read', async () => {
    const consumer = await h.client('Org1MSP:consumer1');
    const e = await read(consumer, '/v1/events', () => true).catch((x) => x);
    expect(e.status).to.equal(403);
    const e2 = await read(consumer, '/v1/events?account=e1', () => true).catch((x) => x);
    const missing = await read(consumer, '/v1/events?account=nope', () => true).catch((x) => x);
    expect([e2.status, e2.code]).to.deep.equal([404, 'ACCOUNT_NOT_FOUND']); // someone else's = missing
    expect([missing.status, missing.code]).to.deep.equal([404, 'ACCOUNT_NOT_FOUND']);
    const own = await read(ent, '/v1/events?account=e1&fromBlock=0', () => true);
    expect(own).to.have.length(1);
  });

  it('rejects a malformed Last-Event-ID', async () => {
    const e = await read(reg, '/v1/events', () => true, 'garbage').catch((x) => x);
    expect(e.status).to.equal(400);
    expect(e.field).to.equal('Last-Event-ID');
  });
});

describe('gateway: /v1/events shows a member only the events naming its account', function () {
  this.timeout(60_000);
  let h: Harness;
  // Its own account id: on Fabric the chain outlives the suite (and the suite above funds e1).
  const e1 = `es-${Date.now().toString(36)}`;
  before(async () => {
    h = await startGateway('events-scope');
    await fund(h, e1, 'Org1MSP:ent1', '100');
    // One transaction that pays two members (a wage run): each event names its own payee.
    const events = h.ledger.events.bind(h.ledger);
    h.ledger.events = async function* (from: number, signal?: AbortSignal): AsyncIterable<LedgerEvent> {
      const events2 = [
        {
          type: 'PayoutInstructed',
          accounts: ['payout-1', e1],
          instructionId: 'I1',
          payeeRef: `bank-${e1}`,
          amount: '100',
        },
        {
          type: 'PayoutInstructed',
          accounts: ['payout-1', 'w2'],
          instructionId: 'I2',
          payeeRef: 'bank-w2-secret',
          amount: '900',
        },
      ];
      yield {
        blockNumber: 0,
        txIndex: 99,
        txId: 'wages',
        envelope: { txId: 'wages', time: new Date().toISOString(), events: events2 },
      };
      yield* events(from, signal);
    };
  });
  after(() => h.close());

  it('strips the other payees from the envelope for a non-watcher; a regulator sees it whole', async () => {
    const ent = await h.client('Org1MSP:ent1');
    const [mine] = await read(ent, `/v1/events?account=${e1}`, () => true);
    const env = JSON.parse(mine.data);
    expect(env.txId).to.equal('wages');
    expect(env.events.map((e: { instructionId: string }) => e.instructionId)).to.deep.equal(['I1']);
    expect(mine.data).to.not.include('w2');

    const [all] = await read(await h.client('Org2MSP:regulator1'), '/v1/events', () => true);
    expect(JSON.parse(all.data).events).to.have.length(2);
  });
});
