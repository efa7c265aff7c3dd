import { expect } from 'chai';
import * as schemas from '../../gateway/schemas';
import { contractViolations } from '../support/contract';
import { Harness, startGateway } from './helpers';

interface Media {
  schema?: { $ref?: string };
}
interface Operation {
  operationId?: string;
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, { content?: Record<string, Media> }>;
}
interface Component {
  type?: string;
  additionalProperties?: unknown;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Component> };
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);
const PREFIX = '#/components/schemas/';

/** The component a media type's schema names, or why it names none. */
function named(doc: OpenApi, media: Media | undefined): string {
  const ref = media?.schema?.$ref;
  if (!ref?.startsWith(PREFIX)) return `not a named schema: ${JSON.stringify(media?.schema)}`;
  const name = ref.slice(PREFIX.length);
  if (!doc.components.schemas[name]) return `names a missing component ${name}`;
  if (doc.components.schemas[name].additionalProperties === true) return `${name} allows any property`;
  return '';
}

/** The API contract as /openapi.json publishes it: named schemas for every request and answer. */
describe('gateway: the API contract (/openapi.json)', function () {
  this.timeout(60_000);
  let h: Harness;
  let doc: OpenApi;
  before(async () => {
    h = await startGateway('contract');
    // A route whose answer drifted from its schema: one field more than it names (the serializer would
    // drop it silently; a required field missing already makes the serializer fail).
    h.app.get(
      '/v1/test/drift',
      {
        config: { public: true },
        schema: { hide: true, response: schemas.responses(schemas.ref(schemas.core.Totals)) },
      },
      () =>
        Promise.resolve({
          accounts: 1,
          balances: '0',
          deposits: '0',
          withdrawals: '0',
          conserved: true,
          surprise: 'dropped by the serializer',
        }),
    );
    const res = await h.call(undefined, 'GET', '/openapi.json');
    doc = res.json<OpenApi>();
  });
  after(() => h.close());

  it('names the request body and the success answer of every operation in components.schemas', () => {
    const problems: string[] = [];
    let operations = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.has(method)) continue;
        operations++;
        const where = `${method.toUpperCase()} ${path}`;
        const success = Object.entries(op.responses ?? {}).filter(([status]) => status.startsWith('2'));
        if (success.length === 0) problems.push(`${where}: no success response`);
        for (const [status, response] of success) {
          const problem = named(doc, response.content?.['application/json']);
          if (problem) problems.push(`${where} ${status}: ${problem}`);
        }
        for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
          const problem = named(doc, media);
          if (problem) problems.push(`${where} body ${type}: ${problem}`);
        }
        if (method === 'post' && !op.requestBody) problems.push(`${where}: a write without a request body schema`);
      }
    }
    expect(problems).to.deep.equal([]);
    expect(operations).to.be.greaterThan(100);
  });

  it('documents errors as the one Error shape', () => {
    const error = doc.components.schemas.Error as { required?: string[] };
    expect(error.required).to.include.members(['code', 'message']);
    const refs = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).flatMap((op) =>
        Object.entries(op.responses ?? {}).filter(([s]) => s === '4XX' || s === '4xx'),
      ),
    );
    expect(refs.length).to.be.greaterThan(100);
    for (const [, response] of refs) expect(named(doc, response.content?.['application/json'])).to.equal('');
  });

  it('fails a route whose answer leaves its schema (the check every test gateway runs)', async () => {
    const before = contractViolations.length;
    const res = await h.call(undefined, 'GET', '/v1/test/drift');
    expect(res.statusCode).to.equal(500);
    const [violation] = contractViolations.slice(before);
    expect(violation).to.contain('GET /v1/test/drift 200');
    expect(violation).to.contain('must NOT have additional properties');
    expect(violation).to.contain('surprise');
    expect(res.json<{ code: string }>().code).to.equal('CONTRACT_VIOLATION');
  });
});
