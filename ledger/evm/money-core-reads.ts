/**
 * MoneyCore.sol read back in the chaincode's shapes (Money:getAccount, balance, history,
 * getTransfer; Trace:backward and forward), so the gateway and the differential test compare
 * like with like. Amounts come from the contract's own lots and provenance; the trace paths the
 * chaincode draws over its flow edges are not kept on EVM (`paths` is empty).
 * Reads are not scoped here: an EVM chain's state is readable by every node that holds it.
 */
import { id, type Contract } from 'ethers';
import { ACCOUNT_KINDS } from '../../chaincode/core/account';
import { requireId, requireInt } from '../../chaincode/lib/validate';
import type { Member, Role } from '../../chaincode/core/member';
import { LedgerError } from '../errors';
import { EVM_ROLES, registeredAddress } from './money-core-calls';

const STATUSES = ['', 'active', 'frozen', 'closed'];

interface AccountView {
  id: string;
  kind: string;
  owner: string;
  holderName: string;
  holderOrg: string;
  bank: string;
  offChainRef: string;
  status: string;
  freezes?: Freeze[];
  balance: string;
  /** Not kept on EVM (lots have no sequence counter): 0. */
  lotSeq: number;
  histSeq: number;
  /** Not kept on EVM (an account's opening is found by its AccountOpened event): ''. */
  openedTx: string;
}

/** A freeze order in the chaincode's shape; reason and time are not kept on EVM (''). */
interface Freeze {
  order: string;
  by: string;
  authority: 'court' | 'regulator';
  reason: string;
  since: string;
  txId: string;
}

/** Where a write shows in an account's history: its transaction and block time. */
interface Committed {
  txId: string;
  time: string;
}

type Query = (args: string[]) => Promise<unknown>;

interface RawAccount {
  id: string;
  owner: string;
  holderName: string;
  bank: string;
  offChainRef: string;
  kind: bigint;
  status: bigint;
  histSeq: bigint;
}

interface RawShare {
  source: string;
  amount: bigint;
}

/** A member record as the chaincode answers it (the account address is the adapter's own business). */
function withoutAddress(member: Member & { address: string }): Member {
  const { address: _address, ...rest } = member;
  return rest;
}

export class MoneyCoreReads {
  private readonly queries: Record<string, Query> = {
    'Money:getAccount': ([id]) => this.account(id),
    'Money:balance': ([id]) => this.balance(id),
    'Money:history': ([id, afterSeq, limit]) => this.history(id, afterSeq, limit),
    'Money:getTransfer': ([id]) => this.transfer(id),
    'Trace:backward': ([account]) => this.backward(account),
    'Trace:forward': ([bank, offTxId]) => this.forward(bank, offTxId),
    'Identity:getMember': async ([handle]) => withoutAddress(await this.member(handle)),
  };

  /** Block times by number (blocks do not change). */
  private readonly blockTimes = new Map<number, string>();

  constructor(private readonly core: Contract) {}

  /** The MoneyCore contract read here. */
  get contract(): Contract {
    return this.core;
  }

  /** The read behind a chaincode query function, if the EVM ledger has it. */
  query(fn: string): Query | undefined {
    return Object.hasOwn(this.queries, fn) ? this.queries[fn] : undefined;
  }

  /** What a write answers once committed: the record it made or touched. */
  async resultOf(fn: string, args: string[]): Promise<unknown> {
    if (fn === 'Money:transfer') return this.transfer(args[0]);
    if (fn === 'Money:mirrorDeposit' || fn === 'Money:mirrorWithdrawal') {
      const account = await this.account(args[0]);
      const mirror = await this.mirror(account.bank, args[2]);
      const at = await this.committed(args[0], (e) => e.kind === mirror.kind && e.ref === args[2]);
      return { ...mirror, bank: account.bank, offTxId: args[2], txId: at.txId, legs: [] };
    }
    if (fn === 'Identity:registerMember') return this.memberAt(registeredAddress(args[2]));
    if (fn === 'Identity:registerOrg') return this.member(`${args[0]}:${args[3]}`);
    return this.account(args[0]);
  }

  private async call<T>(fn: string, ...args: unknown[]): Promise<T> {
    return (await this.core.getFunction(fn).staticCall(...args)) as T;
  }

  /**
   * @throws LedgerError 404 ACCOUNT_NOT_FOUND
   */
  async account(accountId: string): Promise<AccountView> {
    requireId(accountId, 'id');
    const [raw, owner, balance, orders] = await this.call<
      [RawAccount, string, bigint, Array<{ order: string; by: string }>]
    >('accountOf', accountId);
    if (Number(raw.status) === 0) throw new LedgerError('ACCOUNT_NOT_FOUND', `no account ${accountId}`, 'id', 404);
    const freezes = await Promise.all(orders.map(async (o) => this.freeze(o)));
    return {
      id: raw.id,
      kind: ACCOUNT_KINDS[Number(raw.kind)],
      owner,
      holderName: raw.holderName,
      holderOrg: owner.split(':')[0],
      bank: raw.bank,
      offChainRef: raw.offChainRef,
      status: STATUSES[Number(raw.status)],
      ...(freezes.length ? { freezes } : {}),
      balance: balance.toString(),
      lotSeq: 0,
      histSeq: Number(raw.histSeq),
      openedTx: '',
    };
  }

  private async freeze(o: { order: string; by: string }): Promise<Freeze> {
    const by = await this.memberAt(o.by);
    const authority = by.roles.includes('court') ? 'court' : 'regulator';
    return { order: o.order, by: by.handle, authority, reason: '', since: '', txId: '' };
  }

  /**
   * The registry entry of `handle` in the chaincode's shape, with its account address.
   * @throws LedgerError 404 MEMBER_NOT_FOUND
   */
  async member(handle: string | undefined): Promise<Member & { address: string }> {
    const address = await this.call<string>('accountOfHandle', handle ?? '');
    if (BigInt(address) === 0n) throw new LedgerError('MEMBER_NOT_FOUND', `no member ${handle}`, 'handle', 404);
    return this.memberAt(address);
  }

  /** The registry entry of the account `address` (registered). */
  private async memberAt(address: string): Promise<Member & { address: string }> {
    const [m, publicKey] = await Promise.all([
      this.call<{ org: string; name: string; roles: bigint; admin: boolean }>('memberOf', address),
      this.call<string>('publicKeyOf', address),
    ]);
    const roles = EVM_ROLES.filter((_, bit) => (m.roles >> BigInt(bit)) & 1n) as Role[];
    return {
      handle: `${m.org}:${m.name}`,
      mspId: m.org,
      name: m.name,
      roles,
      publicKey,
      admin: m.admin,
      status: 'active',
      registeredTx: '',
      address,
    };
  }

  async balance(accountId: string): Promise<unknown> {
    const a = await this.account(accountId);
    const [colors, amounts] = await this.call<[string[], bigint[]]>('lotsOf', a.id);
    return {
      account: a.id,
      holderName: a.holderName,
      holderOrg: a.holderOrg,
      status: a.status,
      total: a.balance,
      byColor: colors.map((color, i) => ({ color, amount: amounts[i].toString(), lot: `${a.id}/${color}` })),
    };
  }

  /** History from the contract's History events, newest last, keyset-paged by sequence number like the chaincode. */
  async history(accountId: string, afterSeq = '', limit = ''): Promise<unknown> {
    const a = await this.account(accountId);
    const after = requireInt(afterSeq || '0', 'afterSeq');
    const n = requireInt(limit || '50', 'limit', 1, 500);
    const logs = await this.core.queryFilter(this.core.filters.History(id(a.id)));
    const page = logs
      .map((log) => ({ log, args: this.core.interface.parseLog(log)!.args }))
      .filter(({ args }) => Number(args.seq) > after)
      .slice(0, n + 1);
    const entries = await Promise.all(
      page.map(async ({ log, args }) => ({
        seq: Number(args.seq),
        txId: log.transactionHash,
        time: await this.timeOf(log.blockNumber),
        kind: args.kind as string,
        amount: (args.amount as bigint).toString(),
        balance: (args.balance as bigint).toString(),
        counterparty: args.counterparty as string,
        ref: args.ref as string,
        ...(args.color ? { color: args.color as string } : {}),
      })),
    );
    const items = entries.slice(0, n);
    return { items, nextAfterSeq: entries.length > n ? items[items.length - 1].seq : undefined };
  }

  async transfer(transferId: string): Promise<unknown> {
    requireId(transferId, 'id');
    const [t, by] = await this.call<
      [{ by: string; from: string; to: string; amount: bigint; purpose: string; ref: string }, string]
    >('transferOf', transferId);
    if (BigInt(t.by) === 0n) throw new LedgerError('TRANSFER_NOT_FOUND', `no transfer ${transferId}`, 'id', 404);
    const shown = t.ref || transferId;
    const at = await this.committed(
      t.from,
      (e) => e.kind === 'transfer_out' && e.ref === shown && e.counterparty === t.to,
    );
    const amount = t.amount.toString();
    // legs by colour are not kept on EVM (the lots moved are: see the balances and traces)
    return { id: transferId, from: t.from, to: t.to, amount, purpose: t.purpose, ref: t.ref, legs: [], ...at, by };
  }

  /** The transaction and time of the newest history entry of `account` that `match` picks. */
  private async committed(
    account: string,
    match: (entry: { kind: string; ref: string; counterparty: string }) => boolean,
  ): Promise<Committed> {
    const logs = await this.core.queryFilter(this.core.filters.History(id(account)));
    const hit = logs.reverse().find((log) => {
      const args = this.core.interface.parseLog(log)!.args;
      return match({ kind: args.kind as string, ref: args.ref as string, counterparty: args.counterparty as string });
    });
    if (!hit) return { txId: '', time: '' };
    return { txId: hit.transactionHash, time: await this.timeOf(hit.blockNumber) };
  }

  /** The ISO time of block `n`. */
  private async timeOf(n: number): Promise<string> {
    const known = this.blockTimes.get(n);
    if (known) return known;
    const block = await this.core.runner!.provider!.getBlock(n);
    const time = new Date((block?.timestamp ?? 0) * 1000).toISOString();
    this.blockTimes.set(n, time);
    return time;
  }

  private async mirror(
    bank: string,
    offTxId: string,
  ): Promise<{ kind: string; account: string; amount: string; color: string }> {
    const m = await this.call<{ kind: bigint; account: string; amount: bigint; color: string }>(
      'mirrorOf',
      bank,
      offTxId,
    );
    return {
      kind: ['', 'deposit', 'withdrawal'][Number(m.kind)],
      account: m.account,
      amount: m.amount.toString(),
      color: m.color,
    };
  }

  /** Where the money now in `account` came from, by deposit: lots FIFO, sources in byte order (chaincode order). */
  async backward(account: string): Promise<unknown> {
    const a = await this.account(account);
    const [colors] = await this.call<[string[], bigint[]]>('lotsOf', a.id);
    const bySource = new Map<string, bigint>();
    for (const color of colors)
      for (const share of await this.call<RawShare[]>('sourcesOf', `${a.id}/${color}`))
        bySource.set(share.source, (bySource.get(share.source) ?? 0n) + share.amount);
    return {
      account: a.id,
      holderName: a.holderName,
      holderOrg: a.holderOrg,
      amount: a.balance,
      bySource: [...bySource].map(([deposit, amount]) => ({ deposit, amount: amount.toString() })),
      paths: [],
      names: {},
    };
  }

  /**
   * Where a mirrored deposit went: by holder (lots) and withdrawal (sinks).
   * @throws LedgerError 404 DEPOSIT_NOT_FOUND
   */
  async forward(bank: string, offTxId: string): Promise<unknown> {
    requireId(bank, 'bank');
    requireId(offTxId, 'offTxId');
    const m = await this.mirror(bank, offTxId);
    if (m.kind !== 'deposit')
      throw new LedgerError('DEPOSIT_NOT_FOUND', `no mirrored deposit ${offTxId} at ${bank}`, 'offTxId', 404);
    const source = `deposit:${bank}:${offTxId}`;
    const holders = await this.call<RawShare[]>('holdersOf', source);
    const lots = holders.filter((h) => h.source.includes('/'));
    const sinks = holders.filter((h) => !h.source.includes('/'));
    return {
      deposit: source,
      account: m.account,
      amount: m.amount,
      complete: true,
      byHolder: lots.map((h) => ({
        account: h.source.slice(0, h.source.indexOf('/')),
        lot: h.source,
        amount: h.amount.toString(),
      })),
      withdrawals: sinks.map((h) => ({ sink: h.source, amount: h.amount.toString() })),
      paths: [],
      names: {},
    };
  }
}
