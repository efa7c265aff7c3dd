/**
 * The audit log: every request, read or write, refused or not, is one SM3-chained line with who
 * asked (key id), what (route, ids), the answer (status, code) and the transaction; the access
 * log line carries the key id; `lianjian audit verify` names the first line that was edited,
 * removed or torn.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { auditCommand } from '../../bin/audit';
import { buildApp } from '../../gateway/app';
import { AuditLog, auditFile, verifyAuditLog } from '../../gateway/audit-log';
import { signRequest } from '../../gateway/signing';
import { fund, Harness, startGateway, tmpDir } from './helpers';

interface Line {
  seq: number;
  keyId: string | null;
  claimedKey?: string;
  method: string;
  route: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  status: number;
  code?: string;
  txId?: string;
  bodySm3?: string;
  prev: string;
  hash: string;
}

const linesOf = (file: string): Line[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

async function capture(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  let out = '';
  const write = Object.getOwnPropertyDescriptor(process.stdout, 'write');
  Object.assign(process.stdout, { write: (s: string) => (out += s) && true });
  try {
    const code = await run();
    return { code, out };
  } finally {
    if (write) Object.defineProperty(process.stdout, 'write', write);
    else delete (process.stdout as { write?: unknown }).write;
  }
}

describe('gateway: the audit log of every request', function () {
  this.timeout(60_000);
  let h: Harness;
  let file: string;
  before(async () => {
    h = await startGateway('audit');
    file = auditFile(h.config.auditDir);
    await fund(h, 'au-1', 'Org1MSP:ent1', '5000');
    await fund(h, 'au-2', 'Org1MSP:ent2', '0');
  });
  after(() => h.close());

  it('records who, what, the answer and the transaction, for reads, writes and refusals', async () => {
    const before = linesOf(file).length;
    const paid = await h.call('Org1MSP:ent1', 'POST', '/v1/transfers', {
      id: 'au-t1',
      from: 'au-1',
      to: 'au-2',
      amount: '100',
      purpose: 'audit',
    });
    expect(paid.statusCode).to.equal(201);
    expect((await h.call('Org1MSP:ent2', 'GET', '/v1/accounts/au-2/balance')).statusCode).to.equal(200);
    expect((await h.call('Org1MSP:consumer1', 'GET', '/v1/accounts/au-1')).statusCode).to.equal(404);
    expect((await h.call(undefined, 'GET', '/v1/me')).statusCode).to.equal(401);
    const forged = signRequest(h.id('Org1MSP:ent2'), { method: 'GET', url: '/v1/me', body: '' });
    const impostor = await h.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { ...forged, 'x-lj-key': 'Org1MSP:ent1' },
    });
    expect(impostor.statusCode).to.equal(401);

    const lines = linesOf(file).slice(before);
    expect(lines.map((l) => [l.keyId, l.method, l.route, l.status, l.code ?? ''])).to.deep.equal([
      ['Org1MSP:ent1', 'POST', '/v1/transfers', 201, ''],
      ['Org1MSP:ent2', 'GET', '/v1/accounts/:id/balance', 200, ''],
      ['Org1MSP:consumer1', 'GET', '/v1/accounts/:id', 404, 'ACCOUNT_NOT_FOUND'],
      [null, 'GET', '/v1/me', 401, 'UNAUTHENTICATED'],
      [null, 'GET', '/v1/me', 401, 'BAD_SIGNATURE'],
    ]);
    expect(lines[0].txId).to.equal(paid.headers['x-lj-tx-id']);
    expect(lines[0].bodySm3).to.match(/^[0-9a-f]{64}$/);
    expect(lines[1].params).to.deep.equal({ id: 'au-2' });
    expect(lines[4].claimedKey).to.equal('Org1MSP:ent1'); // what the impostor claimed, not verified
    expect(await verifyAuditLog(file)).to.include({ ok: true });
  });

  it('`lianjian audit verify` names the first edited, removed or torn line', async () => {
    const copy = path.join(tmpDir('audit-copy'), 'audit.log');
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n').filter(Boolean);
    expect(lines.length).to.be.greaterThan(5);
    fs.writeFileSync(copy, text);
    const ok = await capture(() => auditCommand(['verify', '--file', copy]));
    expect(ok.code).to.equal(0);
    expect(ok.out).to.match(new RegExp(`^OK entries=${lines.length} head=[0-9a-f]{64}\\n$`));
    expect((await capture(() => auditCommand(['verify', '--data', h.dir]))).code).to.equal(0);

    const edited = [...lines];
    edited[3] = edited[3].replace(/"status":\d+/, '"status":200');
    fs.writeFileSync(copy, edited.join('\n') + '\n');
    const bad = await capture(() => auditCommand(['verify', '--file', copy]));
    expect(bad.code).to.equal(1);
    expect(bad.out).to.match(/^BAD line=4 entry=4 reason=its hash does not match/);

    // Re-hashing the edited line does not help: the next one no longer follows it.
    fs.writeFileSync(copy, [...lines.slice(0, 2), ...lines.slice(3)].join('\n') + '\n');
    expect((await capture(() => auditCommand(['verify', '--file', copy]))).out).to.match(/^BAD line=3 entry=4/);

    // A torn last line (power lost mid-write): the log continues after it, and verify names it.
    const dir = path.dirname(copy);
    fs.writeFileSync(copy, lines.join('\n') + '\n' + lines[0].slice(0, 40));
    const reopened = new AuditLog(dir);
    reopened.append({
      time: 't',
      requestId: 'r',
      keyId: null,
      method: 'GET',
      route: '/x',
      status: 200,
      client: { ip: '::1' },
      ms: 0,
    });
    reopened.close();
    const torn = await verifyAuditLog(copy);
    expect(torn).to.deep.include({ ok: false, line: lines.length + 1 });
    const after = JSON.parse(fs.readFileSync(copy, 'utf8').trim().split('\n').pop()!) as Line;
    expect(after.seq).to.equal(lines.length + 1); // the chain continues from the last whole line
  });

  it('the access log line carries the key id', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        seen.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const app = await buildApp({
      ledger: h.ledger,
      config: h.config,
      oracles: h.oracles,
      guards: h.guards,
      logger: pino(sink),
      audit: new AuditLog(tmpDir('audit-app')),
    });
    try {
      const headers = signRequest(h.id('Org2MSP:auditor1'), { method: 'GET', url: '/v1/totals', body: '' });
      const res = await app.inject({ method: 'GET', url: '/v1/totals', headers: { ...headers } });
      expect(res.statusCode).to.equal(200);
    } finally {
      await app.close();
    }
    const line = seen.find((l) => l.msg === 'request completed');
    expect(line).to.deep.include({ keyId: 'Org2MSP:auditor1', method: 'GET', url: '/v1/totals', status: 200 });
  });
});
