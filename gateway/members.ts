/**
 * The gateway's view of the member registry: public keys, roles and status read from the chain
 * (Identity:getMember, a public read), kept for at most `ttlMs` so a revocation is refused
 * everywhere within that time (and by the chaincode at once). No private key is involved.
 */
import type { Member } from '../chaincode/core/context';
import { LedgerError } from '../ledger/errors';
import type { LedgerClient } from '../ledger/types';

interface Cached {
  member?: Member;
  at: number;
  pending?: Promise<Member | undefined>;
}

export class MemberDirectory {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly ledger: LedgerClient,
    private readonly ttlMs = 1000,
    private readonly maxEntries = 100_000,
  ) {}

  /**
   * The member registered as `handle`, or undefined when there is none.
   * @throws LedgerError 503 when the registry cannot be read
   */
  async get(handle: string, now = Date.now()): Promise<Member | undefined> {
    const hit = this.cache.get(handle);
    if (hit && now - hit.at < this.ttlMs) return hit.member;
    if (hit?.pending) return hit.pending;
    const entry: Cached = hit ?? { at: 0 };
    entry.pending = this.read(handle).finally(() => (entry.pending = undefined));
    if (!hit) {
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(handle, entry);
    }
    const member = await entry.pending;
    entry.member = member;
    entry.at = Date.now();
    return member;
  }

  /** Forgets `handle` now (the gateway saw it change). */
  forget(handle: string): void {
    this.cache.delete(handle);
  }

  private async read(handle: string): Promise<Member | undefined> {
    try {
      const org = handle.split(':')[0];
      return JSON.parse(await this.ledger.evaluate({ fn: 'Identity:getMember', args: [handle], org })) as Member;
    } catch (err) {
      if (err instanceof LedgerError && err.status === 404) return undefined;
      throw err;
    }
  }
}
