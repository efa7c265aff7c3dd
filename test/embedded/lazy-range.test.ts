/**
 * Lazy range reads: the stub pulls the LevelDB iterator as the chaincode iterates and records
 * only what it consumed (Fabric's RangeQueryInfo), so phantom checks cover exactly that.
 */
import { expect } from 'chai';
import { Context, Contract, Transaction } from 'fabric-contract-api';
import { TestBank, openTestEngine, proposal } from './fixtures';

class Probe extends Contract {
  constructor() {
    super('Probe');
  }

  @Transaction()
  async put(ctx: Context, k: string): Promise<void> {
    await ctx.stub.putState(`p~${k}`, Buffer.from(k));
  }

  /** The first key at or after p~<from> (one bounded read), written down so the tx is validated. */
  @Transaction()
  async first(ctx: Context, from: string): Promise<string> {
    const it = await ctx.stub.getStateByRange(`p~${from}`, 'p~\uffff');
    const r = await it.next();
    await it.close();
    const found = r.done ? '' : r.value.key;
    await ctx.stub.putState('probe', Buffer.from(found || '-'));
    return found;
  }

  /** Opens a range read and abandons it after one key (the engine closes it). */
  @Transaction(false)
  async abandon(ctx: Context): Promise<string> {
    const it = await ctx.stub.getStateByRange('p~', 'p~\uffff');
    return (await it.next()).value?.key ?? '';
  }

  @Transaction()
  async count(ctx: Context): Promise<string> {
    let n = 0;
    for await (const _ of ctx.stub.getStateByRange('p~', 'p~\uffff')) n++;
    await ctx.stub.putState('count', Buffer.from(String(n)));
    return String(n);
  }
}

describe('embedded engine: lazy range reads', function () {
  this.timeout(20000);

  it('records only the keys read up to where the chaincode stopped', async () => {
    const { engine, alice } = await openTestEngine({
      contracts: [TestBank, Probe],
      blockTimeoutMs: 100,
      eagerCut: false,
      serializeHotKeys: false,
    });
    try {
      await Promise.all(['a', 'c', 'e', 'g'].map((k) => engine.submit(proposal(alice, 'Probe:put', [k]))));
      const r = await engine.submit(proposal(alice, 'Probe:first', ['b']));
      expect(r).to.include({ status: 'VALID', result: 'p~c' });
      const tx = (await engine.getBlock(r.blockNumber))!.txs[r.txIndex];
      expect(tx.ranges).to.have.length(1);
      expect(tx.ranges![0]).to.include({ start: 'p~b', end: 'p~\uffff', exhausted: false });
      expect(tx.ranges![0].keys.map(([k]) => k)).to.deep.equal(['p~c']);
      expect(await engine.evaluate(proposal(alice, 'Probe:abandon', []))).to.equal('p~a');
    } finally {
      await engine.close();
    }
  });

  it('an insert after the last key read does not conflict; one inside the read range does', async () => {
    const { engine, alice } = await openTestEngine({
      contracts: [TestBank, Probe],
      blockTimeoutMs: 100,
      eagerCut: false,
      serializeHotKeys: false,
    });
    try {
      await Promise.all(['a', 'c', 'e'].map((k) => engine.submit(proposal(alice, 'Probe:put', [k]))));
      const [after, probe1] = await Promise.all([
        engine.submit(proposal(alice, 'Probe:put', ['d'])),
        engine.submit(proposal(alice, 'Probe:first', ['b'])),
      ]);
      expect([after.status, probe1.status, probe1.result]).to.deep.equal(['VALID', 'VALID', 'p~c']);
      const [inside, probe2] = await Promise.all([
        engine.submit(proposal(alice, 'Probe:put', ['bb'])),
        engine.submit(proposal(alice, 'Probe:first', ['b'])),
      ]);
      expect([inside.status, probe2.status]).to.deep.equal(['VALID', 'PHANTOM_READ_CONFLICT']);
      const [past, probe3] = await Promise.all([
        engine.submit(proposal(alice, 'Probe:put', ['z'])),
        engine.submit(proposal(alice, 'Probe:first', ['x'])), // read to the end and found nothing
      ]);
      expect([past.status, probe3.status]).to.deep.equal(['VALID', 'PHANTOM_READ_CONFLICT']);
      const [late, all] = await Promise.all([
        engine.submit(proposal(alice, 'Probe:put', ['zz'])),
        engine.submit(proposal(alice, 'Probe:count', [])),
      ]);
      expect([late.status, all.status]).to.deep.equal(['VALID', 'PHANTOM_READ_CONFLICT']);
      expect((await engine.submit(proposal(alice, 'Probe:count', []))).result).to.equal('7');
    } finally {
      await engine.close();
    }
  });
});
