/**
 * The transaction context every Lianjian contract shares: the caller as a registered member,
 * the deterministic transaction time, and the domain events collected during the transaction.
 * Fabric allows one event per transaction, so `afterTransaction` emits them as one envelope.
 */
import '../logging';
import { Context, Contract } from 'fabric-contract-api';
import { forbidden } from '../lib/errors';
import { sm3 } from '../lib/gm';
import { getJson, key } from './state';

export const ROLES = ['regulator', 'bank', 'enterprise', 'merchant', 'consumer', 'auditor', 'oracle', 'court'] as const;
export type Role = (typeof ROLES)[number];

export interface Member {
  handle: string; // `${mspId}:${name}`, the name other records use
  mspId: string;
  x509Id: string;
  name: string;
  roles: Role[];
  publicKey?: string; // SM2, for attestations and co-signatures
  registeredTx: string;
}

export interface DomainEvent {
  type: string;
  accounts?: string[];
  [k: string]: unknown;
}

export interface EventEnvelope {
  txId: string;
  time: string;
  events: DomainEvent[];
}

export const EVENT_NAME = 'lianjian';

export class LianjianContext extends Context {
  events: DomainEvent[] = [];
  private member?: Member | null;

  emit(event: DomainEvent): void {
    this.events.push(event);
  }

  /** Transaction time from the proposal header: identical on every endorser. */
  time(): Date {
    const ts = this.stub.getTxTimestamp();
    const seconds = typeof ts.seconds === 'number' ? ts.seconds : Number(ts.seconds.toString());
    return new Date(seconds * 1000 + Math.floor(ts.nanos / 1e6));
  }

  /** The caller's registered member record, or undefined when not registered. */
  async caller(): Promise<Member | undefined> {
    if (this.member === undefined) {
      this.member =
        (await getJson<Member>(this, memberKey(this.clientIdentity.getMSPID(), this.clientIdentity.getID()))) ?? null;
    }
    return this.member ?? undefined;
  }

  /** The caller, who must hold one of `roles`. */
  async requireRole(...roles: Role[]): Promise<Member> {
    const m = await this.caller();
    if (!m) throw forbidden(`caller ${this.clientIdentity.getMSPID()} is not a registered member`, 'NOT_REGISTERED');
    if (!roles.some((r) => m.roles.includes(r))) {
      throw forbidden(
        `this action needs the role ${roles.join(' or ')}; caller ${m.handle} has ${m.roles.join(', ') || 'none'}`,
        'ROLE_REQUIRED',
      );
    }
    return m;
  }

  /** Org admins (certificate OU=admin, Fabric NodeOUs) govern their org's members. */
  isOrgAdmin(): boolean {
    const subject = this.clientIdentity.getID().split('::')[1] ?? '';
    return /\/OU=admin(\/|$)/.test(subject);
  }
}

export const memberKey = (mspId: string, x509Id: string): string => key('member', mspId, sm3(x509Id));

/** Base class: fabric-contract-api contract with the shared context and event envelope. */
export class LianjianContract extends Contract {
  override createContext(): LianjianContext {
    return new LianjianContext();
  }

  override async afterTransaction(ctx: Context): Promise<void> {
    const c = ctx as LianjianContext;
    if (c.events.length === 0) return;
    const envelope: EventEnvelope = { txId: c.stub.getTxID(), time: c.time().toISOString(), events: c.events };
    c.stub.setEvent(EVENT_NAME, Buffer.from(JSON.stringify(envelope)));
  }
}
