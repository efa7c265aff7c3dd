/**
 * The external witness inside the service (ledger/evm/witness.ts): when EVM_RPC_URL and
 * EVM_KEY_FILE are set, the ledger's newest block hash is anchored every WITNESS_EVERY_BLOCKS
 * blocks or WITNESS_EVERY_MS ms, and each reconciliation run's root when the run finishes. It runs
 * in the background: the ledger never waits for the EVM chain, which may be down for a while.
 */
import type { Logger } from 'pino';
import { ledgerWitnessId, WitnessAnchorer, type WitnessStatus } from '../ledger/evm/witness';
import { witnessConfigFromEnv } from '../ledger/evm/witness-config';
import type { LedgerClient } from '../ledger/types';
import type { OracleService } from '../oracles/service';

/** What the routes read of the witness. */
export interface WitnessView {
  status(): WitnessStatus;
}

/** Options of {@link startWitness}. */
export interface StartWitnessOptions {
  env?: NodeJS.ProcessEnv;
  ledger: LedgerClient;
  /** Where a Witness deployed by the service is recorded. */
  dataDir: string;
  oracles: OracleService;
  logger: Logger;
}

/** Until the ledger has its genesis block (which names it on the witness), look this often. */
const GENESIS_POLL_MS = 1_000;

/**
 * Starts anchoring in the background when the environment configures a witness; undefined when
 * it does not (or the ledger is itself an EVM chain).
 * @throws Error naming the variable when the witness configuration is malformed
 */
export function startWitness(options: StartWitnessOptions): WitnessRunner | undefined {
  const config = witnessConfigFromEnv(options.env ?? process.env);
  if (!config) return undefined;
  if (options.ledger.engine === 'evm') {
    options.logger.warn('EVM_RPC_URL is set but the ledger is itself an EVM chain: no witness');
    return undefined;
  }
  const runner = new WitnessRunner(options, config);
  void runner.begin();
  return runner;
}

/** The anchorer once the ledger is named; root anchors of runs before that are dropped with a warning. */
export class WitnessRunner implements WitnessView {
  private anchorer?: WitnessAnchorer;
  private stopped = false;

  constructor(
    private readonly options: StartWitnessOptions,
    private readonly config: NonNullable<ReturnType<typeof witnessConfigFromEnv>>,
  ) {}

  /** Waits (never throwing) for the genesis block, then starts the anchorer and hooks reconciliation. */
  async begin(): Promise<void> {
    const { ledger, logger, oracles } = this.options;
    let genesis: string | undefined;
    while (!this.stopped && !genesis) {
      genesis = await ledger
        .height()
        .then(async (height) => (height > 0 ? (await ledger.block(0)).hash : undefined))
        .catch(() => undefined);
      if (!genesis) await new Promise((resolve) => setTimeout(resolve, GENESIS_POLL_MS).unref());
    }
    if (this.stopped || !genesis) return;
    const anchorer = new WitnessAnchorer({
      ...this.config,
      dataDir: this.options.dataDir,
      sourceChainId: ledgerWitnessId(genesis),
      source: ledger,
      logger: (level, message, fields) => logger[level]({ component: 'witness', ...fields }, message),
    });
    this.anchorer = anchorer;
    anchorer.start();
    oracles.onRun((run) => {
      if (!anchorer.anchorRoot(run.day, run.root))
        logger.warn({ runId: run.runId }, 'the witness did not queue the reconciliation root');
    });
    logger.info({ rpcUrl: this.config.rpcUrl }, 'witness started: anchoring block hashes and reconciliation roots');
  }

  status(): WitnessStatus {
    return (
      this.anchorer?.status() ?? {
        state: 'idle',
        sourceChain: '',
        pendingRoots: 0,
        failures: 0,
        lag: { count: 0 },
      }
    );
  }

  /** Anchors the newest block at once (so a shutdown leaves little unwitnessed); never blocks. */
  anchorNow(): void {
    this.anchorer?.anchorNow();
  }

  /** Stops anchoring; waits for a transaction in flight. */
  async close(): Promise<void> {
    this.stopped = true;
    await this.anchorer?.close();
  }
}
