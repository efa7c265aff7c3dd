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

const SPILL = 64;

interface Job {
  pub: string;
  msg: string;
  sig: string;
  done: (ok: boolean) => void;
}

export class VerifierPool {
  private readonly workers: { w: Worker; busy: number; jobs: Map<number, Job[]> }[] = [];
  private pending: Job[] = [];
  private scheduled = false;
  private seq = 0;

  constructor(size = availableParallelism()) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(path.join(__dirname, 'pool-worker.js'));
      const slot = { w, busy: 0, jobs: new Map<number, Job[]>() };
      w.on('message', (m: { id: number; ok: boolean[] }) => {
        const jobs = slot.jobs.get(m.id)!;
        slot.jobs.delete(m.id);
        slot.busy -= jobs.length;
        if (slot.busy === 0) w.unref(); // idle workers must not keep the process alive
        jobs.forEach((j, k) => j.done(m.ok[k]));
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

  /** Verifies a DER hex SM2 signature of `msg` (hex digest or text); false on any malformed input. */
  verify(pub: string, msg: string, sig: string): Promise<boolean> {
    if (this.workers.length === 0) return Promise.resolve(verify(pub, msg, sig));
    countSm2('verify');
    return new Promise((done) => {
      this.pending.push({ pub, msg, sig, done });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const jobs = this.pending;
    this.pending = [];
    // Key affinity: a worker precomputes a key's table (~20 ms) on reuse, so send each key to one
    // worker; spill to the least busy one only when the affine worker is far behind.
    const n = this.workers.length;
    const groups: Job[][] = this.workers.map(() => []);
    for (const j of jobs) groups[parseInt(j.pub.slice(-6), 16) % n || 0].push(j);
    groups.forEach((part, i) => {
      if (part.length === 0) return;
      let slot = this.workers[i];
      const idle = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
      if (slot.busy > idle.busy + SPILL) slot = idle;
      const id = ++this.seq;
      slot.busy += part.length;
      slot.w.ref();
      slot.jobs.set(id, part);
      slot.w.postMessage({ id, items: part.map((j) => [j.pub, j.msg, j.sig]) });
    });
  }

  /** Stops the workers (pending verifications fail closed). */
  async close(): Promise<void> {
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
