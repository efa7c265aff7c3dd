/**
 * Which ledgers run each route (gateway/availability.ts): every /v1 route is marked in
 * /openapi.json, and on LEDGER=evm a route of a chaincode-only business answers 501
 * NOT_ON_THIS_LEDGER while the money core's routes run. The EVM side is an embedded ledger that
 * calls itself `evm` here, so the gate is tested apart from the EVM adapter.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { LedgerClient } from '../../ledger/types';
import { startGateway, type Harness } from './helpers';

interface OpenApi {
  paths: Record<string, Record<string, { 'x-lianjian-ledger'?: string[] }>>;
}

describe('route availability per ledger (x-lianjian-ledger, 501 NOT_ON_THIS_LEDGER)', function () {
  this.timeout(60_000);
  let embedded: Harness;
  let evm: Harness;

  before(async () => {
    embedded = await startGateway('avail');
    const asEvm: LedgerClient = new Proxy(embedded.ledger, {
      get: (target, key): unknown => (key === 'engine' ? 'evm' : Reflect.get(target, key, target)),
    });
    evm = await startGateway('avail-evm', {}, asEvm);
    // The same members sign on both: their own keys, from the embedded side's client wallet.
    fs.cpSync(path.join(embedded.dir, 'clients'), path.join(evm.dir, 'clients'), { recursive: true });
  });
  after(async () => {
    await evm?.app.close();
    await evm?.oracles.stop();
    await embedded?.close();
  });

  it('marks every /v1 route with the ledgers that run it', async () => {
    const spec = (await embedded.app.inject({ method: 'GET', url: '/openapi.json' })).json<OpenApi>();
    expect(spec.paths['/v1/transfers'].post['x-lianjian-ledger']).to.deep.equal(['embedded', 'fabric', 'evm']);
    expect(spec.paths['/v1/trace/forward/{bank}/{offTxId}'].get['x-lianjian-ledger']).to.deep.equal([
      'embedded',
      'fabric',
      'evm',
    ]);
    expect(spec.paths['/v1/bills'].post['x-lianjian-ledger']).to.deep.equal(['embedded', 'fabric']);
    const unmarked = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => path.startsWith('/v1/') && !op['x-lianjian-ledger'])
        .map(([method]) => `${method} ${path}`),
    );
    expect(unmarked).to.deep.equal([]);
  });

  it('on LEDGER=evm a chaincode-only route answers 501 with a clear message; the money core runs', async () => {
    const bills = await evm.call('Org1MSP:ent1', 'POST', '/v1/bills', {
      id: 'b1',
      amount: '100',
      payee: 'Org1MSP:ent2',
    });
    expect(bills.statusCode).to.equal(501);
    expect(bills.json()).to.include({ code: 'NOT_ON_THIS_LEDGER' });
    expect(bills.json<{ message: string }>().message).to.match(/runs only as chaincode .* LEDGER=evm/);
    const open = await evm.call('Org1MSP:bank1', 'POST', '/v1/accounts', {
      id: 'av-1',
      kind: 'settlement',
      owner: 'Org1MSP:ent1',
      offChainRef: 'r',
    });
    expect(open.statusCode, open.body).to.equal(201);
    expect((await evm.call('Org1MSP:ent1', 'GET', '/v1/witness')).json()).to.deep.equal({ enabled: false });
  });
});
