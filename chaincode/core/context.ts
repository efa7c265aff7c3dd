/**
 * The transaction context every Lianjian contract shares: the caller as a registered member
 * (proved by the member's own signed intent, checked here), the deterministic transaction time,
 * and the domain events collected during the transaction. Fabric allows one event per
 * transaction, so `afterTransaction` emits them as one envelope.
 */
import '../logging';
import { Context, Contract } from 'fabric-contract-api';
import { forbidden, LedgerError } from '../lib/errors';
import { verify } from '../lib/gm';
import { authenticate, Authenticated, recordIntent, replayOf } from './authenticate';
import type { Intent } from './intent';
import type { Member, Role } from './member';

export { Member, memberKey, Role, ROLES } from './member';

export interface DomainEvent {
  type: string;
  accounts?: string[];
  [k: string]: unknown;
}

export interface EventEnvelope {
  txId: string;
  time: string;
  /** The member whose signed intent the transaction ran. */
  signer?: string;
  events: DomainEvent[];
}

export const EVENT_NAME = 'lianjian';

/** A peer may offer the chaincode its own SM2 verifier (the embedded engine: worker threads). */
interface VerifyingStub {
  verifySm2?(publicKey: string, messageHex: string, signature: string): Promise<boolean>;
}

export class LianjianContext extends Context {
  events: DomainEvent[] = [];
  /** Set by LianjianContract before the transaction function runs. */
  auth?: Authenticated;

  emit(event: DomainEvent): void {
    this.events.push(event);
  }

  /** Transaction time from the proposal header: identical on every endorser. */
  time(): Date {
    const ts = this.stub.getTxTimestamp();
    const seconds = typeof ts.seconds === 'number' ? ts.seconds : Number(ts.seconds.toString());
    return new Date(seconds * 1000 + Math.floor(ts.nanos / 1e6));
  }

  /** The member whose signed intent this transaction runs, or undefined (public reads, genesis). */
  caller(): Promise<Member | undefined> {
    return Promise.resolve(this.auth?.member);
  }

  /** The caller's signed intent, when there is one. */
  get intent(): Intent | undefined {
    return this.auth?.intent;
  }

  /**
   * The caller, who must hold one of `roles`.
   * @throws LedgerError 401 NOT_AUTHENTICATED without a signed intent, 403 ROLE_REQUIRED
   */
  async requireRole(...roles: Role[]): Promise<Member> {
    const member = await this.caller();
    if (!member) {
      throw new LedgerError('NOT_AUTHENTICATED', "this action needs the member's signed intent", 'intent', 401);
    }
    if (!roles.some((r) => member.roles.includes(r))) {
      throw forbidden(
        `this action needs the role ${roles.join(' or ')}; caller ${member.handle} has ${member.roles.join(', ') || 'none'}`,
        'ROLE_REQUIRED',
      );
    }
    return member;
  }

  /**
   * The caller, who must be an admin of its org.
   * @throws LedgerError 401 NOT_AUTHENTICATED, 403 ADMIN_REQUIRED
   */
  async requireOrgAdmin(): Promise<Member> {
    const member = await this.caller();
    if (!member) {
      throw new LedgerError('NOT_AUTHENTICATED', "this action needs the member's signed intent", 'intent', 401);
    }
    if (!member.admin) throw forbidden(`only an admin of ${member.mspId} may do this`, 'ADMIN_REQUIRED');
    return member;
  }

  /** The submitting credential is its org's MSP admin (certificate OU=admin, Fabric NodeOUs). */
  isOrgAdmin(): boolean {
    const subject = this.clientIdentity.getID().split('::')[1] ?? '';
    return /\/OU=admin(\/|$)/.test(subject);
  }

  /** SM2 verification through the peer's verifier when it offers one, else here. */
  verifySignature(publicKey: string, messageHex: string, signature: string): Promise<boolean> {
    const stub = this.stub as unknown as VerifyingStub;
    if (stub.verifySm2) return stub.verifySm2(publicKey, messageHex, signature);
    return Promise.resolve(verify(publicKey, messageHex, signature));
  }
}

/** Whether a contract method is a submit (write) transaction, from fabric-contract-api's metadata. */
function isSubmit(contract: Contract, fn: string): boolean {
  const transactions = (Reflect.getMetadata('fabric:transactions', Object.getPrototypeOf(contract) as object) ??
    []) as Array<{ name: string; tag?: string[] }>;
  return transactions.find((t) => t.name === fn)?.tag?.includes('SUBMIT') ?? false;
}

/** Base class: fabric-contract-api contract with the shared context, member intents and event envelope. */
export class LianjianContract extends Contract {
  /** Writes an org's MSP admin credential may submit without a member intent (genesis). */
  protected readonly unsignedWrites: readonly string[] = [];

  override createContext(): LianjianContext {
    return new LianjianContext();
  }

  /**
   * Checks the caller's signed intent before the transaction runs. A write replayed under the
   * same idempotency key is refused with IDEMPOTENT_REPLAY carrying the first answer (the
   * ledger adapters hand that answer back), so it never runs twice.
   */
  override async beforeTransaction(ctx: Context): Promise<void> {
    const c = ctx as LianjianContext;
    const { fcn, params } = c.stub.getFunctionAndParameters();
    const fn = fcn.slice(fcn.indexOf(':') + 1);
    const write = isSubmit(this, fn);
    c.auth = await authenticate(c, { fn: fcn, args: params, write, unsigned: this.unsignedWrites.includes(fn) });
    if (write && c.auth.intent) {
      const replay = await replayOf(c, c.auth.intent);
      if (replay) throw replay;
    }
  }

  /** Keeps a write's intent with its answer, and emits the transaction's one envelope event. */
  override async afterTransaction(ctx: Context, result: unknown): Promise<void> {
    const c = ctx as LianjianContext;
    const { fcn } = c.stub.getFunctionAndParameters();
    if (c.auth?.intent && isSubmit(this, fcn.slice(fcn.indexOf(':') + 1))) {
      await recordIntent(c, { intent: c.auth.intent, fn: fcn, result });
    }
    this.emitEnvelope(c);
  }

  private emitEnvelope(c: LianjianContext): void {
    if (c.events.length === 0) return;
    const envelope: EventEnvelope = {
      txId: c.stub.getTxID(),
      time: c.time().toISOString(),
      ...(c.auth?.member ? { signer: c.auth.member.handle } : {}),
      events: c.events,
    };
    c.stub.setEvent(EVENT_NAME, Buffer.from(JSON.stringify(envelope)));
  }
}
