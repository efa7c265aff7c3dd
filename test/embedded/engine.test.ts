import { expect } from 'chai';
import { ChainEvent } from '../../network/embedded/engine';
import { openTestEngine, proposal } from './fixtures';

describe('embedded engine: execute, order, validate', function () {
  this.timeout(20000);

  it('runs contracts through fabric-shim with the caller identity, timestamp and transient map', async () => {
    const { engine, alice } = await openTestEngine();
    try {
      const r = await engine.submit(proposal(alice, 'TestBank:open', ['a', '100']));
      expect(r).to.include({ status: 'VALID', blockNumber: 0, txIndex: 0 });
      expect(r.result).to.equal('x509::/CN=alice/OU=client/O=Org1MSP::/CN=ca.Org1MSP/O=Org1MSP');
      expect(r.event).to.deep.equal({ name: 'lianjian', payload: '{"type":"opened","id":"a"}' });
      const p = proposal(alice, 'TestBank:whoami', [], { transient: { secret: 's3' } });
      const who = JSON.parse(await engine.evaluate(p));
      expect(who).to.include({
        msp: 'Org1MSP',
        transient: 's3',
        channel: 'lianjian',
        date: p.timestamp,
        secs: Math.floor(p.timestamp / 1000),
      });
      expect(who.fp).to.deep.equal({ fcn: 'TestBank:whoami', params: [] });
      expect(engine.height()).to.equal(1); // evaluate orders nothing
      const tx = await engine.getTransaction(r.txId);
      expect(tx).to.include({ blockNumber: 0, txIndex: 0, status: 'VALID', fn: 'TestBank:open' });
      expect(tx!.creator.mspId).to.equal('Org1MSP');
      const b = await engine.getBlock(0);
      expect(b!.header).to.include({ number: 0, previousHash: '0'.repeat(64) });
      expect(b!.txs[0].writes).to.deep.equal([['\u0000acct\u0000a\u0000', Buffer.from('100').toString('base64')]]);
    } finally {
      await engine.close();
    }
  });

  it('restores chaincode errors as LedgerError and orders nothing', async () => {
    const { engine, alice } = await openTestEngine();
    try {
      await engine.submit(proposal(alice, 'TestBank:open', ['a', '10']));
      const err = await engine.submit(proposal(alice, 'TestBank:transfer', ['a', 'b', '11', 'r1'])).catch((e) => e);
      expect(err).to.include({ name: 'LedgerError', code: 'INSUFFICIENT_FUNDS', status: 409, field: 'amount' });
      const unknown = await engine.submit(proposal(alice, 'TestBank:nope', [])).catch((e) => e);
      expect(unknown.code).to.equal('CHAINCODE_ERROR');
      expect(engine.height()).to.equal(1);
    } finally {
      await engine.close();
    }
  });

  it('MVCC: of two txs reading the same key in one block the second is invalid and changes nothing', async () => {
    const { engine, alice } = await openTestEngine({ blockTimeoutMs: 100, eagerCut: false, serializeHotKeys: false });
    try {
      await Promise.all([
        engine.submit(proposal(alice, 'TestBank:open', ['a', '100'])),
        engine.submit(proposal(alice, 'TestBank:open', ['b', '0'])),
      ]);
      const [r1, r2] = await Promise.all([
        engine.submit(proposal(alice, 'TestBank:transfer', ['a', 'b', '30', 'r1'])),
        engine.submit(proposal(alice, 'TestBank:transfer', ['a', 'b', '50', 'r2'])),
      ]);
      expect(r1.blockNumber).to.equal(r2.blockNumber);
      expect([r1.status, r2.status]).to.deep.equal(['VALID', 'MVCC_READ_CONFLICT']);
      expect(await engine.evaluate(proposal(alice, 'TestBank:all', []))).to.equal('a=70,b=30');
      expect((await engine.getTransaction(r2.txId))!.status).to.equal('MVCC_READ_CONFLICT');
      const ev: ChainEvent[] = [];
      for await (const e of engine.eventsFrom(r1.blockNumber)) {
        ev.push(e);
        if (ev.length === 1) break;
      }
      expect(ev[0].txId).to.equal(r1.txId); // invalid txs emit no events
    } finally {
      await engine.close();
    }
  });

  it('hot keys: concurrent transfers out of one account queue instead of failing MVCC', async () => {
    const { engine, alice } = await openTestEngine();
    try {
      await Promise.all([
        engine.submit(proposal(alice, 'TestBank:open', ['hot', '10'])),
        engine.submit(proposal(alice, 'TestBank:open', ['sink', '0'])),
      ]);
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          engine.submit(proposal(alice, 'TestBank:transfer', ['hot', 'sink', '1', `h${i}`])).then(
            (r) => r.status,
            (e: { code: string }) => e.code,
          ),
        ),
      );
      const count = (code: string) => outcomes.filter((o) => o === code).length;
      expect({ valid: count('VALID'), short: count('INSUFFICIENT_FUNDS') }).to.deep.equal({ valid: 10, short: 10 });
      expect(await engine.evaluate(proposal(alice, 'TestBank:all', []))).to.equal('hot=0,sink=10');
    } finally {
      await engine.close();
    }
  });

  it('detects phantom reads: a range read invalidated by an insert in the same block', async () => {
    const { engine, alice } = await openTestEngine({ blockTimeoutMs: 100, eagerCut: false, serializeHotKeys: false });
    try {
      await engine.submit(proposal(alice, 'TestBank:open', ['a', '1']));
      const [ins, census] = await Promise.all([
        engine.submit(proposal(alice, 'TestBank:open', ['b', '1'])),
        engine.submit(proposal(alice, 'TestBank:census', [])),
      ]);
      expect(ins.status).to.equal('VALID');
      expect(census.status).to.equal('PHANTOM_READ_CONFLICT');
      expect((await engine.submit(proposal(alice, 'TestBank:census', []))).result).to.equal('2');
    } finally {
      await engine.close();
    }
  });

  it('composite-key queries page with bookmarks and keep Fabric key encoding', async () => {
    const { engine, alice } = await openTestEngine();
    try {
      const ids = ['a1', 'a2', 'b1', 'b2', 'c1', '链监'];
      await Promise.all(ids.map((id) => engine.submit(proposal(alice, 'TestBank:open', [id, '1']))));
      const pages: string[][] = [];
      let bookmark = '';
      do {
        const r = JSON.parse(await engine.evaluate(proposal(alice, 'TestBank:list', ['4', bookmark])));
        pages.push(r.ids);
        expect(r.count).to.equal(r.ids.length);
        bookmark = r.bookmark;
      } while (bookmark);
      expect(pages).to.deep.equal([
        ['a1', 'a2', 'b1', 'b2'],
        ['c1', '链监'],
      ]);
    } finally {
      await engine.close();
    }
  });

  it('history for a key lists every committed write, newest first, with deletes', async () => {
    const { engine, alice } = await openTestEngine();
    try {
      const r1 = await engine.submit(proposal(alice, 'TestBank:open', ['a', '100']));
      await engine.submit(proposal(alice, 'TestBank:open', ['b', '0']));
      const r2 = await engine.submit(proposal(alice, 'TestBank:transfer', ['a', 'b', '40', 'r1']));
      const r3 = await engine.submit(proposal(alice, 'TestBank:close', ['a']));
      const h = JSON.parse(await engine.evaluate(proposal(alice, 'TestBank:history', ['a'])));
      expect(h).to.deep.equal([
        { txId: r3.txId, value: '', isDelete: true },
        { txId: r2.txId, value: '60', isDelete: false },
        { txId: r1.txId, value: '100', isDelete: false },
      ]);
    } finally {
      await engine.close();
    }
  });

  it('events resume from block N: history then live, no gap, no duplicate', async () => {
    const { engine, alice } = await openTestEngine({ blockTimeoutMs: 2 });
    try {
      for (let i = 0; i < 5; i++) await engine.submit(proposal(alice, 'TestBank:open', [`h${i}`, '1']));
      const seen: ChainEvent[] = [];
      const reader = (async () => {
        for await (const e of engine.eventsFrom(2)) {
          seen.push(e);
          if (seen.length === 3 + 20) break;
        }
      })();
      const live = [];
      for (let i = 0; i < 20; i++) {
        live.push(engine.submit(proposal(alice, 'TestBank:open', [`l${i}`, '1'])));
        if (i % 4 === 0) await new Promise((r) => setTimeout(r, 3)); // let commits interleave with the replay
      }
      await Promise.all(live);
      await reader;
      const ids = seen.map((e) => JSON.parse(e.payload).id as string);
      expect(ids.slice(0, 3)).to.deep.equal(['h2', 'h3', 'h4']);
      expect(new Set(ids).size).to.equal(23);
      const order = seen.map((e) => e.blockNumber * 1000 + e.txIndex);
      expect(order).to.deep.equal([...order].sort((a, b) => a - b));
    } finally {
      await engine.close();
    }
  });
});
