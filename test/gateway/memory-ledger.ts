/**
 * A tiny in-memory LedgerClient for unit tests of flow control and signing that must not depend
 * on a ledger: the member registry is a map, every other call goes to a handler the test controls.
 */
import type { Member } from '../../chaincode/core/context';
import { generateKeyPair } from '../../chaincode/lib/gm';
import { LedgerError } from '../../ledger/errors';
import type { LedgerCall, LedgerClient, LedgerEvent, LedgerHealth, MemberKey, SubmitResult } from '../../ledger/types';
import { Wallet } from '../../ledger/wallet';

export type Handler = (fn: string, args: string[], call: LedgerCall) => Promise<string>;

export class MemoryLedger implements LedgerClient {
  readonly engine = 'embedded' as const;
  calls: Array<{ fn: string; args: string[] }> = [];
  readonly members = new Map<string, Member>();
  private blocks = 0;
  constructor(public handler: Handler = () => Promise.resolve('{}')) {}

  async submit(call: LedgerCall): Promise<SubmitResult> {
    this.calls.push({ fn: call.fn, args: call.args });
    const result = await this.handler(call.fn, call.args, call);
    return { txId: `tx${++this.blocks}`, blockNumber: this.blocks, result };
  }

  async evaluate(call: LedgerCall): Promise<string> {
    if (call.fn === 'Identity:getMember') {
      const member = this.members.get(call.args[0]);
      if (!member) throw new LedgerError('MEMBER_NOT_FOUND', `no member ${call.args[0]}`, 'handle', 404);
      return JSON.stringify(member);
    }
    this.calls.push({ fn: call.fn, args: call.args });
    return this.handler(call.fn, call.args, call);
  }

  /** The signer's member record as JSON: what Identity:whoami answers. */
  callerRecord(call: LedgerCall): string {
    const member = call.intent ? this.members.get(call.intent.signer) : undefined;
    if (!member) throw new LedgerError('MEMBER_NOT_FOUND', 'no signed caller', 'X-LJ-Key', 404);
    return JSON.stringify(member);
  }

  async *events(): AsyncIterable<LedgerEvent> {}
  height(): Promise<number> {
    return Promise.resolve(this.blocks);
  }
  block(): Promise<never> {
    return Promise.reject(new Error('no blocks'));
  }
  transaction(): Promise<never> {
    return Promise.reject(new Error('no transactions'));
  }
  health(): Promise<LedgerHealth> {
    return Promise.resolve({ ready: true, components: [] });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** A member with `roles`: its key in the test client's `wallet`, its public record in `ledger`. */
export function fakeIdentity(
  ledger: MemoryLedger,
  wallet: Wallet,
  member: { mspId: string; name: string; roles: string[] },
): MemberKey {
  const key: MemberKey = {
    keyId: `${member.mspId}:${member.name}`,
    mspId: member.mspId,
    name: member.name,
    sm2: generateKeyPair(),
  };
  ledger.members.set(key.keyId, {
    handle: key.keyId,
    mspId: member.mspId,
    name: member.name,
    roles: member.roles as Member['roles'],
    publicKey: key.sm2.publicKey,
    admin: false,
    status: 'active',
    registeredTx: 'test',
  });
  wallet.put(key);
  return key;
}
