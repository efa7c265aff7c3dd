/**
 * The Lianjian events of committed blocks from `fromBlock` on, history then live. Blocks come
 * from a peer's deliver service; a fabric-gateway checkpointer remembers the last block handed
 * over, so when a peer or an orderer restarts the stream resumes at the next block (from the
 * same peer when it is back, or from another org's peer meanwhile): no gap, no duplicate.
 */
import { checkpointers, CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import type { common } from '@hyperledger/fabric-protos';
import type { LedgerEvent } from '../types';
import { decodeBlock, eventsOf } from './blocks';
import type { OrgConnection } from './connections';
import { backoffMs, sleep } from './errors';

export interface EventStreamOptions {
  /** Peers to read from, preferred first. */
  connections: OrgConnection[];
  fromBlock: number;
  signal?: AbortSignal;
}

export async function* committedEvents(options: EventStreamOptions): AsyncGenerator<LedgerEvent> {
  const { connections, fromBlock, signal } = options;
  const checkpoint = checkpointers.inMemory();
  let failures = 0;
  for (let peer = 0; !signal?.aborted;) {
    let blocks: CloseableAsyncIterable<common.Block> | undefined;
    const close = (): void => blocks?.close();
    signal?.addEventListener('abort', close, { once: true });
    try {
      blocks = await connections[peer].channel().getBlockEvents({ startBlock: BigInt(fromBlock), checkpoint });
      if (signal?.aborted) return; // aborted while connecting: the listener had nothing to close yet
      for await (const block of blocks) {
        failures = 0;
        yield* eventsOf(decodeBlock(block));
        await checkpoint.checkpointBlock(BigInt(block.getHeader()!.getNumber()));
      }
    } catch {
      if (signal?.aborted) return;
      failures++;
      peer = (peer + 1) % connections.length;
      await sleep(failures > connections.length ? 250 + backoffMs(failures, 100, 3000) : 50);
    } finally {
      signal?.removeEventListener('abort', close);
      blocks?.close();
    }
  }
}
