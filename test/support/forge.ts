/**
 * What an operator holding the node key can do to the embedded ledger behind everyone's back:
 * edit a block's write set, make state and history agree, re-hash and re-sign it.
 */
import path from 'node:path';
import { expect } from 'chai';
import { Level } from 'level';
import { sign, sm3 } from '../../chaincode/lib/gm';
import type { Block, BlockBody } from '../../network/embedded/block';
import * as layout from '../../network/embedded/keys';
import { loadNodeKey, nodeKeyIn } from '../../network/embedded/store';

type Db = Level<string, Buffer>;

export async function withDb(engineDir: string, f: (db: Db) => Promise<void>): Promise<void> {
  const db = new Level<string, Buffer>(path.join(engineDir, 'ledger'), { valueEncoding: 'buffer' });
  await db.open();
  try {
    await f(db);
  } finally {
    await db.close();
  }
}

export const stored = (raw: Buffer): [string, string, BlockBody] => {
  const [header, signature, body] = raw.toString('utf8').split('\n');
  return [header, signature, JSON.parse(body) as BlockBody];
};

/**
 * The operator's forgery: in the last block, the transfer credits `credited` with 999,999 instead of
 * 2,500 fen; state and history are made to agree; the block is re-hashed and re-signed.
 */
export async function forgeLastBlock(engineDir: string, credited: string): Promise<number> {
  const nodeKey = loadNodeKey(nodeKeyIn(engineDir), false);
  let forged = -1;
  await withDb(engineDir, async (db) => {
    const height = Number((await db.get(layout.HEIGHT)).toString());
    const n = height - 1;
    const [header, , body] = stored(await db.get(layout.blockKey(n)));
    const i = body.txs.findIndex((t) => t.fn === 'Money:transfer');
    expect(i, 'the last block holds the transfer').to.be.greaterThanOrEqual(0);
    const tx = body.txs[i];
    const write = tx.writes.find(([k]) => k === `acct~${credited}`)!;
    const account = JSON.parse(Buffer.from(write[1]!, 'base64').toString('utf8')) as { balance: string };
    expect(account.balance).to.equal('2500');
    write[1] = Buffer.from(JSON.stringify({ ...account, balance: '999999' })).toString('base64');
    const bodyJson = JSON.stringify(body);
    const headerJson = JSON.stringify({ ...(JSON.parse(header) as Block['header']), dataHash: sm3(bodyJson) });
    const signature = sign(nodeKey.privateKey, sm3(headerJson), nodeKey.publicKey);
    await db.put(layout.blockKey(n), Buffer.from(`${headerJson}\n${signature}\n${bodyJson}`));
    const value = Buffer.from(write[1], 'base64');
    await db.put(layout.stateKey(write[0]), layout.encodeState({ block: n, tx: i }, value));
    const history = { txId: tx.txId, ts: tx.timestamp, del: false, v: write[1] };
    await db.put(layout.histKey(write[0], n, i), Buffer.from(JSON.stringify(history)));
    forged = n;
  });
  return forged;
}
