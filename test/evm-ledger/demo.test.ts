/**
 * `LEDGER=evm npm start` then `lianjian demo`, end to end: a real `hardhat node`, the contracts
 * deployed by the genesis org admin's own key (`lianjian evm-deploy --wallet`), the service
 * spawned on LEDGER=evm (its bootstrap registers the demo members with their SM2 and secp256k1
 * keys, its mirror oracle signs with its own keys), and the demo's money core run through the
 * REST API with every write carrying the member's own EIP-712 request. Business steps answer 501
 * and are reported as skipped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { runDemo } from '../../bin/demo';
import { ApiError, type ClientIdentity, LianjianClient } from '../../gateway/sdk';
import { Wallet } from '../../ledger/wallet';
import { runCli, startService, type Service } from '../support/cli';
import { startEvmNode, type EvmNode } from '../support/evm-node';

describe('LEDGER=evm: npm start, then lianjian demo (money core through the REST API)', function () {
  this.timeout(240_000);
  let node: EvmNode;
  let service: Service | undefined;
  let dir: string;
  let wallet: Wallet;
  const as = (keyId: string, identity: ClientIdentity = wallet.get(keyId)!): LianjianClient =>
    new LianjianClient({ baseUrl: service!.url, identity, tls: service!.tls });
  const balance = async (id: string): Promise<string> =>
    (await as('Org2MSP:auditor1').get<{ total: string }>(`/v1/accounts/${id}/balance`)).total;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lj-evm-demo-'));
    node = await startEvmNode();
    fs.writeFileSync(path.join(dir, 'admin.key'), node.keys[0], { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'relayer.key'), node.keys[1], { mode: 0o600 });
    const deploy = await runCli([
      'evm-deploy',
      '--key',
      path.join(dir, 'admin.key'),
      '--wallet',
      path.join(dir, 'wallet'),
      '--rpc',
      node.url,
      '--data',
      path.join(dir, 'data'),
    ]);
    expect(deploy.code, deploy.err).to.equal(0);
    service = await startService({
      LEDGER: 'evm',
      EVM_RPC_URL: node.url,
      EVM_KEY_FILE: path.join(dir, 'relayer.key'),
      LIANJIAN_DATA: path.join(dir, 'data'),
      LIANJIAN_WALLET: path.join(dir, 'wallet'),
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
    });
    wallet = new Wallet(path.join(dir, 'wallet'));
  });
  after(async () => {
    await service?.stop();
    await node?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs the money core of the story: accounts, mirrored deposits, transfers; the businesses answer 501', async () => {
    const lines: string[] = [];
    const r = await runDemo({ url: service!.url, tls: service!.tls, walletDir: wallet.dir, log: (l) => lines.push(l) });
    expect(r.skipped, lines.join('\n')).to.deep.equal([
      'account demo-consumer1-wallet',
      'supervision',
      'bills',
      'prepaid',
    ]);
    // fen: deposits 2,000,000.00 / 500,000.00 / 3,000,000.00 yuan, then the three transfers
    expect(await balance('demo-ent1-main')).to.equal(String(200000000 - 12000000 + 1500000));
    expect(await balance('demo-ent2-main')).to.equal(String(50000000 + 12000000 - 345678 - 1500000));
    expect(await balance('demo-merchant1-shop')).to.equal('345678');
    expect(await balance('demo-presale')).to.equal('300000000');
    const back = await as('Org1MSP:ent2').get<{ bySource: Array<{ deposit: string; amount: string }> }>(
      '/v1/trace/backward/demo-ent2-main',
    );
    expect(back.bySource).to.have.deep.members([
      { deposit: 'deposit:Org1MSP:demo-dep-ent2', amount: String(50000000 - 345678 - 1500000) },
      { deposit: 'deposit:Org1MSP:demo-dep-ent1', amount: '12000000' },
    ]);
    // Every read answers the API's schema (a missing field would be a 500): transfer, history, account.
    const t1 = await as('Org1MSP:ent1').get<{ amount: string; txId: string; by: string }>('/v1/transfers/demo-tx-1');
    expect(t1).to.include({ amount: '12000000', by: 'Org1MSP:ent1' });
    expect(t1.txId).to.match(/^0x[0-9a-f]{64}$/);
    const history = await as('Org1MSP:ent2').get<{ items: Array<{ kind: string; time: string }> }>(
      '/v1/accounts/demo-ent2-main/history',
    );
    expect(history.items.map((e) => e.kind)).to.deep.equal(['deposit', 'transfer_in', 'transfer_out', 'transfer_out']);
    expect(history.items.every((e) => !Number.isNaN(Date.parse(e.time)))).to.equal(true);
    const account = await as('Org1MSP:ent2').get<{ histSeq: number; status: string }>('/v1/accounts/demo-ent2-main');
    expect(account).to.include({ histSeq: 4, status: 'active' });
    const again = await runDemo({ url: service!.url, tls: service!.tls, walletDir: wallet.dir, log: () => undefined });
    expect(again.changed).to.equal(0);
  });

  it("refuses a write without the member's EIP-712 request, or with another member's", async () => {
    const transfer = { id: 'evm-demo-x', from: 'demo-ent1-main', to: 'demo-ent2-main', amount: '1', purpose: 'x' };
    const ent1 = wallet.get('Org1MSP:ent1')!;
    const unsignedForEvm = as('Org1MSP:ent1', { keyId: ent1.keyId, sm2: ent1.sm2 });
    const borrowed = as('Org1MSP:ent1', { ...ent1, secp256k1: wallet.get('Org1MSP:ent2')!.secp256k1 });
    for (const [client, code] of [
      [unsignedForEvm, 'NOT_AUTHENTICATED'],
      [borrowed, 'INTENT_MISMATCH'],
    ] as const) {
      const refusal = await client.post('/v1/transfers', transfer).catch((e: unknown) => e);
      expect(refusal).to.be.instanceOf(ApiError).and.include({ status: 401, code });
    }
    expect(await balance('demo-ent1-main')).to.equal(String(200000000 - 12000000 + 1500000));
  });

  it('serves the forwarder route and marks it as LEDGER=evm only', async () => {
    const spec = await as('Org1MSP:ent1').get<{ paths: Record<string, { get: Record<string, unknown> }> }>(
      '/openapi.json',
    );
    expect(spec.paths['/v1/evm/forwarder'].get['x-lianjian-ledger']).to.deep.equal(['evm']);
    const address = wallet.get('Org1MSP:ent1')!.secp256k1!.address;
    const at = await as('Org1MSP:ent1').get<{ member: string; nonce: string }>('/v1/evm/forwarder', {
      query: { member: address },
    });
    expect(at.member).to.equal(address);
    expect(Number(at.nonce)).to.be.greaterThan(0);
  });

  it('`lianjian identity create --evm`: a new member with both keys, registered by its org admin, signs in', async () => {
    const created = await runCli(
      ['identity', 'create', '--org', 'Org1MSP', '--name', 'ent9', '--role', 'enterprise', '--evm'],
      { LIANJIAN_WALLET: wallet.dir, LIANJIAN_URL: service!.url, LIANJIAN_CA: path.join(dir, 'data/tls/ca.crt') },
    );
    expect(created.code, created.out + created.err).to.equal(0);
    expect(created.out).to.match(/public key: 0x[0-9a-fA-F]{40}\/04[0-9a-f]{128}/);
    const me = await as('Org1MSP:ent9').get<{ handle: string; roles: string[]; publicKey: string }>('/v1/me');
    expect(me).to.include({ handle: 'Org1MSP:ent9', publicKey: wallet.get('Org1MSP:ent9')!.sm2.publicKey });
    expect(me.roles).to.deep.equal(['enterprise']);
  });
});
