/**
 * verify-chain: re-hashes every block, checks the node's header signatures and every creator's
 * proposal signature and certificate, re-checks MVCC verdicts against replayed versions,
 * rebuilds state from valid write sets and compares it with the stored state.
 */
import * as path from 'node:path';
import { sm3 } from '../../chaincode/lib/gm';
import { checkBlockIntegrity, decodeBlock, GENESIS_PREVIOUS_HASH } from './block';
import { Db } from './commit';
import { loadNodeKey, openDb } from './store';
import { Identities } from './identity';
import * as K from './keys';
import { canonical } from './proposal';
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
  const state = new Map<string, { version: string; value: string }>();
  let prev = GENESIS_PREVIOUS_HASH;
  let lastReport = Date.now();
  try {
    for (let n = 0; n < height; n++) {
      const raw = (await db.get(K.blockKey(n)))?.toString('utf8');
      if (raw === undefined) return bad(n, 'block is missing');
      const why = checkBlockIntegrity(raw, n, prev, nodePublicKey);
      if (why) return bad(n, why);
      const block = decodeBlock(raw);
      const sigChecks: Promise<boolean>[] = [];
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
        if (!t.signature) return bad(n, `tx ${i}: proposal is unsigned`);
        const digest = sm3(
          canonical({
            channel: t.channel,
            fn: t.fn,
            args: t.args,
            transientHash: t.transientHash,
            mspId: t.creator.mspId,
            certPem,
            nonce: t.nonce,
            timestamp: t.timestamp,
          }),
        );
        sigChecks.push(pool.verify(ids.check({ mspId: t.creator.mspId, certPem }).publicKey, digest, t.signature));
        // Re-judge MVCC with replayed versions (phantom checks are trusted as recorded).
        const readsOk = t.reads.every(([k, v]) => (state.get(k)?.version ?? '') === v);
        if (t.code === 'VALID' && !readsOk) return bad(n, `tx ${i}: marked VALID but its reads are stale`);
        if (t.code === 'MVCC_READ_CONFLICT' && readsOk)
          return bad(n, `tx ${i}: marked MVCC_READ_CONFLICT but its reads are current`);
        if (t.code !== 'VALID') continue;
        for (const [k, v] of t.writes) {
          if (v === null) state.delete(k);
          else state.set(k, { version: `${n}:${i}`, value: v });
        }
      }
      const sigs = await Promise.all(sigChecks);
      const badSig = sigs.indexOf(false);
      if (badSig >= 0) return bad(n, `tx ${badSig}: proposal signature is invalid`);
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
