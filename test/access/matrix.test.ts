/**
 * The access matrix: every identity of three orgs (and an anonymous caller) × every operation of
 * /openapi.json, against Org1's data with a second bank's org present (test/access/world.ts).
 * - a party reads what it is party to (2xx);
 * - a non-party is refused (401/403/404), or — where a route answers everyone with their own
 *   share — sees nothing of Org1's;
 * - a non-party gets the same status and code whether the id it names exists or not, unless it
 *   reads what the write names (a reader is refused, and may be told why);
 * Writes are sent only as non-parties (a party's write would change the data under the matrix),
 * destructive ones last. Any violation fails the test.
 */
import { expect } from 'chai';
import { ApiError, LianjianClient } from '../../gateway/sdk';
import { Context, Request, RouteCase, routeCases } from './routes';
import { buildWorld, Who, World } from './world';

interface Answer {
  status: number;
  code?: string;
  body: unknown;
}

interface Violation {
  kind: 'party-refused' | 'non-party-allowed' | 'non-party-sees' | 'non-party-answer' | 'existence-leak';
  route: string;
  who: string;
  detail: string;
}

const ANONYMOUS: Who = { handle: '(anonymous)', mspId: '', roles: [], admin: false };
/** What needs no signature: everything else answers an anonymous caller 401. */
const PUBLIC = ['GET /healthz', 'GET /readyz', 'GET /v1/gateway-key'];
/** Writes that would change what later requests see if they wrongly succeeded: run last. */
const LAST = /\/(freeze|unfreeze|suspend|resume|close|revoke|refund-all|refunds|withdraw|activate)$/;

async function streamAnswer(w: World, who: Who, url: string): Promise<Answer> {
  const client = new LianjianClient({
    baseUrl: await w.h.baseUrl(),
    tls: w.h.tls,
    ...(who === ANONYMOUS ? {} : { identity: w.h.id(who.handle) }),
  });
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 700);
  const events: unknown[] = [];
  try {
    for await (const m of client.stream(url, { signal: ac.signal })) events.push(JSON.parse(m.data));
    return { status: 200, body: events };
  } catch (err) {
    if (err instanceof ApiError) return { status: err.status, code: err.code, body: undefined };
    throw err;
  } finally {
    clearTimeout(timer);
    client.close();
  }
}

async function answer(w: World, who: Who, method: string, req: Request, stream?: boolean): Promise<Answer> {
  if (stream) return streamAnswer(w, who, req.url);
  const res = await w.call(who === ANONYMOUS ? undefined : who.handle, method, req.url, req.body);
  let body: unknown = res.body;
  try {
    body = res.json();
  } catch {
    /* not JSON */
  }
  const code = (body as { code?: unknown } | undefined)?.code;
  const out = { status: res.statusCode, ...(typeof code === 'string' ? { code } : {}), body };
  if (out.status === 400 && out.code === 'VALIDATION_ERROR')
    throw new Error(`the matrix sends an invalid request ${method} ${req.url}: ${JSON.stringify(body)}`);
  return out;
}

const refused = (a: Answer): boolean => a.status === 401 || a.status === 403 || a.status === 404;
const ok = (a: Answer): boolean => a.status >= 200 && a.status < 300;
const said = (a: Answer): string => `${a.status}${a.code ? ` ${a.code}` : ''}`;

async function check(w: World, route: string, c: RouteCase, who: Who): Promise<Violation[]> {
  const method = route.split(' ')[0];
  const v = (kind: Violation['kind'], detail: string): Violation => ({ kind, route, who: who.handle, detail });
  const party = who === ANONYMOUS ? PUBLIC.includes(route) : c.parties(who);
  if (party) {
    if (method !== 'GET') return [];
    const a = await answer(w, who, method, c.real(who), c.stream);
    return ok(a) ? [] : [v('party-refused', said(a))];
  }
  const real = await answer(w, who, method, c.real(who), c.stream);
  if (c.readers?.(who)) return ok(real) ? [v('non-party-allowed', said(real))] : [];
  const found: Violation[] = [];
  if (ok(real)) {
    const shown = c.view?.(who, real.body);
    if (!c.view) found.push(v('non-party-allowed', said(real)));
    else if (shown) found.push(v('non-party-sees', shown));
  } else if (!refused(real)) found.push(v('non-party-answer', said(real)));
  if (c.missing) {
    const missing = await answer(w, who, method, c.missing(who), c.stream);
    if (said(missing) !== said(real))
      found.push(v('existence-leak', `Org1's id: ${said(real)}, a missing id: ${said(missing)}`));
  }
  return found;
}

const keyOf = (x: Violation): string => `${x.kind} ${x.route} ${x.who}`;

describe('access: role × org × route matrix (Org1 data, Org3MSP a second bank)', function () {
  this.timeout(900_000);
  let w: World;
  let cases: Record<string, RouteCase>;
  let operations: string[];

  before(async () => {
    w = await buildWorld();
    let n = 0;
    const context: Context = { ids: w.ids, fresh: (p) => `${p}-${++n}`, key: (handle) => w.h.id(handle) };
    cases = routeCases(context);
    const spec = (await w.call(undefined, 'GET', '/openapi.json')).json<{ paths: Record<string, object> }>();
    operations = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
  });
  after(async () => w?.h.close());

  it('has a party rule for every operation the API documents (and none for operations it does not)', () => {
    expect(operations.length).to.be.greaterThan(100);
    expect(
      operations.filter((op) => !cases[op]),
      'routes without an access rule in test/access/routes.ts',
    ).to.deep.equal([]);
    expect(
      Object.keys(cases).filter((op) => !operations.includes(op)),
      'rules for routes that are gone',
    ).to.deep.equal([]);
    expect(w.who.map((x) => x.handle)).to.include.members(['Org3MSP:bank2', 'Org3MSP:oracle2', 'Org3MSP:ent4']);
  });

  it('finds no violation', async () => {
    const order = [...operations].sort((a, b) => rank(a) - rank(b));
    const found: Violation[] = [];
    let requests = 0;
    for (const op of order)
      for (const who of [...w.who, ANONYMOUS]) {
        found.push(...(await check(w, op, cases[op], who)));
        requests++;
      }
    console.log(`      ${operations.length} operations × ${w.who.length + 1} callers (${requests} checks)`);
    expect(found.map((x) => `${keyOf(x)}: ${x.detail}`)).to.deep.equal([]);
  });
});

/** Reads first, then writes, the writes that would change later answers last. */
function rank(op: string): number {
  if (op.startsWith('GET ')) return 0;
  return LAST.test(op) ? 2 : 1;
}
