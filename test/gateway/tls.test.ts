/**
 * Transport and data at rest: `npm start` serves HTTPS by default with a certificate it makes on
 * first start (clients trust <data>/tls/ca.crt), keeps its data dir private (0700 / 0600) and the
 * node's block-signing key apart from the ledger (moved there from where an older version kept
 * it); mutual TLS when TLS_CLIENT_CA is set; plain HTTP only with TLS=off.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { verifyChainCommand } from '../../bin/verify-chain';
import { auditFile } from '../../gateway/audit-log';
import { LianjianClient } from '../../gateway/sdk';
import { createLocalCa, ensureTls, issueTlsCertificate, loadTlsSettings } from '../../gateway/tls';
import { startService } from '../support/cli';
import { startGateway, tmpDir } from './helpers';

/** Every path under `dir` whose mode is not private (0700 folders, 0600 files). */
function notPrivate(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).flatMap((e) => {
    const p = path.join(e.parentPath, e.name);
    const mode = fs.lstatSync(p).mode & 0o777;
    return e.isSymbolicLink() || mode === (e.isDirectory() ? 0o700 : 0o600) ? [] : [`${p} ${mode.toString(8)}`];
  });
}

/** A plain GET that trusts only the system's CAs: the service's own certificate is not among them. */
const untrusted = (url: string): Promise<string> =>
  new Promise((resolve) => {
    https.get(`${url}/healthz`, () => resolve('connected')).on('error', (e: NodeJS.ErrnoException) => resolve(e.code!));
  });

describe('gateway: HTTPS by default, private data, the node key apart', function () {
  this.timeout(120_000);

  it('npm start serves HTTPS, keeps the data dir private, and moves the node key out of the ledger', async () => {
    const dir = tmpDir('tls');
    const env = { LIANJIAN_DATA: dir, LIANJIAN_WALLET: path.join(dir, 'wallet'), ORACLES: 'off', LOG_LEVEL: 'warn' };
    let service = await startService(env);
    try {
      expect(service.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(await untrusted(service.url)).to.equal('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      const anonymous = new LianjianClient({ baseUrl: service.url, tls: service.tls });
      expect((await anonymous.raw('GET', '/healthz')).status).to.equal(200);
      anonymous.close();
    } finally {
      expect(await service.stop()).to.equal(0);
    }
    expect(fs.existsSync(path.join(dir, 'keys', 'node.key'))).to.equal(true);
    expect(fs.existsSync(path.join(dir, 'ledger', 'node.key'))).to.equal(false);
    expect(fs.existsSync(auditFile(path.join(dir, 'audit')))).to.equal(true);
    expect(notPrivate(dir)).to.deep.equal([]);

    // As an older version left it: the key beside the ledger, files readable by everyone.
    fs.renameSync(path.join(dir, 'keys', 'node.key'), path.join(dir, 'ledger', 'node.key'));
    fs.rmSync(path.join(dir, 'keys', 'node.pub'));
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, 'ledger', 'node.key'), 0o644);
    service = await startService(env);
    expect(await service.stop()).to.equal(0);
    expect(fs.existsSync(path.join(dir, 'ledger', 'node.key'))).to.equal(false);
    expect(notPrivate(dir)).to.deep.equal([]);
    // The same key signed every block: the chain verifies with the moved key.
    const write = Object.getOwnPropertyDescriptor(process.stdout, 'write');
    Object.assign(process.stdout, { write: () => true });
    try {
      expect(await verifyChainCommand(['--data', dir])).to.equal(0);
    } finally {
      if (write) Object.defineProperty(process.stdout, 'write', write);
      else delete (process.stdout as { write?: unknown }).write;
    }
  });

  it('requires client certificates from TLS_CLIENT_CA (mutual TLS) and records which one', async () => {
    const dir = tmpDir('mtls');
    const institutions = createLocalCa('Institutions CA');
    fs.writeFileSync(path.join(dir, 'clients-ca.crt'), institutions.certPem);
    const settings = loadTlsSettings({ TLS_CLIENT_CA: path.join(dir, 'clients-ca.crt') }, dir, '127.0.0.1');
    const h = await startGateway('mtls', { tls: settings });
    try {
      const url = await h.baseUrl();
      const without = new LianjianClient({ baseUrl: url, tls: h.tls, identity: h.id('Org1MSP:bank1') });
      expect(await without.get('/v1/me').catch((e: Error) => e.message)).to.match(/certificate|socket|reset|EPIPE/i);
      const client = issueTlsCertificate(institutions, { commonName: 'bank1 core', hosts: [], days: 30 });
      const withCert = new LianjianClient({
        baseUrl: url,
        identity: h.id('Org1MSP:bank1'),
        tls: { ...h.tls, cert: client.certPem, key: client.keyPem },
      });
      expect((await withCert.get<{ handle: string }>('/v1/me')).handle).to.equal('Org1MSP:bank1');
      const last = fs.readFileSync(auditFile(h.config.auditDir), 'utf8').trim().split('\n').pop()!;
      expect((JSON.parse(last) as { client: { cert?: string } }).client.cert).to.match(
        /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
      );
      without.close();
      withCert.close();
    } finally {
      await h.close();
    }
  });

  it('serves plain HTTP only with TLS=off, and re-issues the certificate for a new host name', async () => {
    const h = await startGateway('plain', { tls: { ...loadTlsSettings({ TLS: 'off' }, tmpDir('off'), '127.0.0.1') } });
    try {
      expect(await h.baseUrl()).to.match(/^http:\/\//);
      expect((await (await h.client('Org1MSP:ent1')).raw('GET', '/v1/me')).status).to.equal(200);
    } finally {
      await h.close();
    }
    const dir = tmpDir('renew');
    const first = ensureTls(loadTlsSettings({}, dir, '127.0.0.1'));
    expect(ensureTls(loadTlsSettings({}, dir, '127.0.0.1')).cert).to.equal(first.cert);
    const renamed = ensureTls(loadTlsSettings({ TLS_HOSTS: 'gateway.bank.example' }, dir, '127.0.0.1'));
    expect(renamed.cert).to.not.equal(first.cert);
    expect(renamed.ca, 'the same CA: clients keep trusting it').to.equal(first.ca);
  });
});
