/**
 * Members' signed intents, checked by the chaincode itself: these calls bypass the gateway and
 * go straight to the ledger, as a compromised gateway or node operator would.
 */
import { expect } from 'chai';
import { generateKeyPair } from '../../chaincode/lib/gm';
import { signedRequestOf, signRequest, httpIntent } from '../../gateway/signing';
import { EmbeddedLedger } from '../../ledger/embedded/index';
import { signCall } from '../../ledger/intents';
import { verifyLedger } from '../../network/embedded/verify-chain';
import { Harness } from '../support/harness';

describe('chaincode: members sign their own intents', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await Harness.create();
    await h.openAccount('it-a', 'ent1');
    await h.openAccount('it-b', 'ent2');
    await h.deposit('it-a', 100000n);
  });
  after(() => h.close());

  const transfer = (id: string, amount: string) => ({
    fn: 'Money:transfer',
    args: [id, 'it-a', 'it-b', amount, 'rent', ''],
  });

  it('refuses an intent signed with a key that is not the member’s (BAD_SIGNATURE)', async () => {
    const forger = { ...h.id('ent1'), sm2: generateKeyPair() };
    const height = await h.ledger.height();
    const err = await h.ledger.submit(signCall(forger, transfer('f1', '100'))).catch((e) => e);
    expect(err).to.include({ code: 'BAD_SIGNATURE', status: 401 });
    expect(await h.ledger.height()).to.equal(height);
  });

  it('refuses a write without an intent, and arguments other than those signed', async () => {
    expect(await h.ledger.submit({ ...transfer('f2', '100'), org: 'Org1MSP' }).catch((e) => e)).to.include({
      code: 'INTENT_REQUIRED',
    });
    const signed = signCall(h.id('ent1'), transfer('f3', '1'));
    const tampered = { ...signed, args: transfer('f3', '99999').args };
    expect(await h.ledger.submit(tampered).catch((e) => e)).to.include({ code: 'INTENT_MISMATCH', status: 403 });
    const otherFn = { ...signed, fn: 'Money:closeAccount', args: ['it-a'] };
    expect(await h.ledger.submit(otherFn).catch((e) => e)).to.include({ code: 'INTENT_MISMATCH' });
  });

  it('binds a REST request: the body the member signed is the call that runs', async () => {
    const body = JSON.stringify({ from: 'it-a', to: 'it-b', amount: '5', purpose: 'rent' });
    const request = {
      method: 'POST',
      url: '/v1/transfers',
      body,
      contentType: 'application/json',
      idempotencyKey: 'rest-1',
    };
    const headers = signRequest(h.id('ent1'), request);
    const signedRequest = signedRequestOf('Org1MSP:ent1', {
      ...request,
      timestamp: headers['X-LJ-Timestamp'],
      nonce: headers['X-LJ-Nonce'],
    });
    const intent = httpIntent(signedRequest, body, headers['X-LJ-Signature']);
    const wrong = await h.ledger
      .submit({ fn: 'Money:transfer', args: ['rest-1', 'it-a', 'it-b', '5000', 'rent', ''], intent })
      .catch((e) => e);
    expect(wrong).to.include({ code: 'INTENT_MISMATCH' });
    const right = await h.ledger.submit({
      fn: 'Money:transfer',
      args: ['rest-1', 'it-a', 'it-b', '5', 'rent', ''],
      intent,
    });
    expect(JSON.parse(right.result)).to.include({ id: 'rest-1', amount: '5' });
  });

  it('a write is idempotent on (member, key): a replay answers the first result, another request is 409', async () => {
    const first = await h.ledger.submit(signCall(h.id('ent1'), { ...transfer('t-idem', '7'), idempotencyKey: 'k-7' }));
    const height = await h.ledger.height();
    const again = await h.ledger.submit(signCall(h.id('ent1'), { ...transfer('t-idem', '7'), idempotencyKey: 'k-7' }));
    expect(again).to.deep.include({ replayed: true, txId: first.txId, result: first.result });
    expect(await h.ledger.height()).to.equal(height);
    const other = await h.ledger
      .submit(signCall(h.id('ent1'), { ...transfer('t-idem-2', '8'), idempotencyKey: 'k-7' }))
      .catch((e) => e);
    expect(other).to.include({ code: 'IDEMPOTENCY_KEY_REUSED', status: 409 });
  });

  it('verify-chain re-checks every member signature and binding from the blocks alone', async function () {
    // verify-chain reads the embedded engine's own block store; on Fabric the peers validate blocks.
    if (!(h.ledger instanceof EmbeddedLedger)) this.skip();
    const core = h.ledger.core;
    const result = await verifyLedger(core.db, core.nodePublicKey);
    expect(result, JSON.stringify(result)).to.deep.include({ ok: true });
  });
});
