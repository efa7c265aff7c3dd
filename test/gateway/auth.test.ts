import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { NonceCache } from '../../gateway/auth';
import { canonicalQuery } from '../../chaincode/core/intent';
import { signed } from './sign';
import { fakeIdentity, MemoryLedger } from './memory-ledger';
import { Harness, startGateway } from './helpers';

describe('gateway: signed requests', () => {
  let h: Harness;
  let boom = false;
  const ledger: MemoryLedger = new MemoryLedger((fn, args, call): Promise<string> => {
    if (boom) throw new Error('secret internals at /srv/x.js:1');
    if (fn === 'Money:transfer') {
      const [id, from, to, amount, purpose, ref] = args;
      const by = call.intent?.signer ?? '';
      return Promise.resolve(
        JSON.stringify({ id, from, to, amount, purpose, ref, legs: [], txId: 'tx', time: '', by }),
      );
    }
    if (fn !== 'Identity:whoami') throw new Error(`unexpected ${fn}`);
    return Promise.resolve(ledger.callerRecord(call));
  });
  before(async () => {
    h = await startGateway('auth', {}, ledger);
    fakeIdentity(ledger, h.wallet, { mspId: 'Org1MSP', name: 'ent1', roles: ['enterprise'] });
    fakeIdentity(ledger, h.wallet, { mspId: 'Org2MSP', name: 'auditor1', roles: ['auditor'] });
  });
  after(() => h.close());

  const who = () => h.id('Org1MSP:ent1');

  it('accepts a good signature and echoes x-request-id', async () => {
    const r = await h.call('Org1MSP:ent1', 'GET', '/v1/me', undefined, { 'x-request-id': 'req-123' });
    expect(r.statusCode).to.equal(200);
    expect(r.headers['x-request-id']).to.equal('req-123');
    expect(r.json()).to.deep.include({ handle: 'Org1MSP:ent1', roles: ['enterprise'] });
    expect(ledger.calls.at(-1)?.fn).to.equal('Identity:whoami');
  });

  it('401 UNAUTHENTICATED without a key, UNKNOWN_KEY for an unregistered one', async () => {
    const r = await h.call(undefined, 'GET', '/v1/me');
    expect(r.statusCode).to.equal(401);
    expect(r.json()).to.deep.include({ code: 'UNAUTHENTICATED', field: 'X-LJ-Key' });
    const s = signed({ ...who(), keyId: 'Org1MSP:nobody' }, 'GET', '/v1/me');
    const r2 = await h.app.inject({ method: 'GET', url: '/v1/me', headers: { ...s } });
    expect(r2.statusCode).to.equal(401);
    expect(r2.json()).to.deep.include({ code: 'UNKNOWN_KEY', field: 'X-LJ-Key' });
  });

  it('401 KEY_REVOKED and KEY_EXPIRED from the registry', async () => {
    const member = ledger.members.get('Org1MSP:ent1')!;
    try {
      ledger.members.set(member.handle, { ...member, status: 'revoked' });
      h.app.members.forget(member.handle);
      let r = await h.app.inject({ method: 'GET', url: '/v1/me', headers: { ...signed(who(), 'GET', '/v1/me') } });
      expect(r.json()).to.deep.include({ code: 'KEY_REVOKED', field: 'X-LJ-Key' });
      ledger.members.set(member.handle, { ...member, validUntil: '2020-01-01T00:00:00Z' });
      h.app.members.forget(member.handle);
      r = await h.app.inject({ method: 'GET', url: '/v1/me', headers: { ...signed(who(), 'GET', '/v1/me') } });
      expect(r.json()).to.deep.include({ code: 'KEY_EXPIRED', field: 'X-LJ-Key' });
    } finally {
      ledger.members.set(member.handle, member);
      h.app.members.forget(member.handle);
    }
  });

  it('the signature covers the Idempotency-Key and the Content-Type', async () => {
    const body = JSON.stringify({ from: 'a', to: 'b', amount: '1', purpose: 'p' });
    const sig = signed(who(), 'POST', '/v1/transfers', { body, idempotencyKey: 'k1' });
    let r = await h.app.inject({
      method: 'POST',
      url: '/v1/transfers',
      payload: body,
      headers: { ...sig, 'content-type': 'application/json', 'idempotency-key': 'k2' },
    });
    expect(r.json()).to.deep.include({ code: 'BAD_SIGNATURE' });
    r = await h.app.inject({
      method: 'POST',
      url: '/v1/transfers',
      payload: body,
      headers: { ...sig, 'content-type': 'application/json; charset=latin1', 'idempotency-key': 'k1' },
    });
    expect(r.statusCode).to.equal(201); // parameters are not part of the signed media type
    r = await h.app.inject({
      method: 'POST',
      url: '/v1/transfers',
      payload: body,
      headers: { ...sig, 'content-type': 'text/plain', 'idempotency-key': 'k1' },
    });
    expect(r.statusCode).to.be.oneOf([401, 415]);
  });

  it('401 BAD_SIGNATURE for a signature by another key, a changed path, query or body', async () => {
    const other = h.id('Org2MSP:auditor1');
    const forged = { ...signed({ ...other, keyId: 'Org1MSP:ent1' }, 'GET', '/v1/me') };
    let r = await h.app.inject({ method: 'GET', url: '/v1/me', headers: { ...forged } });
    expect(r.statusCode).to.equal(401);
    expect(r.json()).to.deep.include({ code: 'BAD_SIGNATURE', field: 'X-LJ-Signature' });
    r = await h.app.inject({
      method: 'GET',
      url: '/v1/accounts?owner=Org1MSP:ent2',
      headers: { ...signed(who(), 'GET', '/v1/accounts?owner=Org1MSP:ent1') },
    });
    expect(r.json().code).to.equal('BAD_SIGNATURE');
    const body = JSON.stringify({ from: 'a', to: 'b', amount: '1', purpose: 'p' });
    const sig = signed(who(), 'POST', '/v1/transfers', { body, idempotencyKey: 'x1' });
    r = await h.app.inject({
      method: 'POST',
      url: '/v1/transfers',
      payload: body.replace('"1"', '"9"'),
      headers: { ...sig, 'content-type': 'application/json', 'idempotency-key': 'x1' },
    });
    expect(r.json().code).to.equal('BAD_SIGNATURE');
    r = await h.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { ...signed(who(), 'GET', '/v1/me'), 'x-lj-signature': 'zz' },
    });
    expect(r.json().code).to.equal('BAD_SIGNATURE');
  });

  it('401 CLOCK_SKEW beyond 5 minutes either way, accepted inside', async () => {
    for (const skew of [-5 * 60_000 - 2000, 5 * 60_000 + 2000]) {
      const r = await h.app.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { ...signed(who(), 'GET', '/v1/me', { now: Date.now() + skew }) },
      });
      expect(r.statusCode).to.equal(401);
      expect(r.json()).to.deep.include({ code: 'CLOCK_SKEW', field: 'X-LJ-Timestamp' });
    }
    const ok = await h.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { ...signed(who(), 'GET', '/v1/me', { now: Date.now() - 4 * 60_000 }) },
    });
    expect(ok.statusCode).to.equal(200);
  });

  it('401 REPLAYED_NONCE when a signed request is sent twice', async () => {
    const headers = { ...signed(who(), 'GET', '/v1/me') };
    expect((await h.app.inject({ method: 'GET', url: '/v1/me', headers })).statusCode).to.equal(200);
    const r = await h.app.inject({ method: 'GET', url: '/v1/me', headers });
    expect(r.statusCode).to.equal(401);
    expect(r.json()).to.deep.include({ code: 'REPLAYED_NONCE', field: 'X-LJ-Nonce' });
    expect(r.headers['www-authenticate']).to.equal('LJ-SM2 error="REPLAYED_NONCE"');
  });

  it('checks nonce format and presence of every header', async () => {
    const s = signed(who(), 'GET', '/v1/me');
    for (const drop of ['x-lj-timestamp', 'x-lj-nonce', 'x-lj-signature']) {
      const headers: Record<string, string> = Object.fromEntries(
        Object.entries(s).map(([k, v]) => [k.toLowerCase(), v]),
      );
      delete headers[drop];
      const r = await h.app.inject({ method: 'GET', url: '/v1/me', headers });
      expect(r.statusCode, drop).to.equal(401);
    }
    const r = await h.app.inject({ method: 'GET', url: '/v1/me', headers: { ...s, 'X-LJ-Nonce': 'short' } });
    expect(r.json().field).to.equal('X-LJ-Nonce');
  });

  it('public routes need no signature', async () => {
    for (const url of ['/healthz', '/readyz', '/openapi.json', '/v1/gateway-key', '/docs']) {
      const r = await h.app.inject({ method: 'GET', url });
      expect(r.statusCode, url).to.be.oneOf([200, 302]);
    }
  });

  it('unknown errors are 500 INTERNAL without internals', async () => {
    boom = true;
    try {
      const r = await h.call('Org1MSP:ent1', 'GET', '/v1/me');
      expect(r.statusCode).to.equal(500);
      expect(r.json()).to.deep.equal({
        code: 'INTERNAL',
        message: 'internal error; quote the x-request-id when reporting it',
      });
      expect(r.body).not.to.match(/secret|srv|at /);
    } finally {
      boom = false;
    }
  });

  it('canonical query ignores order and encoding differences', () => {
    expect(canonicalQuery('b=2&a=1&a=0')).to.equal('a=0&a=1&b=2');
    expect(canonicalQuery('owner=Org1MSP%3Aent1')).to.equal(canonicalQuery('owner=Org1MSP:ent1'));
  });

  it('nonce cache forgets after the window and refuses to grow past its bound', () => {
    const c = new NonceCache({ windowMs: 10_000, max: 3, bucketMs: 1000 });
    expect(c.add('a', 0)).to.equal(true);
    expect(c.add('a', 5000)).to.equal(false);
    expect(c.add('b', 5000)).to.equal(true);
    expect(c.add('c', 5000)).to.equal(true);
    expect(() => c.add('d', 5000)).to.throw(/too many/);
    expect(c.add('a', 12_000)).to.equal(true); // bucket 0 expired
    expect(c.size).to.equal(3);
  });

  it('nonce cache kept in a folder remembers across a restart and forgets expired buckets', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lj-nonces-'));
    try {
      const now = Date.now();
      const first = new NonceCache({ windowMs: 10_000, max: 100, bucketMs: 1000, dir });
      expect(first.add('Org1MSP:ent1 aa', now)).to.equal(true);
      expect(first.add('Org1MSP:ent1 old', now - 60_000)).to.equal(true); // already outside the window
      first.close(); // as after kill -9: nothing more is written on the way out
      const second = new NonceCache({ windowMs: 10_000, max: 100, bucketMs: 1000, dir });
      expect(second.add('Org1MSP:ent1 aa', now)).to.equal(false);
      expect(second.add('Org1MSP:ent1 old', now)).to.equal(true);
      second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
