/**
 * verify-chain: re-hashes every block, checks the node's header signatures and every
 * submitter's certificate, checks that every valid write carries its member's signed intent
 * (signature against the member's key as registered at that point of the chain, and the call
 * bound to what was signed), re-checks MVCC verdicts against replayed versions, rebuilds state
 * from valid write sets and compares it with the stored state.
 */
import * as path from 'node:path';
import { sm3 } from '../../chaincode/lib/gm';
import { checkBlockIntegrity, decodeBlock, GENESIS_PREVIOUS_HASH } from './block';
import { Db } from './commit';
import { loadNodeKey, openDb } from './store';
import { Identities } from './identity';
import * as K from './keys';
import { contracts } from '../../chaincode';
import { bindingMismatch, IntentRecord } from '../../chaincode/core/authenticate';
import type { Member } from '../../chaincode/core/context';
import { UNSIGNED_WRITES } from '../../chaincode/core/identity';
import { intentDigest } from '../../chaincode/core/intent';
import type { TxRecord } from './block';
import { VerifierPool } from './verifier';

export interface VerifyResult {
  ok: boolean;
  height: number;
  badBlock?: number;
  reason?: string;
}
type Progress = (line: string) => void;

export async function verifyLedger(
  db: Db,
  nodePublicKey: string,
  progress?: Progress,
  pool = new VerifierPool(),
): Promise<VerifyResult> {
  const height = Number(db.getSync(K.HEIGHT)?.toString() ?? '0');
  const bad = (badBlock: number, reason: string): VerifyResult => ({ ok: false, height, badBlock, reason });
  const ids = new Identities();
  for await (const [k, v] of db.iterator({ gte: K.ORG, lt: K.ORG + '\uffff' }))
    ids.addOrg(k.slice(K.ORG.length), v.toString());
  const state: ReplayedState = new Map();
  let prev = GENESIS_PREVIOUS_HASH;
  let lastReport = Date.now();
  try {
    for (let n = 0; n < height; n++) {
      const raw = (await db.get(K.blockKey(n)))?.toString('utf8');
      if (raw === undefined) return bad(n, 'block is missing');
      const why = checkBlockIntegrity(raw, n, prev, nodePublicKey);
      if (why) return bad(n, why);
      const block = decodeBlock(raw);
      const sigChecks: Array<Promise<number>> = []; // resolves to the tx index when the signature is bad, else -1
      for (const [i, t] of block.txs.entries()) {
        const certPem = block.certs[t.creator.cert];
        if (!certPem || sm3(certPem) !== t.creator.cert)
          return bad(n, `tx ${i}: creator certificate missing from block`);
        let id: string;
        try {
          id = ids.check({ mspId: t.creator.mspId, certPem }).id;
        } catch (err) {
          return bad(n, `tx ${i}: ${(err as Error).message}`);
        }
        if (id !== t.creator.id) return bad(n, `tx ${i}: creator id does not match its certificate`);
        // Re-judge MVCC with replayed versions (phantom checks are trusted as recorded).
        const readsOk = t.reads.every(([k, v]) => (state.get(k)?.version ?? '') === v);
        if (t.code === 'VALID' && !readsOk) return bad(n, `tx ${i}: marked VALID but its reads are stale`);
        if (t.code === 'MVCC_READ_CONFLICT' && readsOk)
          return bad(n, `tx ${i}: marked MVCC_READ_CONFLICT but its reads are current`);
        if (t.code !== 'VALID') continue;
        const intent = intentCheck(t, state);
        if (typeof intent === 'string') return bad(n, `tx ${i}: ${intent}`);
        if (intent)
          sigChecks.push(pool.verify(intent.publicKey, intent.digest, intent.signature).then((ok) => (ok ? -1 : i)));
        for (const [k, v] of t.writes) {
          if (v === null) state.delete(k);
          else state.set(k, { version: `${n}:${i}`, value: v });
        }
      }
      const badSig = (await Promise.all(sigChecks)).find((i) => i >= 0);
      if (badSig !== undefined) return bad(n, `tx ${badSig}: the member's intent signature is invalid`);
      prev = block.hash;
      if (progress && Date.now() - lastReport > 2000) {
        progress(`verify-chain: block ${n + 1}/${height}`);
        lastReport = Date.now();
      }
    }
    if ((await db.get(K.blockKey(height))) !== undefined) return bad(height, 'block stored beyond the recorded height');
    // Stored state must equal the replay, key for key.
    let seen = 0;
    for await (const [k, raw] of db.iterator({ gte: K.STATE, lt: 's"' })) {
      const key = k.slice(K.STATE.length);
      const d = K.decodeState(raw);
      const want = state.get(key);
      const ver = K.versionString(d.version);
      if (!want)
        return bad(d.version.block, `state key ${JSON.stringify(key)} is not produced by any valid transaction`);
      if (want.version !== ver || want.value !== d.value.toString('base64'))
        return bad(
          Number(want.version.split(':')[0]),
          `state key ${JSON.stringify(key)} differs from the replay of write sets`,
        );
      seen++;
    }
    if (seen !== state.size) {
      const stored = new Set<string>();
      for await (const k of db.keys({ gte: K.STATE, lt: 's"' })) stored.add(k.slice(K.STATE.length));
      const [key, v] = [...state].find(([k]) => !stored.has(k))!;
      return bad(Number(v.version.split(':')[0]), `state key ${JSON.stringify(key)} is missing from the stored state`);
    }
    return { ok: true, height };
  } finally {
    await pool.close();
  }
}

type ReplayedState = Map<string, { version: string; value: string }>;
/** The Lianjian chaincode's contracts: each of their writes carries a member's intent. */
const LIANJIAN_CONTRACTS = new Set(contracts.map((Contract) => new Contract().getName()));
const decode = <T>(base64: string): T => JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as T;

/**
 * The signature a valid write must carry, or why it cannot: every write has its intent record,
 * made by a member active at that point, for exactly this call (genesis registrations by an
 * org's MSP admin excepted).
 */
function intentCheck(
  t: TxRecord,
  state: ReplayedState,
): { publicKey: string; digest: string; signature: string } | string | undefined {
  const records = t.writes.filter(([k, v]) => k.startsWith('intent~') && v !== null);
  if (records.length === 0) {
    const lianjian = LIANJIAN_CONTRACTS.has(t.fn.split(':')[0]);
    if (!lianjian || t.writes.length === 0 || UNSIGNED_WRITES.includes(t.fn)) return undefined;
    return `${t.fn} wrote state without a member's signed intent`;
  }
  if (records.length > 1) return 'more than one intent record';
  const record = decode<IntentRecord>(records[0][1]!);
  if (record.fn !== t.fn || record.txId !== t.txId) return 'the intent record belongs to another transaction';
  const stored = state.get(`member~${record.intent.signer}`);
  if (!stored) return `the signer ${record.intent.signer} was not registered`;
  const member = decode<Member>(stored.value);
  if (member.status !== 'active') return `the signer ${member.handle} was revoked`;
  const why = bindingMismatch(record.intent, { fn: t.fn, args: t.args });
  if (why) return `${t.fn} is not what ${member.handle} signed: ${why}`;
  return { publicKey: member.publicKey, digest: intentDigest(record.intent), signature: record.intent.signature };
}

/** Verifies a closed ledger in `dataDir` (the engine must not be running on it). */
export async function verifyChain(dataDir: string, progress?: Progress): Promise<VerifyResult> {
  const nodeKey = loadNodeKey(dataDir, false);
  const db = openDb(dataDir);
  await db.open({ createIfMissing: false });
  try {
    return await verifyLedger(db, nodeKey.publicKey, progress);
  } finally {
    await db.close();
  }
}

/** `lianjian verify-chain [dataDir]`: prints OK height=N or BAD block=N reason=...; returns the exit code. */
export async function verifyChainCommand(args: string[]): Promise<number> {
  const dataDir = args[0] ?? path.join(process.env.LIANJIAN_DATA ?? 'data', 'ledger'); // where the gateway keeps it
  try {
    const r = await verifyChain(dataDir, (line) => process.stderr.write(line + '\n'));
    process.stdout.write(r.ok ? `OK height=${r.height}\n` : `BAD block=${r.badBlock} reason=${r.reason}\n`);
    return r.ok ? 0 : 1;
  } catch (err) {
    process.stdout.write(`BAD block=-1 reason=${(err as Error).message}\n`);
    return 1;
  }
}
