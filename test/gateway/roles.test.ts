import { expect } from 'chai';
import { signCall } from '../../ledger/intents';
import { attest, fund, Harness, startGateway } from './helpers';

/** Every demo role against every core write route: allowed roles succeed, the others get 403. */
describe('gateway: role x write-route matrix (embedded ledger)', function () {
  this.timeout(120_000);
  let h: Harness;
  const USERS = [
    'Org1MSP:bank1',
    'Org1MSP:oracle1',
    'Org1MSP:ent1',
    'Org1MSP:merchant1',
    'Org1MSP:consumer1',
    'Org2MSP:regulator1',
    'Org2MSP:auditor1',
    'Org2MSP:court1',
  ];
  const short = (u: string) => u.split(':')[1];
  const roleOf = (u: string): string => h.id(u).roles![0];

  before(async () => {
    h = await startGateway('roles');
    await fund(h, 'sink', 'Org1MSP:ent2', '0');
    await fund(h, 'frz', 'Org1MSP:ent2', '0');
    await fund(h, 'wd', 'Org1MSP:ent2', '100000');
    for (const u of USERS) {
      await fund(h, `own-${short(u)}`, u, '10000');
      await fund(h, `empty-${short(u)}`, 'Org1MSP:ent2', '0');
    }
  });
  after(() => h.close());

  type Case = { route: string; allowed: string[]; req: (u: string, i: number) => [string, string, unknown] };
  const oracle = () => h.id('Org1MSP:oracle1');
  const cases: Case[] = [
    {
      route: 'POST /v1/accounts',
      allowed: ['bank'],
      req: (u) => [
        'POST',
        '/v1/accounts',
        { id: `new-${short(u)}`, kind: 'general', owner: 'Org1MSP:ent1', offChainRef: 'r' },
      ],
    },
    {
      route: 'POST /v1/accounts/:id/freeze',
      allowed: ['regulator', 'court'],
      req: (u) => ['POST', '/v1/accounts/frz/freeze', { reason: 'court order', order: `O-${short(u)}` }],
    },
    {
      route: 'POST /v1/accounts/:id/unfreeze',
      allowed: ['regulator', 'court'],
      req: (u) => ['POST', '/v1/accounts/frz/unfreeze', { reason: 'lifted', order: `O-${short(u)}` }],
    },
    {
      route: 'POST /v1/accounts/:id/close',
      allowed: ['bank'],
      req: (u) => ['POST', `/v1/accounts/empty-${short(u)}/close`, {}],
    },
    {
      route: 'POST /v1/transfers',
      allowed: ['enterprise', 'merchant', 'consumer', 'bank', 'regulator'],
      req: (u) => [
        'POST',
        '/v1/transfers',
        { id: `t-${short(u)}`, from: `own-${short(u)}`, to: 'sink', amount: '100', purpose: 'matrix' },
      ],
    },
    {
      route: 'POST /v1/mirror/deposits',
      allowed: ['oracle'],
      req: (u) => [
        'POST',
        '/v1/mirror/deposits',
        {
          account: 'sink',
          amount: '5',
          offTxId: `md-${short(u)}`,
          attestation: attest(oracle(), {
            kind: 'deposit',
            bank: 'Org1MSP',
            account: 'sink',
            offTxId: `md-${short(u)}`,
            amount: '5',
          }),
        },
      ],
    },
    {
      route: 'POST /v1/mirror/withdrawals',
      allowed: ['oracle'],
      req: (u) => [
        'POST',
        '/v1/mirror/withdrawals',
        {
          account: 'wd',
          amount: '7',
          offTxId: `mw-${short(u)}`,
          attestation: attest(oracle(), {
            kind: 'withdrawal',
            bank: 'Org1MSP',
            account: 'wd',
            offTxId: `mw-${short(u)}`,
            amount: '7',
          }),
        },
      ],
    },
  ];

  for (const c of cases) {
    it(c.route, async () => {
      const got: Record<string, number> = {};
      for (const [i, u] of USERS.entries()) {
        const before = await h.ledger.height();
        const [method, url, body] = c.req(u, i);
        const r = await h.call(u, method, url, body);
        got[`${short(u)}`] = r.statusCode;
        if (c.allowed.includes(roleOf(u))) {
          expect(r.statusCode, `${u}: ${r.body}`).to.be.oneOf([200, 201]);
          expect(r.headers['x-lj-tx-id'], u).to.be.a('string');
        } else {
          expect(r.statusCode, `${u}: ${r.body}`).to.equal(403);
          expect(r.json().code).to.equal('ROLE_REQUIRED');
          expect(await h.ledger.height(), `${u} changed the ledger`).to.equal(before);
        }
      }
    });
  }

  it('the chaincode re-checks roles when the gateway is bypassed', async () => {
    const err = await h.ledger
      .submit(
        signCall(h.id('Org2MSP:auditor1'), {
          fn: 'Money:openAccount',
          args: ['x1', 'general', 'Org1MSP:ent1', 'r', ''],
        }),
      )
      .catch((e) => e);
    expect(err.code).to.equal('ROLE_REQUIRED');
    expect(err.status).to.equal(403);
  });

  it('the chaincode decides rules the gateway cannot: not the owner, frozen account', async () => {
    const steal = { id: 'steal', from: 'own-merchant1', to: 'sink', amount: '1', purpose: 'x' };
    const r = await h.call('Org1MSP:ent1', 'POST', '/v1/transfers', steal);
    expect(r.statusCode).to.equal(404); // not ent1's to read: as if it did not exist
    expect(r.json()).to.deep.include({ code: 'ACCOUNT_NOT_FOUND', field: 'from' });
    const bank = await h.call('Org1MSP:bank1', 'POST', '/v1/transfers', { ...steal, id: 'steal-2' });
    expect(bank.statusCode).to.equal(403); // its bank reads it, and still may not move it
    expect(bank.json()).to.deep.include({ code: 'NOT_ACCOUNT_OWNER', field: 'from' });
  });
});
