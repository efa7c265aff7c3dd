/**
 * A tiny in-memory LedgerClient for unit tests of flow control and signing that must not depend
 * on a ledger: every call goes to a handler the test controls.
 */
import { generateKeyPair } from '../../chaincode/lib/gm';
import type { Identity, LedgerClient, LedgerCredentials, LedgerEvent, SubmitResult } from '../../ledger/types';
import { Wallet } from '../../ledger/wallet';

export type Handler = (fn: string, args: string[], id: Identity) => Promise<string>;

export class MemoryLedger implements LedgerClient {
  readonly engine = 'embedded' as const;
  calls: Array<{ fn: string; args: string[] }> = [];
  private blocks = 0;
  constructor(public handler: Handler = async () => '{}') {}
  async submit(id: Identity, fn: string, args: string[]): Promise<SubmitResult> {
    this.calls.push({ fn, args });
    const result = await this.handler(fn, args, id);
    return { txId: `tx${++this.blocks}`, blockNumber: this.blocks, result };
  }
  async evaluate(id: Identity, fn: string, args: string[]): Promise<string> {
    this.calls.push({ fn, args });
    return this.handler(fn, args, id);
  }
  async *events(): AsyncIterable<LedgerEvent> {}
  async height() {
    return this.blocks;
  }
  async block(): Promise<never> {
    throw new Error('no blocks');
  }
  async transaction(): Promise<never> {
    throw new Error('no transactions');
  }
  async enroll(mspId: string, _n: string, _a: boolean, sm2: { privateKey: string }): Promise<LedgerCredentials> {
    return { mspId, certPem: '', privateKey: sm2.privateKey };
  }
  async ready() {
    return true;
  }
  async close() {}
}

/** Puts a wallet identity with `roles` into `wallet` (no ledger involved). */
export function fakeIdentity(wallet: Wallet, mspId: string, name: string, roles: string[]): Identity {
  const sm2 = generateKeyPair();
  const id: Identity = {
    keyId: `${mspId}:${name}`,
    mspId,
    name,
    roles,
    admin: false,
    sm2,
    ledger: { mspId, certPem: '', privateKey: sm2.privateKey },
  };
  wallet.put(id);
  return id;
}
