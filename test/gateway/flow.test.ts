import { once } from 'node:events';
import { expect } from 'chai';
import { LedgerError } from '../../chaincode/lib/errors';
import { TokenBuckets } from '../../gateway/flow';
import { DEFAULT_GUARD, Gate, Guards, retryContended } from '../../ledger/guard';
import { Harness, startGateway } from './helpers';
import { fakeIdentity, MemoryLedger } from './memory-ledger';

const tick = () => new Promise((r) => setImmediate(r));
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('gateway: inbound flow control', () => {
  let h: Harness;
  let gateOpen = deferred();
  let entered = deferred();
  const ledger: MemoryLedger = new MemoryLedger(async (_fn, _args, call): Promise<string> => {
    entered.resolve();
    await gateOpen.promise;
    return ledger.callerRecord(call);
  });
  before(async () => {
    h = await startGateway(
      'flow',
      { maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 10_000, ratePerSec: 1, rateBurst: 3 },
      ledger,
    );
    fakeIdentity(ledger, h.wallet, { mspId: 'Org1MSP', name: 'ent1', roles: ['enterprise'] });
    fakeIdentity(ledger, h.wallet, { mspId: 'Org1MSP', name: 'ent2', roles: ['enterprise'] });
    fakeIdentity(ledger, h.wallet, { mspId: 'Org1MSP', name: 'ent3', roles: ['enterprise'] });
  });
  after(() => h.close());

  it('503 OVERLOADED with Retry-After when the one queue is full; the others complete', async () => {
    gateOpen = deferred();
    entered = deferred();
    const first = h.call('Org1MSP:ent1', 'GET', '/v1/me');
    await entered.promise; // first holds the only slot, inside the ledger
    const second = h.call('Org1MSP:ent2', 'GET', '/v1/me');
    while (h.app.gate.queued < 1) await tick(); // second waits in the queue
    const third = await h.call('Org1MSP:ent3', 'GET', '/v1/me');
    expect(third.statusCode).to.equal(503);
    expect(third.json().code).to.equal('OVERLOADED');
    expect(third.headers['retry-after']).to.equal('1');
    const health = await h.app.inject({ method: 'GET', url: '/healthz' }); // liveness is never queued
    expect(health.statusCode).to.equal(200);
    gateOpen.resolve();
    expect((await first).statusCode).to.equal(200);
    expect((await second).statusCode).to.equal(200);
    expect(h.app.gate.inFlight).to.equal(0);
  });

  it('429 RATE_LIMITED with Retry-After once an identity spends its burst', async () => {
    gateOpen.resolve();
    const codes: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) codes.push((last = await h.call('Org1MSP:ent3', 'GET', '/v1/me')).statusCode);
    expect(codes.slice(0, 3)).to.deep.equal([200, 200, 200]); // the burst (its 503 above was refused before auth)
    expect(codes[3]).to.equal(429);
    expect(last?.json().code).to.equal('RATE_LIMITED');
    expect(Number(last?.headers['retry-after'])).to.be.at.least(1);
    const other = await h.call('Org1MSP:ent1', 'GET', '/v1/me'); // buckets are per identity
    expect(other.statusCode).to.equal(200);
  });

  it('token bucket refills at its rate', () => {
    const b = new TokenBuckets(10, 1);
    b.take('a', 0);
    expect(() => b.take('a', 50)).to.throw(LedgerError);
    b.take('a', 150);
  });
});

describe('gate: admission by waiting time, fair between identities', () => {
  const full = () => new LedgerError('OVERLOADED', 'full', undefined, 503, 1);

  it('caps one identity below the total: another identity still gets a slot at once', async () => {
    const gate = new Gate({ limit: 4, perKeyLimit: 2, maxQueue: 10, maxWaitMs: 0, full });
    const a1 = await gate.acquire('a');
    await gate.acquire('a');
    let third = false;
    const a3 = gate.acquire('a').then((release) => {
      third = true;
      return release;
    });
    await gate.acquire('b');
    await tick();
    expect(third).to.equal(false);
    expect(gate.queued).to.equal(1);
    a1();
    (await a3)();
    expect(third).to.equal(true);
  });

  it('serves waiting identities round-robin, not in arrival order', async () => {
    const gate = new Gate({ limit: 1, maxQueue: 10, maxWaitMs: 0, full });
    const holder = await gate.acquire('a');
    const order: string[] = [];
    const granted: Array<() => void> = [];
    for (const key of ['a', 'a', 'a', 'b'])
      void gate.acquire(key).then((release) => {
        order.push(key);
        granted.push(release);
      });
    holder();
    for (let i = 0; i < 4; i++) {
      while (granted.length <= i) await tick();
      granted[i]();
    }
    expect(order).to.deep.equal(['a', 'b', 'a', 'a']);
  });

  it('a request that waited longer than the bound is refused; a full queue refuses at once', async () => {
    const gate = new Gate({ limit: 1, maxQueue: 1, maxWaitMs: 30, full });
    const holder = await gate.acquire('a');
    const waited = gate.acquire('b').catch((e: unknown) => e);
    expect(await gate.acquire('c').catch((e: unknown) => e)).to.include({ code: 'OVERLOADED' });
    expect(await waited).to.include({ code: 'OVERLOADED', status: 503 });
    expect(gate.queued).to.equal(0);
    holder();
    expect(gate.inFlight).to.equal(0);
  });
});

describe('gate: adaptive slots', () => {
  it('opens fewer slots while a slot is held longer than the target', async () => {
    const full = () => new LedgerError('OVERLOADED', 'full', undefined, 503, 1);
    const gate = new Gate({ limit: 8, maxQueue: 10, maxWaitMs: 0, targetHoldMs: 5, full });
    for (let i = 0; i < 10; i++) {
      const release = await gate.acquire('a');
      await new Promise((r) => setTimeout(r, 30)); // held at least 30 ms, six times the target
      release();
    }
    const held = [await gate.acquire('a'), await gate.acquire('b')];
    let third = false;
    const waiting = gate.acquire('c').then((release) => {
      third = true;
      return release;
    });
    await tick();
    expect([third, gate.queued]).to.deep.equal([false, 1]); // a quarter of 8 slots open
    held[0]();
    (await waiting)();
    held[1]();
  });
});

describe('contended writes are run again inside the platform', () => {
  const invalidated = (code: string) => new LedgerError(code, 'invalidated by a concurrent write', undefined, 409);

  it('runs a write again after MVCC and phantom conflicts; the client gets the outcome', async () => {
    const codes = ['MVCC_READ_CONFLICT', 'PHANTOM_READ_CONFLICT'];
    let runs = 0;
    const result = await retryContended(() => {
      runs++;
      const code = codes.shift();
      return code ? Promise.reject(invalidated(code)) : Promise.resolve('committed');
    });
    expect([result, runs]).to.deep.equal(['committed', 3]);
  });

  it('bounded: 503 CONTENDED with Retry-After once every run was invalidated; business errors pass at once', async () => {
    let runs = 0;
    const always = () => {
      runs++;
      return Promise.reject(invalidated('MVCC_READ_CONFLICT'));
    };
    const err = (await retryContended(always, { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 }).catch(
      (e: unknown) => e,
    )) as LedgerError;
    expect(err).to.include({ code: 'CONTENDED', status: 503, retryAfterSec: 1 });
    expect(runs).to.equal(4);
    const short = new LedgerError('INSUFFICIENT_FUNDS', 'short', 'amount', 422);
    runs = 0;
    const refused = await retryContended(() => {
      runs++;
      return Promise.reject(short);
    }).catch((e: unknown) => e);
    expect([refused, runs]).to.deep.equal([short, 1]);
  });
});

describe('gateway: outbound guard (circuit breaker)', () => {
  const guards = new Guards();
  after(() => guards.shutdown());
  it('opens after failures, fails fast, half-opens, closes on recovery', async () => {
    const breaker = guards.define('rail-test', {
      volumeThreshold: 3,
      errorThresholdPercentage: 50,
      resetTimeoutMs: 150,
      timeoutMs: 1000,
    });
    let calls = 0;
    let healthy = false;
    const rail = (): Promise<string> => {
      calls++;
      return healthy ? Promise.resolve('paid') : Promise.reject(new Error('rail down'));
    };
    const opened = once(breaker, 'open');
    const halfOpened = once(breaker, 'halfOpen'); // listen before the reset timer can fire
    for (let i = 0; i < 3; i++) await guards.run('rail-test', rail).catch(() => undefined);
    await opened;
    const before = calls;
    const err = (await guards.run('rail-test', rail).catch((e: unknown) => e)) as LedgerError;
    expect(err).to.be.instanceOf(LedgerError);
    expect(err).to.include({ status: 503, code: 'CIRCUIT_OPEN' });
    expect(err.retryAfterSec).to.be.at.least(1);
    expect(calls, 'open breaker must not call the rail').to.equal(before);
    await halfOpened;
    healthy = true;
    const closed = once(breaker, 'close');
    expect(await guards.run('rail-test', rail)).to.equal('paid');
    await closed;
    expect(guards.breakerOf('rail-test').closed).to.equal(true);
  });

  it('a failed half-open trial opens it again', async () => {
    const breaker = guards.define('rail-flaky', { volumeThreshold: 1, resetTimeoutMs: 100 });
    await guards.run('rail-flaky', async () => Promise.reject(new Error('x'))).catch(() => undefined);
    const halfOpened = once(breaker, 'halfOpen');
    expect(breaker.opened).to.equal(true);
    await halfOpened;
    const reopened = once(breaker, 'open');
    await guards.run('rail-flaky', async () => Promise.reject(new Error('still down'))).catch(() => undefined);
    await reopened;
  });

  it('business rejections (LedgerError 4xx) never open it', async () => {
    const breaker = guards.define('rail-rules', { volumeThreshold: 2, errorThresholdPercentage: 1 });
    for (let i = 0; i < 10; i++) {
      const e = await guards
        .run('rail-rules', async () => Promise.reject(new LedgerError('INSUFFICIENT_FUNDS', 'no', 'amount', 422)))
        .catch((x: unknown) => x as LedgerError);
      expect(e.code).to.equal('INSUFFICIENT_FUNDS');
    }
    expect(breaker.closed).to.equal(true);
  });

  it('a slow downstream is 504 DOWNSTREAM_TIMEOUT', async () => {
    guards.define('rail-slow', { timeoutMs: 30, volumeThreshold: 100 });
    let release!: () => void;
    const slow = () => new Promise<string>((r) => (release = () => r('late')));
    const e = await guards.run('rail-slow', slow).catch((x: unknown) => x as LedgerError);
    release();
    expect(e).to.include({ status: 504, code: 'DOWNSTREAM_TIMEOUT' });
  });

  it('the ledger breaker opens through the app: 503 CIRCUIT_OPEN', async () => {
    const ledger = new MemoryLedger(async () => Promise.reject(new Error('peer unreachable')));
    const h = await startGateway(
      'breaker',
      { guard: { ...DEFAULT_GUARD, volumeThreshold: 3, resetTimeoutMs: 60_000 } },
      ledger,
    );
    try {
      fakeIdentity(ledger, h.wallet, { mspId: 'Org1MSP', name: 'ent1', roles: ['enterprise'] });
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await h.call('Org1MSP:ent1', 'GET', '/v1/me')).statusCode);
      expect(codes.slice(0, 3)).to.deep.equal([500, 500, 500]);
      const r = await h.call('Org1MSP:ent1', 'GET', '/v1/me');
      expect(r.statusCode).to.equal(503);
      expect(r.json().code).to.equal('CIRCUIT_OPEN');
      expect(r.headers['retry-after']).to.equal('60');
      const ready = await h.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.json().guards.ledger).to.equal('open');
    } finally {
      await h.close();
    }
  });
});
