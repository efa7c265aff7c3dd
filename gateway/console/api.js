// Signed requests from the browser, exactly as chaincode/core/intent.ts canonicalRequest defines
// them (docs/identity.md): X-LJ-Signature = SM2 (user id 1234567812345678, DER hex) over the
// SM3 hex of the canonical request. Fetches are relative to the page's origin (HTTP or HTTPS).
// The key lives in sessionStorage only (this tab), and never leaves the browser.

const SM = () => {
  const s = globalThis.SmCryptoV2;
  if (!s) throw new Error('SM crypto library did not load (/console/vendor/sm-crypto.js)');
  return s;
};
const STORE = 'lianjian.identity';
const KEY_ID_RE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(`${code}: ${message}`);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** Parses a wallet key file (JSON text) and checks the key pair; returns what signing needs. */
export function parseKeyFile(text) {
  let f;
  try {
    f = JSON.parse(text);
  } catch {
    throw new Error(
      'the key file is not JSON: pick your <name>.json key file (the demo keeps them in ./wallet/<mspId>/)',
    );
  }
  const priv = f?.sm2?.privateKey,
    pub = f?.sm2?.publicKey;
  if (typeof f?.keyId !== 'string' || !KEY_ID_RE.test(f.keyId)) throw new Error('keyId is missing or not mspId:name');
  if (typeof priv !== 'string' || !/^[0-9a-fA-F]{64}$/.test(priv))
    throw new Error('sm2.privateKey must be 64 hex digits');
  if (typeof pub !== 'string' || !/^04[0-9a-fA-F]{128}$/.test(pub))
    throw new Error('sm2.publicKey must be 04||x||y (130 hex digits)');
  if (SM().sm2.getPublicKeyFromPrivateKey(priv.toLowerCase()).toLowerCase() !== pub.toLowerCase()) {
    throw new Error('sm2.publicKey does not belong to sm2.privateKey');
  }
  const [mspId, name] = f.keyId.split(':');
  return {
    keyId: f.keyId,
    mspId,
    name,
    roles: Array.isArray(f.roles) ? f.roles.map(String) : [],
    sm2: { privateKey: priv.toLowerCase(), publicKey: pub.toLowerCase() },
  };
}

export function saveIdentity(id) {
  sessionStorage.setItem(STORE, JSON.stringify(id));
}
export function loadIdentity() {
  try {
    const t = sessionStorage.getItem(STORE);
    return t ? JSON.parse(t) : undefined;
  } catch {
    return undefined;
  }
}
export function signOut() {
  sessionStorage.removeItem(STORE);
}

const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** Same as gateway/signing.ts canonicalQuery: decoded, sorted by name then value, re-encoded. */
export function canonicalQuery(search) {
  const q = search.startsWith('?') ? search.slice(1) : search;
  if (!q) return '';
  const pairs = [...new URLSearchParams(q)].map(([k, v]) => [enc(k), enc(v)]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function nonceHex() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Same as chaincode/core/intent.ts canonicalRequest: the text a member signs for a REST request. */
export function canonicalRequest(r) {
  return [
    'LJ-SM2-V2',
    r.method.toUpperCase(),
    r.path,
    canonicalQuery(r.query),
    (r.contentType.split(';')[0] ?? '').trim().toLowerCase(),
    r.idempotencyKey,
    r.bodyHash,
    r.contentHash,
    r.timestamp,
    r.nonce,
    r.signer,
  ].join('\n');
}

/** Same as chaincode/core/intent.ts canonicalCall: the text a service identity signs for a ledger call. */
export const canonicalCall = (c) =>
  JSON.stringify(['LJ-SM2-CALL-V1', c.signer, c.fn, c.args, c.idempotencyKey, c.timestamp, c.nonce]);

const SM2_OPTS = { hash: true, der: true, userId: '1234567812345678' };

/**
 * The four X-LJ-* headers for one request (`target` = path?query as sent), over exactly what
 * chaincode/core/intent.ts canonicalRequest signs: the member's own key signs its intent.
 */
export function signHeaders(id, method, target, { body = '', contentType = '', idempotencyKey = '' } = {}) {
  const s = SM();
  const i = target.indexOf('?');
  const bodyHash = s.sm3(body);
  const request = {
    signer: id.keyId,
    method,
    path: i < 0 ? target : target.slice(0, i),
    query: i < 0 ? '' : target.slice(i + 1),
    contentType,
    idempotencyKey,
    bodyHash,
    contentHash: bodyHash,
    timestamp: String(Date.now()),
    nonce: nonceHex(),
  };
  const sig = s.sm2.doSignature(s.sm3(canonicalRequest(request)), id.sm2.privateKey, {
    ...SM2_OPTS,
    publicKey: id.sm2.publicKey,
  });
  return {
    'X-LJ-Key': id.keyId,
    'X-LJ-Timestamp': request.timestamp,
    'X-LJ-Nonce': request.nonce,
    'X-LJ-Signature': sig,
  };
}

/**
 * Verifies a recorded intent here in the browser: the body is the one hashed, and the SM2
 * signature over its canonical text verifies with the signer's public key.
 * @returns {{ok: boolean, bodyOk: boolean, digest: string}}
 */
export function verifyIntent(intent, publicKey) {
  const s = SM();
  const text = intent.kind === 'http' ? canonicalRequest(intent) : canonicalCall(intent);
  const digest = s.sm3(text);
  const bodyOk = intent.kind !== 'http' || s.sm3(intent.body ?? '') === intent.contentHash;
  let ok = false;
  try {
    ok = s.sm2.doVerifySignature(digest, intent.signature, publicKey, SM2_OPTS);
  } catch {
    ok = false;
  }
  return { ok: ok && bodyOk, signatureOk: ok, bodyOk, digest };
}

/** SM3 hex of a text (UTF-8), for evidence hashes and re-hashing reports in the browser. */
export const sm3 = (text) => SM().sm3(text);

function target(path, query) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query ?? {}))
    if (v !== undefined && v !== '') url.searchParams.append(k, String(v));
  return url.pathname + url.search;
}

/** A signed call; parsed JSON back, ApiError on 4xx/5xx. */
export async function api(method, path, { query, body, signal } = {}) {
  const id = loadIdentity();
  if (!id) throw new ApiError(401, 'SIGNED_OUT', 'sign in first');
  const t = target(path, query);
  const payload = body === undefined ? '' : JSON.stringify(body);
  const contentType = payload ? 'application/json' : '';
  const idempotencyKey = method === 'POST' ? crypto.randomUUID() : '';
  const send = () => {
    const headers = { ...signHeaders(id, method, t, { body: payload, contentType, idempotencyKey }) };
    if (contentType) headers['content-type'] = contentType;
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    return fetch(t, { method, headers, body: payload || undefined, signal });
  };
  let res = await send();
  // The browser may deliver one request twice (a retry on a connection the server closed): the
  // second delivery is refused as a replay. Sign it anew once; a write keeps its Idempotency-Key.
  if (res.status === 401 && /REPLAYED_NONCE/.test(res.headers.get('www-authenticate') ?? '')) res = await send();
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = text;
  }
  if (!res.ok)
    throw new ApiError(res.status, data?.code ?? `HTTP_${res.status}`, data?.message ?? String(text), data?.field);
  return data;
}

export const get = (path, query, signal) => api('GET', path, { query, signal });
/** A signed write (a fresh Idempotency-Key each call: the person clicked once). */
export const post = (path, body = {}) => api('POST', path, { body });

/**
 * Server-Sent Events over fetch + ReadableStream: EventSource cannot send the signed headers.
 * Yields {id, event, data}; ends when `signal` aborts.
 */
export async function* stream(path, query, signal) {
  const id = loadIdentity();
  if (!id) throw new ApiError(401, 'SIGNED_OUT', 'sign in first');
  const t = target(path, query);
  const res = await fetch(t, { headers: { ...signHeaders(id, 'GET', t), accept: 'text/event-stream' }, signal });
  if (res.status !== 200 || !res.body) {
    const b = await res.json().catch(() => ({}));
    throw new ApiError(res.status, b.code ?? `HTTP_${res.status}`, b.message ?? '', b.field);
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const msg = { data: '' };
        const data = [];
        for (const line of block.split('\n')) {
          if (!line || line.startsWith(':')) continue;
          const c = line.indexOf(':');
          const k = c < 0 ? line : line.slice(0, c);
          const v = c < 0 ? '' : line.slice(c + 1).replace(/^ /, '');
          if (k === 'id') msg.id = v;
          else if (k === 'event') msg.event = v;
          else if (k === 'data') data.push(v);
        }
        if (data.length) yield { ...msg, data: data.join('\n') };
      }
    }
  } catch (err) {
    if (!signal?.aborted) throw err;
  } finally {
    reader.releaseLock?.();
  }
}
