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
import { LedgerError } from '../errors';

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
  freezes?: Array<{ order: string; by: string }>;
  balance: string;
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
}

interface RawShare {
  source: string;
  amount: bigint;
}

export class MoneyCoreReads {
  private readonly queries: Record<string, Query> = {
    'Money:getAccount': ([id]) => this.account(id),
    'Money:balance': ([id]) => this.balance(id),
    'Money:history': ([id, afterSeq, limit]) => this.history(id, afterSeq, limit),
    'Money:getTransfer': ([id]) => this.transfer(id),
    'Trace:backward': ([account]) => this.backward(account),
    'Trace:forward': ([bank, offTxId]) => this.forward(bank, offTxId),
  };

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
      return { ...(await this.mirror(account.bank, args[2])), bank: account.bank, offTxId: args[2] };
    }
    if (fn === 'Identity:registerMember') return { name: args[0], publicKey: args[2] };
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
    const freezes = await Promise.all(orders.map(async (o) => ({ order: o.order, by: await this.handleOf(o.by) })));
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
    };
  }

  private async handleOf(address: string): Promise<string> {
    const m = await this.call<{ org: string; name: string }>('memberOf', address);
    return `${m.org}:${m.name}`;
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
    const entries = logs
      .map((log) => ({ log, args: this.core.interface.parseLog(log)!.args }))
      .filter(({ args }) => Number(args.seq) > after)
      .slice(0, n + 1)
      .map(({ log, args }) => ({
        seq: Number(args.seq),
        txId: log.transactionHash,
        kind: args.kind as string,
        amount: (args.amount as bigint).toString(),
        balance: (args.balance as bigint).toString(),
        counterparty: args.counterparty as string,
        ref: args.ref as string,
        ...(args.color ? { color: args.color as string } : {}),
      }));
    const items = entries.slice(0, n);
    return { items, nextAfterSeq: entries.length > n ? items[items.length - 1].seq : undefined };
  }

  async transfer(transferId: string): Promise<unknown> {
    requireId(transferId, 'id');
    const [t, by] = await this.call<
      [{ by: string; from: string; to: string; amount: bigint; purpose: string; ref: string }, string]
    >('transferOf', transferId);
    if (BigInt(t.by) === 0n) throw new LedgerError('TRANSFER_NOT_FOUND', `no transfer ${transferId}`, 'id', 404);
    return { id: transferId, from: t.from, to: t.to, amount: t.amount.toString(), purpose: t.purpose, ref: t.ref, by };
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
