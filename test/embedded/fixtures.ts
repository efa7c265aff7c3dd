/** Test contract and identities for the embedded engine tests (the real chaincode is the lead's). */
import { Context, Contract, Info, Transaction } from 'fabric-contract-api';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateKeyPair } from '../../chaincode/lib/gm';
import { createCa, issueCertificate, OrgCa } from '../../network/embedded/ca';
import { EmbeddedEngine, EngineOptions, newNonce } from '../../network/embedded/engine';
import { INTENT_TRANSIENT } from '../../chaincode/core/intent';
import { signCall } from '../../ledger/intents';
import { Proposal } from '../../network/embedded/proposal';
import { conflict } from '../../chaincode/lib/errors';

@Info({ title: 'TestBank', description: 'accounts with 4 reads + 4 writes per transfer' })
export class TestBank extends Contract {
  constructor() {
    super('TestBank');
  }

  @Transaction()
  async open(ctx: Context, id: string, balance: string): Promise<string> {
    await ctx.stub.putState(ctx.stub.createCompositeKey('acct', [id]), Buffer.from(balance));
    ctx.stub.setEvent('lianjian', Buffer.from(JSON.stringify({ type: 'opened', id })));
    return ctx.clientIdentity.getID();
  }

  /** Like a money transfer: reads 2 balances + 2 counters, writes both balances, a movement and a counter. */
  @Transaction()
  async transfer(ctx: Context, from: string, to: string, amount: string, ref: string): Promise<string> {
    const s = ctx.stub;
    const fk = s.createCompositeKey('acct', [from]);
    const tk = s.createCompositeKey('acct', [to]);
    const [fb, tb, seq, dup] = await Promise.all([
      s.getState(fk),
      s.getState(tk),
      s.getState('seq~' + from),
      s.getState('ref~' + ref),
    ]);
    if (dup.length) throw conflict(`ref ${ref} already used`, 'DUPLICATE_REF', 'ref');
    const a = BigInt(amount);
    const f = BigInt(fb.toString() || '0');
    if (f < a) throw conflict('insufficient funds', 'INSUFFICIENT_FUNDS', 'amount');
    await s.putState(fk, Buffer.from(String(f - a)));
    await s.putState(tk, Buffer.from(String(BigInt(tb.toString() || '0') + a)));
    await s.putState('ref~' + ref, Buffer.from(ctx.stub.getTxID()));
    await s.putState('seq~' + from, Buffer.from(String(Number(seq.toString() || '0') + 1)));
    s.setEvent('lianjian', Buffer.from(JSON.stringify({ type: 'transferred', from, to, amount, ref })));
    return JSON.stringify({ from, to, amount });
  }

  @Transaction(false)
  async balance(ctx: Context, id: string): Promise<string> {
    return (await ctx.stub.getState(ctx.stub.createCompositeKey('acct', [id]))).toString();
  }

  @Transaction(false)
  async list(ctx: Context, pageSize: string, bookmark: string): Promise<string> {
    const { iterator, metadata } = await ctx.stub.getStateByPartialCompositeKeyWithPagination(
      'acct',
      [],
      Number(pageSize),
      bookmark,
    );
    const ids: string[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next())
      ids.push(ctx.stub.splitCompositeKey(r.value.key).attributes[0]);
    return JSON.stringify({ ids, bookmark: metadata.bookmark, count: metadata.fetchedRecordsCount });
  }

  @Transaction(false)
  async all(ctx: Context): Promise<string> {
    const out: string[] = [];
    for await (const r of ctx.stub.getStateByPartialCompositeKey('acct', []))
      out.push(`${ctx.stub.splitCompositeKey(r.key).attributes[0]}=${Buffer.from(r.value).toString()}`);
    return out.join(',');
  }

  @Transaction(false)
  async history(ctx: Context, id: string): Promise<string> {
    const out: { txId: string; value: string; isDelete: boolean }[] = [];
    for await (const h of ctx.stub.getHistoryForKey(ctx.stub.createCompositeKey('acct', [id]))) {
      out.push({ txId: h.txId, value: Buffer.from(h.value).toString(), isDelete: h.isDelete });
    }
    return JSON.stringify(out);
  }

  /** Counts accounts and writes the count: a range read checked for phantoms at commit. */
  @Transaction()
  async census(ctx: Context): Promise<string> {
    let n = 0;
    for await (const _ of ctx.stub.getStateByPartialCompositeKey('acct', [])) n++;
    await ctx.stub.putState('census', Buffer.from(String(n)));
    return String(n);
  }

  @Transaction()
  async close(ctx: Context, id: string): Promise<void> {
    await ctx.stub.deleteState(ctx.stub.createCompositeKey('acct', [id]));
  }

  @Transaction(false)
  whoami(ctx: Context): Promise<string> {
    const ts = ctx.stub.getTxTimestamp();
    const answer = JSON.stringify({
      id: ctx.clientIdentity.getID(),
      msp: ctx.clientIdentity.getMSPID(),
      tx: ctx.stub.getTxID(),
      secs: Number(ts.seconds),
      date: ctx.stub.getDateTimestamp().getTime(),
      transient: Buffer.from(ctx.stub.getTransient().get('secret') ?? '').toString(),
      channel: ctx.stub.getChannelID(),
      fp: ctx.stub.getFunctionAndParameters(),
    });
    return Promise.resolve(answer);
  }
}

export interface Client {
  mspId: string;
  certPem: string;
  privateKey: string;
  publicKey: string;
}

export function makeClient(ca: OrgCa, name: string, ou = 'client'): Client {
  const kp = generateKeyPair();
  return { mspId: ca.org, certPem: issueCertificate(ca, { name, ou, publicKey: kp.publicKey }), ...kp };
}

/** A proposal submitted with `c`'s certificate (no member intent: for contracts that need none). */
export function proposal(c: Client, fn: string, args: string[], extra: Partial<Proposal> = {}): Proposal {
  return {
    fn,
    args,
    creator: { mspId: c.mspId, certPem: c.certPem },
    nonce: newNonce(),
    timestamp: Date.now(),
    ...extra,
  };
}

/**
 * A proposal carrying the member `handle`'s own signed intent (the client's SM2 key is the
 * member's key), submitted with `c`'s certificate as its org's service credential.
 */
export function memberProposal(c: Client, handle: string, fn: string, args: string[]): Proposal {
  const [mspId, name] = handle.split(':');
  const call = signCall(
    { keyId: handle, mspId, name, sm2: { privateKey: c.privateKey, publicKey: c.publicKey } },
    { fn, args },
  );
  return proposal(c, fn, args, { transient: { [INTENT_TRANSIENT]: JSON.stringify(call.intent) } });
}

export const tmpDir = (tag: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `lj-${tag}-`));

/** An engine with TestBank deployed and Org1MSP's CA, in a fresh data dir; `alice` is a client of it. */
export interface TestEngine {
  engine: EmbeddedEngine;
  ca: OrgCa;
  dataDir: string;
  alice: Client;
}

export async function openTestEngine(extra: Partial<EngineOptions> = {}): Promise<TestEngine> {
  const dataDir = extra.dataDir ?? tmpDir('eng');
  const engine = await EmbeddedEngine.open({
    dataDir,
    contracts: [TestBank],
    blockTimeoutMs: 5,
    verifierThreads: 1,
    syncWrites: false,
    ...extra,
  });
  const ca = createCa('Org1MSP');
  await engine.addOrg(ca);
  return { engine, ca, dataDir, alice: makeClient(ca, 'alice') };
}
