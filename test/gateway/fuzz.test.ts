import { expect } from 'chai';
import fc from 'fast-check';
import { signRequest } from '../../gateway/signing';
import { fund, Harness, startGateway } from './helpers';

/**
 * Generated malformed requests: each one is a valid request with at least one defect that must
 * make it fail. None may give a 5xx, and together they must not change the ledger.
 */
describe('gateway: 1,200 generated malformed requests (embedded ledger)', function () {
  this.timeout(300_000);
  let h: Harness;
  before(async () => {
    h = await startGateway('fuzz', { ratePerSec: 0 });
    await fund(h, 'f1', 'Org1MSP:ent1', '50000');
    await fund(h, 'f2', 'Org1MSP:ent2', '0');
  });
  after(() => h.close());

  const validId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/);
  const badId = fc.oneof(
    fc.constant(''),
    fc.constant('a~b'),
    fc.constant('a/b'),
    fc.constant(' x'),
    fc.constant('ü'),
    fc.string({ minLength: 65, maxLength: 80 }).map((s) => 'x' + s),
    fc.string().filter((s) => !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(s)),
  );
  const badAmount = fc.oneof(
    fc
      .double()
      .filter((d) => !Number.isInteger(d) || d > 0)
      .map((d) => d as unknown), // a JSON number, never allowed
    fc.integer({ min: 1, max: 1000 }), // even integral numbers
    fc.tuple(fc.nat(), fc.integer({ min: 1, max: 99 })).map(([a, b]) => `${a}.${b}`), // "1.5"
    fc.nat().map((n) => `-${n + 1}`),
    fc.bigInt({ min: 10n ** 18n, max: 10n ** 40n }).map(String), // huge
    fc.bigInt({ min: 10n ** 15n + 1n, max: 10n ** 18n - 1n }).map(String), // above the maximum
    fc.nat().map((n) => `0${n}`), // leading zero
    fc.constantFrom('', '0', ' 1', '1 ', '0x10', '1e3', '１２', 'NaN', 'Infinity', null, true, [], {}),
  );
  const wrongType = fc.constantFrom<unknown>(1, 1.5, true, null, [], {}, ['a']);
  const unknownAcct = validId.map((s) => `nx-${s}`);
  const user = fc.constantFrom(
    'Org1MSP:bank1',
    'Org1MSP:ent1',
    'Org1MSP:oracle1',
    'Org2MSP:regulator1',
    'Org1MSP:consumer1',
  );

  type Req = { method: string; url: string; body?: unknown; text?: string; contentType?: string; drop?: string };
  const transfer = () => ({ from: 'f1', to: 'f2', amount: '100', purpose: 'fuzz' }) as Record<string, unknown>;
  const account = () =>
    ({ id: 'fz-new', kind: 'wallet', owner: 'Org1MSP:ent1', offChainRef: 'r' }) as Record<string, unknown>;
  const deposit = () =>
    ({ account: 'f1', amount: '100', offTxId: 'fz-dep', attestation: 'ab'.repeat(70) }) as Record<string, unknown>;

  const mutate = (base: () => Record<string, unknown>, fields: string[], extra: fc.Arbitrary<[string, unknown]>[]) =>
    fc.oneof(
      fc.tuple(fc.constantFrom(...fields), wrongType).map(([f, v]) => ({ ...base(), [f]: v })),
      fc.constantFrom(...fields).map((f) => {
        const b = base();
        delete b[f];
        return b;
      }),
      fc.tuple(validId, fc.string()).map(([k, v]) => ({ ...base(), ['x' + k]: v })),
      ...extra.map((a) => a.map(([f, v]) => ({ ...base(), [f]: v }))),
    );

  const bodies: fc.Arbitrary<Req> = fc.oneof(
    mutate(
      transfer,
      ['from', 'to', 'amount', 'purpose'],
      [
        badAmount.map((v) => ['amount', v] as [string, unknown]),
        unknownAcct.map((v) => ['to', v] as [string, unknown]),
        unknownAcct.map((v) => ['from', v] as [string, unknown]),
        badId.map((v) => ['from', v] as [string, unknown]),
        badId.map((v) => ['id', v] as [string, unknown]),
        fc.string({ minLength: 257, maxLength: 300 }).map((v) => ['purpose', v] as [string, unknown]),
      ],
    ).map((body) => ({ method: 'POST', url: '/v1/transfers', body })),
    mutate(
      account,
      ['id', 'kind', 'owner', 'offChainRef'],
      [
        badId.map((v) => ['id', v] as [string, unknown]),
        fc
          .string()
          .filter(
            (s) =>
              !['supervised', 'settlement', 'wallet', 'escrow', 'wage', 'deposit', 'payout', 'general'].includes(s),
          )
          .map((v) => ['kind', v] as [string, unknown]),
        validId.map((v) => ['owner', `Org1MSP:nobody-${v}`] as [string, unknown]),
      ],
    ).map((body) => ({ method: 'POST', url: '/v1/accounts', body })),
    fc
      .oneof(
        mutate(
          deposit,
          ['account', 'amount', 'offTxId', 'attestation'],
          [badAmount.map((v) => ['amount', v] as [string, unknown])],
        ),
        fc.constant(deposit()),
      )
      .map((body) => ({ method: 'POST', url: '/v1/mirror/deposits', body })),
    fc
      .tuple(fc.constantFrom('freeze', 'unfreeze', 'close'), fc.oneof(unknownAcct, badId.map(encodeURIComponent)))
      .map(([verb, id]) => ({
        method: 'POST',
        url: `/v1/accounts/${id || 'x%7E'}/${verb}`,
        body: verb === 'close' ? {} : { reason: 'fuzz' },
      })),
    fc.constantFrom('/v1/transfers', '/v1/accounts', '/v1/mirror/withdrawals').chain((url) =>
      fc.oneof(
        fc
          .string()
          .filter((s) => {
            try {
              JSON.parse(s);
              return false;
            } catch {
              return true;
            }
          })
          .map((text) => ({ method: 'POST', url, text })),
        fc
          .constantFrom('{"from":', '[1,2', '{"amount":1.5e400}', '\u0000', 'null', '[]', '"x"', '42')
          .map((text) => ({ method: 'POST', url, text })),
        fc.constant({ method: 'POST', url, body: transfer(), contentType: 'text/plain' }),
      ),
    ),
    fc
      .constantFrom('/v1/transfers', '/v1/accounts')
      .chain((url) =>
        fc
          .constantFrom('x-lj-signature', 'x-lj-key', 'x-lj-nonce', 'x-lj-timestamp', 'idempotency-key')
          .map((drop) => ({ method: 'POST', url, body: url === '/v1/transfers' ? transfer() : account(), drop })),
      ),
    fc.oneof(
      fc
        .constantFrom('limit=0', 'limit=501', 'limit=abc', 'afterSeq=-1', 'afterSeq=1.5', 'x=1')
        .map((q) => ({ method: 'GET', url: `/v1/accounts/f1/history?${q}` })),
      fc
        .oneof(unknownAcct, badId.map(encodeURIComponent))
        .map((id) => ({ method: 'GET', url: `/v1/accounts/${id || '%20'}/balance` })),
      fc
        .constantFrom(
          '/v1/blocks/abc',
          '/v1/blocks/-1',
          '/v1/blocks/99999999',
          '/v1/blocks?limit=1000',
          '/v1/transactions/nope',
          '/v1/members/bad',
          '/v1/trace/forward/Org1MSP/nx',
          '/v1/accounts?owner=bad',
        )
        .map((url) => ({ method: 'GET', url })),
    ),
  );

  it('never answer 5xx and never change state', async () => {
    const totals = async () => (await h.call('Org2MSP:auditor1', 'GET', '/v1/totals')).json();
    const before = { totals: await totals(), height: await h.ledger.height() };
    const seen = new Map<number, number>();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(bodies, user, fc.nat(), async (req, who, salt) => {
        const text = req.text ?? (req.body === undefined ? '' : JSON.stringify(req.body));
        const contentType = text ? (req.contentType ?? 'application/json') : '';
        const idempotencyKey = req.method === 'POST' ? `fz-${salt}-${n}` : '';
        const headers: Record<string, string> = {
          ...signRequest(h.id(who), { method: req.method, url: req.url, body: text, contentType, idempotencyKey }),
        };
        if (contentType) headers['content-type'] = contentType;
        if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
        if (req.drop) delete headers[Object.keys(headers).find((k) => k.toLowerCase() === req.drop)!];
        const r = await h.app.inject({
          method: req.method as 'GET',
          url: req.url,
          headers,
          payload: text || undefined,
        });
        n++;
        seen.set(r.statusCode, (seen.get(r.statusCode) ?? 0) + 1);
        expect(r.statusCode, `${req.method} ${req.url} ${text.slice(0, 200)} → ${r.body}`).to.be.within(400, 499);
        const b = r.json();
        expect(b.code).to.match(/^[A-Z_]+$/);
        expect(r.body).not.to.match(/\bat .*\.js:\d+/); // no stack
      }),
      { numRuns: 1200, seed: Number(process.env.FUZZ_SEED ?? 20261128) },
    );
    expect(n).to.be.at.least(1200);
    expect(await h.ledger.height()).to.equal(before.height);
    expect(await totals()).to.deep.equal(before.totals);
    console.log('      statuses:', Object.fromEntries([...seen].sort()));
  });
});
