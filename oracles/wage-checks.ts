/**
 * Month-end wage checks, scheduled inside the service (欠薪预警 without anyone remembering):
 * for every wage program the bank's oracle may read (Supervision:wagePrograms), every month from
 * the program's first month to the last one that has ended is checked on chain
 * (Supervision:checkWages). The chain decides paid / not due / missing and raises WAGES_MISSING
 * once per (program, month); a month settled for good (paid, missing, before the program) is
 * remembered in the books' meta store and not asked again. Runs at start and then on a timer.
 */
import { signCall } from '../ledger/intents';
import { chinaMonth } from '../chaincode/supervision/rules';
import type { MemberKey, LedgerClient } from '../ledger/types';
import type { Books } from './books/types';

interface WageProgram {
  program: string;
  firstMonth: string;
}

export interface WageCheckResult {
  program: string;
  month: string;
  status: 'paid' | 'not_due' | 'before_program' | 'missing';
  alert?: number;
}

export interface WageCheckOptions {
  ledger: LedgerClient;
  oracle: MemberKey;
  books: Books;
  /** Default WAGE_CHECK_INTERVAL_MS or one hour. */
  intervalMs?: number;
  /** The clock months are counted by (tests move it with the chain's). */
  now?: () => number;
}

/** The months from `first` up to, but not including, `current` ('YYYY-MM'). */
export function monthsBetween(first: string, current: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number);
  for (let month = first; month < current; month = `${y}-${String(m).padStart(2, '0')}`) {
    out.push(month);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return out;
}

const FINAL = new Set<WageCheckResult['status']>(['paid', 'missing', 'before_program']);

export class WageChecks {
  private timer?: NodeJS.Timeout;
  private running?: Promise<WageCheckResult[]>;

  constructor(private readonly o: WageCheckOptions) {}

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  /** Checks every due month of every wage program once; returns what the chain answered. */
  async runOnce(): Promise<WageCheckResult[]> {
    const programs = JSON.parse(
      await this.o.ledger.evaluate(signCall(this.o.oracle, { fn: 'Supervision:wagePrograms', args: [] })),
    ) as WageProgram[];
    const current = chinaMonth(this.now());
    const out: WageCheckResult[] = [];
    for (const p of programs) {
      for (const month of monthsBetween(p.firstMonth, current)) {
        const k = `wage-check/${p.program}/${month}`;
        if (await this.o.books.getMeta(k)) continue;
        const r = JSON.parse(
          (
            await this.o.ledger.submit(
              signCall(this.o.oracle, { fn: 'Supervision:checkWages', args: [p.program, month] }),
            )
          ).result,
        ) as WageCheckResult;
        out.push(r);
        if (FINAL.has(r.status)) await this.o.books.putMeta(k, r);
      }
    }
    return out;
  }

  /** Runs now and every `intervalMs`, never overlapping; `onError` hears failed runs. */
  start(onError: (err: unknown) => void = () => undefined): void {
    if (this.timer) return;
    const tick = (): void => {
      if (this.running) return;
      this.running = this.runOnce().finally(() => (this.running = undefined));
      this.running.catch(onError);
    };
    this.timer = setInterval(tick, this.o.intervalMs ?? 60 * 60_000);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}
