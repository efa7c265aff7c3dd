/**
 * Issue 15.3: accounts carry the display name of their holder (户名) and the org of their holder,
 * so screens and exports name people, not ids. A bank names the holder when it opens the account;
 * without a name the member's name is used.
 */
import { expect } from 'chai';
import { Harness, startGateway } from '../gateway/helpers';
import { rest } from '../support/rest';

describe('account routes: holder names (15.3)', function () {
  this.timeout(60_000);
  let h: Harness;
  const { ok } = rest(() => h);
  before(async () => {
    h = await startGateway('names');
  });
  after(() => h?.close());

  it('an account names its holder and the holder’s org; listings and balances carry them', async () => {
    const a = await ok(
      'Org1MSP:bank1',
      'POST',
      '/v1/accounts',
      { id: 'nm-1', kind: 'wallet', owner: 'Org1MSP:consumer1', offChainRef: 'e-001', holderName: '林女士' },
      201,
    );
    expect(a).to.include({ holderName: '林女士', holderOrg: 'Org1MSP', status: 'active' });
    const b = await ok(
      'Org1MSP:bank1',
      'POST',
      '/v1/accounts',
      { id: 'nm-2', kind: 'settlement', owner: 'Org1MSP:ent1', offChainRef: 'c-001' },
      201,
    );
    expect(b).to.include({ holderName: 'ent1', holderOrg: 'Org1MSP' }); // no name given: the member's
    const mine = await ok<any[]>('Org1MSP:consumer1', 'GET', '/v1/accounts');
    expect(mine.map((x) => [x.id, x.holderName])).to.deep.equal([['nm-1', '林女士']]);
    expect(await ok('Org2MSP:auditor1', 'GET', '/v1/accounts/nm-1/balance')).to.include({
      holderName: '林女士',
      holderOrg: 'Org1MSP',
    });
    // replaying the opening is a no-op; another name for the same id is a conflict
    await ok(
      'Org1MSP:bank1',
      'POST',
      '/v1/accounts',
      { id: 'nm-1', kind: 'wallet', owner: 'Org1MSP:consumer1', offChainRef: 'e-001', holderName: '林女士' },
      201,
    );
    const r = await h.call('Org1MSP:bank1', 'POST', '/v1/accounts', {
      id: 'nm-1',
      kind: 'wallet',
      owner: 'Org1MSP:consumer1',
      offChainRef: 'e-001',
      holderName: '林某',
    });
    expect([r.statusCode, r.json().code]).to.deep.equal([409, 'ACCOUNT_EXISTS']);
  });
});
