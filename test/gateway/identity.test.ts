/** Members' own keys: the demo key ceremony, `lianjian identity` through the REST API, revocation. */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { identityCommand } from '../../bin/identity';
import { bootstrap } from '../../gateway/bootstrap';
import { signCall } from '../../ledger/intents';
import { Wallet } from '../../ledger/wallet';
import { Harness, startGateway } from './helpers';

/** Runs the CLI quietly; returns its exit code. */
async function cli(args: string[]): Promise<number> {
  const [log, error] = [console.log, console.error];
  console.log = console.error = () => undefined;
  try {
    return await identityCommand(args);
  } finally {
    [console.log, console.error] = [log, error];
  }
}

/** Every file under `dir` (recursively) except those under `skip`. */
function filesUnder(dir: string, skip: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (p === skip) return [];
    return e.isDirectory() ? filesUnder(p, skip) : [p];
  });
}

describe('identities: members hold their own keys', function () {
  this.timeout(60_000);
  let h: Harness;
  let url: string;
  let clients: string;
  before(async () => {
    h = await startGateway('ident');
    url = await h.baseUrl();
    clients = h.wallet.dir;
  });
  after(() => h.close());

  it('bootstrap runs once per chain', async () => {
    const height = await h.ledger.height();
    const again = await bootstrap({
      ledger: h.ledger,
      demoWallet: h.wallet,
      serviceWallet: new Wallet(path.join(h.dir, 'service')),
    });
    expect(again.ran).to.equal(false);
    expect(await h.ledger.height()).to.equal(height);
  });

  it('no member private key is on the service side: only its own oracle identity', () => {
    const serverFiles = filesUnder(h.dir, clients).map((f) => fs.readFileSync(f, 'latin1'));
    for (const keyId of h.wallet.list()) {
      const secret = h.wallet.get(keyId)!.sm2.privateKey;
      expect(
        serverFiles.some((text) => text.includes(secret)),
        keyId,
      ).to.equal(false);
    }
    expect(new Wallet(path.join(h.dir, 'service')).list()).to.deep.equal(['Org1MSP:oracle1']);
  });

  it('`identity create` makes the key on the client and registers only the public key', async () => {
    const base = ['--wallet', clients, '--url', url, '--ca', h.config.tls.caFile];
    expect(
      await cli(['create', '--org', 'Org1MSP', '--role', 'merchant,consumer', '--name', 'shop2', ...base]),
    ).to.equal(0);
    const shop = h.wallet.get('Org1MSP:shop2')!;
    const me = await (await h.client('Org1MSP:shop2')).get<{ roles: string[]; publicKey: string }>('/v1/me');
    expect(me).to.deep.include({ roles: ['merchant', 'consumer'], publicKey: shop.sm2.publicKey });
    // Org2 may not grant the bank role: the chain refuses, the key stays the member's own.
    expect(await cli(['create', '--org', 'Org2MSP', '--role', 'bank', '--name', 'nope', ...base])).to.equal(1);
    expect(await cli(['create', '--org', 'Org1MSP', ...base])).to.equal(2);
  });

  it('a revoked key is refused by the gateway within a second and by the chaincode at once', async () => {
    const shop = h.wallet.get('Org1MSP:shop2')!;
    const client = await h.client('Org1MSP:shop2');
    expect((await client.raw('GET', '/v1/me')).status).to.equal(200);
    const adminKey = h.wallet.fileOf('Org1MSP:admin');
    const revoke = ['revoke', '--handle', 'Org1MSP:shop2', '--reason', 'left the company', '--admin-key', adminKey];
    expect(await cli([...revoke, '--url', url, '--ca', h.config.tls.caFile])).to.equal(0);
    const refused = await client.raw<{ code: string }>('GET', '/v1/me');
    expect(refused.status).to.equal(401);
    expect(refused.body.code).to.equal('KEY_REVOKED');
    const onChain = await h.ledger.evaluate(signCall(shop, { fn: 'Identity:whoami', args: [] })).catch((e) => e);
    expect(onChain).to.include({ code: 'KEY_REVOKED', status: 401 });
    // Re-registering the revoked name is refused too.
    const admin = await h.client('Org1MSP:admin');
    const again = await admin.raw<{ code: string }>(
      'POST',
      '/v1/members',
      {
        name: 'shop2',
        roles: ['merchant'],
        publicKey: shop.sm2.publicKey,
      },
      { idempotencyKey: 'again-shop2' },
    );
    expect(again.body.code).to.equal('MEMBER_REVOKED');
  });

  it('only an org admin registers members, and only in its own org', async () => {
    const ent = await h.client('Org1MSP:ent1');
    const body = { name: 'x9', roles: ['consumer'], publicKey: h.wallet.get('Org1MSP:ent1')!.sm2.publicKey };
    expect((await ent.raw<{ code: string }>('POST', '/v1/members', body, { idempotencyKey: 'm1' })).body.code).to.equal(
      'ADMIN_REQUIRED',
    );
    const regAdmin = await h.client('Org2MSP:admin');
    expect(
      (await regAdmin.raw<{ code: string }>('POST', '/v1/members', body, { idempotencyKey: 'm2' })).body.code,
    ).to.equal('ROLE_NOT_ALLOWED');
  });
});
