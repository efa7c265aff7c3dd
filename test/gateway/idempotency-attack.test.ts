/**
 * The rewritten Idempotency-Key attack (issue 14): POST /v1/transfers uses the Idempotency-Key as
 * the transfer id when the body names none, so a man in the middle who rewrites the key and lets
 * the client retry would pay the payee twice. The member's signature covers the key: the rewritten
 * request is refused by the gateway, and by the chaincode when the gateway is bypassed, and the
 * payee is paid once.
 */
import { expect } from 'chai';
import { coreOperations } from '../../chaincode/core/operations';
import { httpIntent, signedRequestOf, signRequest } from '../../gateway/signing';
import { fund, Harness, startGateway } from './helpers';

describe('gateway: a rewritten Idempotency-Key', function () {
  this.timeout(60_000);
  let h: Harness;
  const ENT = 'Org1MSP:ent1';
  const body = JSON.stringify({ from: 'ia-a', to: 'ia-b', amount: '700', purpose: 'invoice 42' });
  before(async () => {
    h = await startGateway('idem-attack');
    await fund(h, 'ia-a', ENT, '100000');
    await fund(h, 'ia-b', 'Org1MSP:ent2', '0');
  });
  after(() => h.close());

  const balance = async (account: string): Promise<string> =>
    h.call('Org2MSP:auditor1', 'GET', `/v1/accounts/${account}/balance`).then((r) => r.json<{ total: string }>().total);
  /** What ent1's client sends: signed over the body and its Idempotency-Key. */
  const signed = (idempotencyKey: string): Record<string, string> => ({
    'content-type': 'application/json',
    'idempotency-key': idempotencyKey,
    ...signRequest(h.id(ENT), {
      method: 'POST',
      url: '/v1/transfers',
      body,
      contentType: 'application/json',
      idempotencyKey,
    }),
  });
  const send = (headers: Record<string, string>) =>
    h.app.inject({ method: 'POST', url: '/v1/transfers', payload: body, headers });

  it('is refused by the gateway and by the chaincode; the client’s retries pay once', async () => {
    const captured = signed('inv-42');
    const height = await h.ledger.height();

    // On the way, the key is rewritten: the signature no longer covers the request.
    const rewritten = await send({ ...captured, 'idempotency-key': 'inv-42-x' });
    expect(rewritten.statusCode).to.equal(401);
    expect(rewritten.json()).to.include({ code: 'BAD_SIGNATURE' });
    expect(await h.ledger.height(), 'nothing committed').to.equal(height);

    // Bypassing the gateway: the member's intent with the rewritten key, straight to the ledger.
    const intent = httpIntent(
      {
        ...signedRequestOf(ENT, {
          method: 'POST',
          url: '/v1/transfers',
          body,
          contentType: 'application/json',
          idempotencyKey: 'inv-42',
          timestamp: captured['X-LJ-Timestamp'],
          nonce: captured['X-LJ-Nonce'],
        }),
        idempotencyKey: 'inv-42-x',
      },
      body,
      captured['X-LJ-Signature'],
    );
    const args = coreOperations.transfer.args({
      params: {},
      query: {},
      body: JSON.parse(body) as Record<string, unknown>,
      idempotencyKey: 'inv-42-x',
    });
    const onChain = await h.ledger.submit({ fn: 'Money:transfer', args, intent }).catch((e: unknown) => e);
    expect(onChain).to.include({ code: 'BAD_SIGNATURE', status: 401 });

    // The client never got an answer and retries (a fresh signature, the same key): paid once.
    const first = await send(signed('inv-42'));
    expect(first.statusCode).to.equal(201);
    expect(first.json()).to.include({ id: 'inv-42' });
    const retry = await send(signed('inv-42'));
    expect(retry.statusCode).to.equal(201);
    expect(retry.headers['idempotent-replay']).to.equal('true');
    // The captured request as signed is only the same transfer again; sent twice, a used nonce.
    const asSigned = await send(captured);
    expect([asSigned.statusCode, asSigned.headers['idempotent-replay']]).to.deep.equal([201, 'true']);
    expect((await send(captured)).json()).to.include({ code: 'REPLAYED_NONCE' });
    expect(await balance('ia-b')).to.equal('700');
    expect(await balance('ia-a')).to.equal('99300');
  });
});
