/**
 * SM2 verification in a small worker_threads pool: verify (~1 ms in JS) is the bottleneck of the
 * gateway (members' request signatures) and of the embedded engine (their intents), so it runs
 * off the event loop, spread over the cores. Requests are batched per event-loop turn to keep
 * message-passing overhead low. Size 0 verifies inline. Not for chaincode on a Fabric peer.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { countSm2, verify } from './sm2';

/** Jobs a worker holds at most; beyond, they wait in the pool (where urgent ones go first). */
const WORKER_QUEUE = 16;

/** Urgent: work already admitted (a transaction being executed) goes before new arrivals. */
export type Urgency = 'urgent' | 'normal';

interface Job {
  pub: string;
  msg: string;
  sig: string;
  done: (ok: boolean) => void;
}

export class VerifierPool {
  private readonly workers: { w: Worker; busy: number; jobs: Map<number, Job[]> }[] = [];
  private readonly pending: Job[] = [];
  private readonly urgent: Job[] = [];
  private scheduled = false;
  private seq = 0;
  /** Recent wall time one verification takes on a worker (ms, moving average). */
  private perJobMs = 1;

  constructor(size = availableParallelism()) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(path.join(__dirname, 'pool-worker.js'));
      const slot = { w, busy: 0, jobs: new Map<number, Job[]>() };
      w.on('message', (m: { id: number; ok: boolean[]; ms: number }) => {
        const jobs = slot.jobs.get(m.id)!;
        this.perJobMs = this.perJobMs * 0.9 + (m.ms / jobs.length) * 0.1;
        slot.jobs.delete(m.id);
        slot.busy -= jobs.length;
        if (slot.busy === 0) w.unref(); // idle workers must not keep the process alive
        jobs.forEach((j, k) => j.done(m.ok[k]));
        if (this.urgent.length || this.pending.length) this.schedule();
      });
      w.on('error', (err) => {
        // A dead worker fails its jobs closed (signature rejected), never open.
        for (const jobs of slot.jobs.values()) jobs.forEach((j) => j.done(false));
        slot.jobs.clear();
        process.emitWarning(`verifier worker failed: ${err.message}`);
      });
      w.unref();
      this.workers.push(slot);
    }
  }

  /** How long a verification asked for now would wait for a worker (ms, estimated): for admission. */
  expectedWaitMs(): number {
    if (this.workers.length === 0) return 0;
    const backlog = this.urgent.length + this.pending.length + this.workers.reduce((sum, s) => sum + s.busy, 0);
    return (backlog * this.perJobMs) / this.workers.length;
  }

  /** Verifies a DER hex SM2 signature of `msg` (hex digest or text); false on any malformed input. */
  verify(pub: string, msg: string, sig: string, urgency: Urgency = 'normal'): Promise<boolean> {
    if (this.workers.length === 0) return Promise.resolve(verify(pub, msg, sig));
    countSm2('verify');
    return new Promise((done) => {
      (urgency === 'urgent' ? this.urgent : this.pending).push({ pub, msg, sig, done });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * Hands waiting jobs to workers, urgent ones first, each worker holding at most WORKER_QUEUE:
   * the rest wait here, where later urgent jobs can still pass them.
   */
  private flush(): void {
    this.scheduled = false;
    // Key affinity: a worker precomputes a key's table (~20 ms) on reuse, so send each key to one
    // worker; spill to the least busy one when the affine worker is full.
    const n = this.workers.length;
    const batches: Job[][] = this.workers.map(() => []);
    const room = (i: number): boolean => this.workers[i].busy + batches[i].length < WORKER_QUEUE;
    for (const queue of [this.urgent, this.pending]) {
      let taken = 0;
      for (const j of queue) {
        let i = parseInt(j.pub.slice(-6), 16) % n || 0;
        if (!room(i)) {
          i = batches.reduce(
            (best, _, k) =>
              this.workers[k].busy + batches[k].length < this.workers[best].busy + batches[best].length ? k : best,
            0,
          );
          if (!room(i)) break;
        }
        batches[i].push(j);
        taken++;
      }
      queue.splice(0, taken);
    }
    batches.forEach((part, i) => {
      if (part.length === 0) return;
      const slot = this.workers[i];
      const id = ++this.seq;
      slot.busy += part.length;
      slot.w.ref();
      slot.jobs.set(id, part);
      slot.w.postMessage({ id, items: part.map((j) => [j.pub, j.msg, j.sig]) });
    });
  }

  /** Stops the workers (pending verifications fail closed). */
  async close(): Promise<void> {
    for (const j of [...this.urgent.splice(0), ...this.pending.splice(0)]) j.done(false);
    await Promise.all(this.workers.map((s) => s.w.terminate()));
    this.workers.length = 0;
  }
}

let shared: VerifierPool | undefined;

/**
 * The process's shared pool (one thread per core), created on first use; its idle workers never
 * keep the process alive. The gateway and the embedded engine in one process use it together.
 */
export function sharedVerifierPool(): VerifierPool {
  shared ??= new VerifierPool();
  return shared;
}
