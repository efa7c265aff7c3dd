import { expect } from 'chai';
import fs from 'node:fs';
import { bootstrap } from '../../gateway/bootstrap';
import { loadConfig } from '../../gateway/config';
import { identityCommand } from '../../gateway/identity-cli';
import { createLedger } from '../../ledger/index';
import { openWallet, x509Id } from '../../ledger/wallet';
import { tmpDir } from './helpers';

describe('gateway: bootstrap and `identity create` (embedded ledger)', function () {
  this.timeout(60_000);
  const dir = tmpDir('ident');
  const config = loadConfig({ LIANJIAN_DATA: dir });
  const saved = process.env.LIANJIAN_DATA;
  after(() => {
    process.env.LIANJIAN_DATA = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('bootstraps once, then registers a new member through the org admin', async () => {
    let ledger = await createLedger(config);
    const wallet = openWallet(dir);
    expect((await bootstrap(ledger, wallet, dir)).ran).to.equal(true);
    const height = await ledger.height();
    expect((await bootstrap(ledger, wallet, dir)).ran).to.equal(false); // second start does nothing
    expect(await ledger.height()).to.equal(height);
    const reg = wallet.get('Org2MSP:regulator1')!;
    expect(JSON.parse(await ledger.evaluate(reg, 'Identity:whoami', []))).to.include({
      handle: 'Org2MSP:regulator1',
      x509Id: x509Id(reg.ledger.certPem),
    });
    await ledger.close();

    process.env.LIANJIAN_DATA = dir;
    const log = console.log;
    console.log = () => {};
    try {
      expect(
        await identityCommand(['create', '--org', 'Org1MSP', '--role', 'merchant,consumer', '--name', 'shop2']),
      ).to.equal(0);
      expect(await identityCommand(['create', '--org', 'Org2MSP', '--role', 'bank', '--name', 'nope'])).to.equal(1); // Org2 may not grant bank
      expect(await identityCommand(['create', '--org', 'Org1MSP'])).to.equal(2);
    } finally {
      console.log = log;
    }
    expect(openWallet(dir).get('Org2MSP:nope')).to.equal(undefined);
    ledger = await createLedger(config);
    const shop = openWallet(dir).get('Org1MSP:shop2')!;
    expect(JSON.parse(await ledger.evaluate(shop, 'Identity:whoami', []))).to.deep.include({
      roles: ['merchant', 'consumer'],
      publicKey: shop.sm2.publicKey,
    });
    await ledger.close();
  });
});
