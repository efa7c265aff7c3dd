/** A LedgerClient stand-in for executor tests: scripted events, recorded submits, injectable failures. */
import { EventEmitter } from 'node:events';
import type { EventEnvelope } from '../../chaincode/core/context';
import { LedgerError } from '../../chaincode/lib/errors';
import type { LedgerCall, LedgerClient, LedgerEvent, LedgerHealth, SubmitResult } from '../../ledger/types';

export class FakeLedger implements LedgerClient {
  readonly engine = 'embedded' as const;
  readonly log: LedgerEvent[] = [];
  readonly submits: Array<{ fn: string; args: string[] }> = [];
  /** fn → errors to throw on the next calls. */
  readonly failNext = new Map<string, LedgerError[]>();
  accounts: Record<string, { bank: string }> = {};
  private readonly bus = new EventEmitter();

  emitEnvelope(events: EventEnvelope['events']): void {
    const n = this.log.length;
    this.log.push({
      blockNumber: n + 1,
      txIndex: 0,
      txId: `tx${n}`,
      envelope: { txId: `tx${n}`, time: new Date().toISOString(), events },
    });
    this.bus.emit('ev');
  }

  submit({ fn, args }: LedgerCall): Promise<SubmitResult> {
    const failure = this.failNext.get(fn)?.shift();
    if (failure) return Promise.reject(failure);
    this.submits.push({ fn, args });
    return Promise.resolve({ txId: `s${this.submits.length}`, blockNumber: 0, result: '{}' });
  }

  evaluate({ fn, args }: LedgerCall): Promise<string> {
    if (fn === 'Money:getAccount') {
      const a = this.accounts[args[0]];
      if (!a) return Promise.reject(new LedgerError('ACCOUNT_NOT_FOUND', 'no account', 'account', 404));
      return Promise.resolve(JSON.stringify(a));
    }
    if (fn === 'Supervision:getInstruction')
      return Promise.reject(new LedgerError('INSTRUCTION_NOT_FOUND', 'not in the fake', 'instructionId', 404));
    return Promise.reject(new LedgerError('NOT_IMPLEMENTED', fn));
  }

  async *events(fromBlock: number, signal?: AbortSignal): AsyncIterable<LedgerEvent> {
    let i = this.log.findIndex((e) => e.blockNumber >= fromBlock);
    if (i < 0) i = this.log.length;
    while (!signal?.aborted) {
      if (i < this.log.length) {
        yield this.log[i++];
        continue;
      }
      await new Promise<void>((r) => {
        const done = (): void => {
          this.bus.off('ev', done);
          signal?.removeEventListener('abort', done);
          r();
        };
        this.bus.on('ev', done);
        signal?.addEventListener('abort', done);
      });
    }
  }

  height(): Promise<number> {
    return Promise.resolve(this.log.length + 1);
  }
  block(): never {
    throw new Error('not in the fake');
  }
  transaction(): never {
    throw new Error('not in the fake');
  }
  health(): Promise<LedgerHealth> {
    return Promise.resolve({ ready: true, components: [] });
  }
  close(): Promise<void> {
    this.bus.emit('ev');
    return Promise.resolve();
  }
}
