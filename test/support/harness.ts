/**
 * A ledger for scenario tests: the embedded engine with the demo orgs and members bootstrapped
 * exactly as `npm start` does, plus short helpers. Tests speak only LedgerClient, so the same
 * scenarios can run on another engine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { mirrorMessage } from '../../chaincode/core/money';
import { LedgerError } from '../../chaincode/lib/errors';
import { sign } from '../../chaincode/lib/gm';
import { bootstrap } from '../../gateway/bootstrap';
import { EmbeddedLedger } from '../../ledger/embedded/index';
import { FabricLedger } from '../../ledger/fabric/index';
import { ensureMemberKey, NewMember, registerMember } from '../../ledger/identities';
import { signCall } from '../../ledger/intents';
import type { LedgerClient, MemberKey } from '../../ledger/types';
import { Wallet } from '../../ledger/wallet';
import { fabricTestWallets, onFabric } from './fabric';
import { addSecondBank, ORG3, ORG3_MEMBERS } from './second-bank';

/** Demo member names (Org1MSP: bank side; Org2MSP: regulator side; Org3MSP: a second bank). */
export type Who =
  | 'bank2'
  | 'oracle2'
  | 'ent4'
  | 'consumer3'
  | 'bank1'
  | 'oracle1'
  | 'ent1'
  | 'ent2'
  | 'merchant1'
  | 'consumer1'
  | 'regulator1'
  | 'auditor1'
  | 'court1'
  | 'Org1MSP:admin'
  | 'Org2MSP:admin';

const ORG2 = new Set(['regulator1', 'auditor1', 'court1']);
const ORG3_NAMES = new Set<string>(ORG3_MEMBERS.map((m) => m.name));
const orgOf = (who: string): string => (ORG2.has(who) ? 'Org2MSP' : ORG3_NAMES.has(who) ? ORG3 : 'Org1MSP');
export const handleOf = (who: string): string => (who.includes(':') ? who : `${orgOf(who)}:${who}`);

export class Harness {
  private seq = 0;
  private constructor(
    readonly ledger: LedgerClient,
    /** The demo members' own keys (their client side). */
    readonly wallet: Wallet,
    /** The service identities' keys (the bank's oracle). */
    readonly serviceWallet: Wallet,
    readonly dataDir: string,
  ) {}

  static async create(): Promise<Harness> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianjian-test-'));
    // LEDGER=fabric: the live network of `npm run fabric:up`, with the chain's own demo wallets.
    const wallets = onFabric()
      ? fabricTestWallets()
      : { clients: path.join(dataDir, 'clients'), service: path.join(dataDir, 'service') };
    const ledger = onFabric()
      ? await FabricLedger.open({ dataDir })
      : await EmbeddedLedger.open(path.join(dataDir, 'ledger'), { blockTimeoutMs: 2, syncWrites: false });
    const wallet = new Wallet(wallets.clients);
    const serviceWallet = new Wallet(wallets.service);
    await bootstrap({ ledger, demoWallet: wallet, serviceWallet });
    await addSecondBank(ledger, wallet);
    return new Harness(ledger, wallet, serviceWallet, dataDir);
  }

  /** The member's own key. */
  id(who: string): MemberKey {
    const handle = handleOf(who);
    const key = this.wallet.get(handle) ?? this.serviceWallet.get(handle);
    if (!key) throw new Error(`no key for ${who}`);
    return key;
  }

  /** Makes a member's key and has its org's admin register it (a replay changes nothing). */
  async register(member: NewMember): Promise<MemberKey> {
    const admin = this.id(`${member.mspId}:admin`);
    const { key } = ensureMemberKey(this.wallet, member);
    await registerMember(this.ledger, { admin, member, publicKey: key.sm2.publicKey });
    return key;
  }

  /** Submits as `who`, signed with its own key; returns the parsed chaincode result. */
  async submit<T = any>(who: string, fn: string, ...args: string[]): Promise<T> {
    return JSON.parse((await this.ledger.submit(signCall(this.id(who), { fn, args }))).result) as T;
  }

  async evaluate<T = any>(who: string, fn: string, ...args: string[]): Promise<T> {
    return JSON.parse(await this.ledger.evaluate(signCall(this.id(who), { fn, args }))) as T;
  }

  /** Expects the submission to be refused with `code`; returns the error. Checks nothing was committed. */
  async fails(code: string, who: string, fn: string, ...args: string[]): Promise<LedgerError> {
    const height = await this.ledger.height();
    try {
      await this.ledger.submit(signCall(this.id(who), { fn, args }));
    } catch (e) {
      expect(e, String(e)).to.be.instanceOf(LedgerError);
      expect((e as LedgerError).code, (e as LedgerError).detail).to.equal(code);
      expect(await this.ledger.height(), 'a refused transaction must not be committed').to.equal(height);
      return e as LedgerError;
    }
    throw new Error(`${fn} by ${who} should have failed with ${code}`);
  }

  /**
   * True when the engine lets tests choose the transaction time (embedded: yes). On Fabric the
   * time is the client's clock in the proposal header, which fabric-gateway sets itself: tests
   * that move the clock run on embedded only, and say so with this condition.
   */
  get canSetTime(): boolean {
    return this.ledger instanceof EmbeddedLedger;
  }

  /** Sets the transaction time of later proposals (as a client's clock does on Fabric). */
  setTime(t: Date | string | number): void {
    if (!(this.ledger instanceof EmbeddedLedger)) throw new Error('this engine does not let tests set the time');
    const ms = new Date(t).getTime();
    this.ledger.now = () => ms;
  }

  /** A fresh business id for tests. */
  uid(prefix = 'x'): string {
    return `${prefix}-${Date.now().toString(36)}-${++this.seq}`;
  }

  /** `bank` (default bank1) opens an account for `owner`, with the holder's name (户名, '' = the member name). */
  async openAccount(id: string, owner: string, kind = 'settlement', bank = 'bank1', holderName = ''): Promise<void> {
    await this.submit(bank, 'Money:openAccount', id, kind, handleOf(owner), `off-${id}`, holderName);
  }

  /** The oracle of the account's bank (oracle1 of Org1MSP, oracle2 of Org3MSP) signs a mirror. */
  private attest(
    oracleName: string,
    m: { kind: 'deposit' | 'withdrawal'; account: string; offTxId: string; amount: string; color: string },
  ): string {
    const oracle = this.id(oracleName);
    const color = m.kind === 'deposit' ? m.color || `dep:${m.account}` : '';
    return sign(
      oracle.sm2.privateKey,
      mirrorMessage({
        kind: m.kind,
        bank: oracle.mspId,
        account: m.account,
        offTxId: m.offTxId,
        amount: m.amount,
        color,
      }),
      oracle.sm2.publicKey,
    );
  }

  /** The oracle (default oracle1) mirrors an off-chain deposit, signed as the chaincode requires. */
  async deposit(
    account: string,
    amount: bigint | string,
    offTxId = this.uid('dep'),
    color = '',
    oracle = 'oracle1',
  ): Promise<any> {
    const amt = amount.toString();
    const att = this.attest(oracle, { kind: 'deposit', account, offTxId, amount: amt, color });
    return this.submit(oracle, 'Money:mirrorDeposit', account, amt, offTxId, color, att);
  }

  async withdraw(account: string, amount: bigint | string, offTxId = this.uid('wd'), oracle = 'oracle1'): Promise<any> {
    const amt = amount.toString();
    const att = this.attest(oracle, { kind: 'withdrawal', account, offTxId, amount: amt, color: '' });
    return this.submit(oracle, 'Money:mirrorWithdrawal', account, amt, offTxId, att);
  }

  async balance(account: string): Promise<bigint> {
    return BigInt((await this.evaluate('auditor1', 'Money:balance', account)).total);
  }

  /** Asserts sum(balances) == deposits - withdrawals over the whole ledger. */
  async expectConserved(): Promise<void> {
    const t = await this.evaluate('auditor1', 'Money:totals');
    expect(t.conserved, JSON.stringify(t)).to.equal(true);
  }

  async close(): Promise<void> {
    await this.ledger.close();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
