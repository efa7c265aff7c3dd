/**
 * Issue 14 (the on-chain part) through the REST API, tried as an attacker would: a second bank's
 * org (Org3MSP: bank2, oracle2, ent4, consumer3) beside the demo orgs never reads or moves the
 * first bank's customers' money or data, and is told "not found" exactly as for an id that does
 * not exist. Banks open accounts for another org's members only with their consent; courts
 * freeze under a recorded order that only they lift; one book account per chain account.
 */
import { expect } from 'chai';
import { attest, Harness, startGateway } from '../gateway/helpers';
import { rest } from '../support/rest';
import { addSecondBank } from '../support/second-bank';

describe('access routes: a second bank, consent, court orders (14)', function () {
  this.timeout(60_000);
  let h: Harness;
  const { ok, refused } = rest(() => h);

  /** `who` gets for `url(real)` exactly what it gets for `url(missing)`: the same status, code and message. */
  async function sameAsMissing(
    who: string,
    method: string,
    url: (id: string) => string,
    real: string,
    body?: unknown,
  ): Promise<string> {
    const missing = `${real}-nope`;
    const a = await h.call(who, method, url(real), body);
    const b = await h.call(who, method, url(missing), body);
    const strip = (s: string, id: string): string => s.split(id).join('<id>');
    expect([a.statusCode, strip(a.body, real)], `${who} ${method} ${url(real)}`).to.deep.equal([
      b.statusCode,
      strip(b.body, missing),
    ]);
    expect(a.statusCode).to.equal(404);
    return a.json<{ code: string }>().code;
  }

  before(async () => {
    h = await startGateway('access');
    await addSecondBank(h.ledger, h.wallet);
    for (const [id, kind, owner] of [
      ['ac-ent1', 'settlement', 'Org1MSP:ent1'],
      ['ac-ent2', 'settlement', 'Org1MSP:ent2'],
    ])
      await ok('Org1MSP:bank1', 'POST', '/v1/accounts', { id, kind, owner, offChainRef: `off-${id}` }, 201);
    const o = h.id('Org1MSP:oracle1');
    await ok(
      'Org1MSP:oracle1',
      'POST',
      '/v1/mirror/deposits',
      {
        account: 'ac-ent1',
        amount: '1000000',
        offTxId: 'ac-d1',
        attestation: attest(o, {
          kind: 'deposit',
          bank: 'Org1MSP',
          account: 'ac-ent1',
          offTxId: 'ac-d1',
          amount: '1000000',
        }),
      },
      201,
    );
    await ok(
      'Org1MSP:ent1',
      'POST',
      '/v1/transfers',
      { id: 'ac-t1', from: 'ac-ent1', to: 'ac-ent2', amount: '1000', purpose: 'goods' },
      201,
    );
  });
  after(() => h?.close());

  it("bank2 reads none of bank1's customers' accounts, transfers or traces: 404 as for a missing id", async () => {
    expect(await sameAsMissing('Org3MSP:bank2', 'GET', (id) => `/v1/accounts/${id}`, 'ac-ent1')).to.equal(
      'ACCOUNT_NOT_FOUND',
    );
    await sameAsMissing('Org3MSP:bank2', 'GET', (id) => `/v1/accounts/${id}/balance`, 'ac-ent1');
    await sameAsMissing('Org3MSP:bank2', 'GET', (id) => `/v1/accounts/${id}/history`, 'ac-ent1');
    await sameAsMissing('Org3MSP:bank2', 'GET', (id) => `/v1/trace/backward/${id}`, 'ac-ent1');
    expect(await sameAsMissing('Org3MSP:bank2', 'GET', (id) => `/v1/trace/forward/Org1MSP/${id}`, 'ac-d1')).to.equal(
      'DEPOSIT_NOT_FOUND',
    );
    expect(await sameAsMissing('Org3MSP:ent4', 'GET', (id) => `/v1/transfers/${id}`, 'ac-t1')).to.equal(
      'TRANSFER_NOT_FOUND',
    );
    expect(await ok('Org3MSP:bank2', 'GET', '/v1/accounts?owner=Org1MSP:ent1')).to.deep.equal([]);
    // its own org's customers, the first bank reads; the owner reads; regulators and auditors by mandate
    for (const who of ['Org1MSP:bank1', 'Org1MSP:ent1', 'Org2MSP:regulator1', 'Org2MSP:auditor1'])
      expect((await ok(who, 'GET', '/v1/accounts/ac-ent1')).id).to.equal('ac-ent1');
  });

  it("bank2 and its oracle move none of bank1's customers' money: 404 as for a missing id, nothing changes", async () => {
    const o2 = h.id('Org3MSP:oracle2');
    const wd = (id: string): unknown => ({
      account: id,
      amount: '12345',
      offTxId: 'x1',
      attestation: attest(o2, { kind: 'withdrawal', bank: 'Org3MSP', account: id, offTxId: 'x1', amount: '12345' }),
    });
    for (const id of ['ac-ent1', 'ac-ent1-nope']) {
      const r = await h.call('Org3MSP:oracle2', 'POST', '/v1/mirror/withdrawals', wd(id));
      expect([r.statusCode, r.json().code]).to.deep.equal([404, 'ACCOUNT_NOT_FOUND']);
    }
    await sameAsMissing('Org3MSP:bank2', 'POST', (id) => `/v1/accounts/${id}/close`, 'ac-ent2', {});
    await sameAsMissing('Org3MSP:bank2', 'POST', (id) => `/v1/prepaid/wallets/${id}/tier`, 'ac-ent1', { tier: 1 });
    await refused(
      'Org3MSP:ent4',
      'POST',
      '/v1/transfers',
      { from: 'ac-ent1', to: 'ac-ent2', amount: '1', purpose: 'x' },
      [404, 'ACCOUNT_NOT_FOUND'],
    );
    expect((await ok('Org2MSP:auditor1', 'GET', '/v1/accounts/ac-ent1/balance')).total).to.equal('999000');
  });

  it("bank2 neither posts to nor reads bank1's books; one book account per chain account", async () => {
    await ok(
      'Org1MSP:bank1',
      'POST',
      '/v1/books/accounts',
      { id: 'core-ac-ent1', holder: '闽建地产', chainAccount: 'ac-ent1' },
      201,
    );
    await ok(
      'Org1MSP:bank1',
      'POST',
      '/v1/books/deposits',
      { ref: 'ac-b1', account: 'core-ac-ent1', amount: '50000' },
      201,
    );
    await refused(
      'Org3MSP:bank2',
      'POST',
      '/v1/books/withdrawals',
      { ref: 'x1', account: 'core-ac-ent1', amount: '12345' },
      [403, 'NOT_BOOKS_BANK'],
    );
    await refused(
      'Org3MSP:bank2',
      'POST',
      '/v1/books/deposits',
      { ref: 'x2', account: 'core-ac-ent1', amount: '12345' },
      [403, 'NOT_BOOKS_BANK'],
    );
    expect((await h.oracles.books.getAccount('core-ac-ent1'))!.balance).to.equal('50000');
    // not these books' bank at all: the same refusal for every id, so it learns nothing of which exist
    for (const id of ['core-ac-ent1', 'core-ac-ent1-nope'])
      await refused('Org3MSP:bank2', 'GET', `/v1/books/accounts/${id}`, undefined, [403, 'NOT_BOOKS_BANK']);
    await refused('Org3MSP:bank2', 'GET', '/v1/recon/cases', undefined, [403, 'NOT_BOOKS_BANK']);
    await refused('Org3MSP:bank2', 'POST', '/v1/recon/runs', {}, [403, 'NOT_BOOKS_BANK']);
    const dup = await refused(
      'Org1MSP:bank1',
      'POST',
      '/v1/books/accounts',
      { id: 'dup', holder: 'x', chainAccount: 'ac-ent1' },
      [409, 'CHAIN_ACCOUNT_MAPPED'],
    );
    expect(dup.field).to.equal('chainAccount');
    expect(await ok('Org2MSP:auditor1', 'GET', '/v1/recon/cases')).to.be.an('array'); // by mandate
  });

  it("an account a bank opens for another org's member waits for the member's consent", async () => {
    const opened = await ok(
      'Org3MSP:bank2',
      'POST',
      '/v1/accounts',
      { id: 'ac-x1', kind: 'settlement', owner: 'Org1MSP:ent2', offChainRef: 'b2-001' },
      201,
    );
    expect(opened).to.include({ status: 'pending', holderOrg: 'Org1MSP', bank: 'Org3MSP' });
    await refused(
      'Org1MSP:ent1',
      'POST',
      '/v1/transfers',
      { from: 'ac-ent1', to: 'ac-x1', amount: '1', purpose: 'x' },
      [422, 'ACCOUNT_PENDING'],
    );
    await sameAsMissing('Org1MSP:ent1', 'POST', (id) => `/v1/accounts/${id}/consent`, 'ac-x1', { decision: 'accept' });
    expect((await ok('Org1MSP:ent2', 'POST', '/v1/accounts/ac-x1/consent', { decision: 'accept' })).status).to.equal(
      'active',
    );
    await ok('Org1MSP:ent1', 'POST', '/v1/transfers', { from: 'ac-ent1', to: 'ac-x1', amount: '1', purpose: 'x' }, 201);
    await ok(
      'Org3MSP:bank2',
      'POST',
      '/v1/accounts',
      { id: 'ac-x2', kind: 'settlement', owner: 'Org2MSP:regulator1', offChainRef: 'b2-002' },
      201,
    );
    expect(
      (await ok('Org2MSP:regulator1', 'POST', '/v1/accounts/ac-x2/consent', { decision: 'decline' })).status,
    ).to.equal('closed');
  });

  it('a court freezes an account under its order; only that court lifts it', async () => {
    const frozen = await ok('Org2MSP:court1', 'POST', '/v1/accounts/ac-ent2/freeze', {
      order: 'HU01-2026-17',
      reason: '财产保全',
    });
    expect(frozen.freezes[0]).to.include({ order: 'HU01-2026-17', by: 'Org2MSP:court1', authority: 'court' });
    expect((await ok('Org2MSP:court1', 'GET', '/v1/accounts/ac-ent2')).status).to.equal('frozen');
    await refused('Org2MSP:court1', 'POST', '/v1/accounts/ac-ent2/freeze', { reason: 'no order' }, [400, 'INVALID_ID']);
    await refused(
      'Org2MSP:regulator1',
      'POST',
      '/v1/accounts/ac-ent2/unfreeze',
      { order: 'HU01-2026-17', reason: 'x' },
      [403, 'NOT_FREEZE_AUTHORITY'],
    );
    await refused('Org2MSP:regulator1', 'POST', '/v1/accounts/ac-ent2/unfreeze', { reason: 'x' }, [
      422,
      'FREEZE_NOT_FOUND',
    ]);
    await refused(
      'Org1MSP:ent2',
      'POST',
      '/v1/transfers',
      { from: 'ac-ent2', to: 'ac-ent1', amount: '1', purpose: 'x' },
      [422, 'ACCOUNT_FROZEN'],
    );
    expect(
      (
        await ok('Org2MSP:court1', 'POST', '/v1/accounts/ac-ent2/unfreeze', {
          order: 'HU01-2026-17',
          reason: '解除保全',
        })
      ).status,
    ).to.equal('active');
    await sameAsMissing('Org2MSP:court1', 'GET', (id) => `/v1/accounts/${id}`, 'ac-ent2'); // no order on it any more
  });
});
