import { createHash } from 'node:crypto';
import type { WitnessBlock, WitnessSource } from '../../ledger/evm/witness';

/**
 * A hash-chained ledger in memory, as the witness sees one: each block's hash covers its previous
 * hash and its content, so editing a block and "re-signing" changes every later hash too.
 */
export class FakeSource implements WitnessSource {
  private readonly contents: string[] = [];
  private readonly blocks: WitnessBlock[] = [];

  height(): Promise<number> {
    return Promise.resolve(this.blocks.length);
  }

  block(n: number): Promise<WitnessBlock> {
    const block = this.blocks[n];
    return block ? Promise.resolve({ ...block }) : Promise.reject(new Error(`no block ${n}`));
  }

  /** Commits `count` new blocks; returns the newest height. */
  append(count = 1): number {
    for (let i = 0; i < count; i++) this.contents.push(`tx-${this.contents.length}`);
    this.rehashFrom(this.blocks.length);
    return this.blocks.length - 1;
  }

  /** Edits block `height`'s content and re-hashes it and every later block (an operator re-signing the chain). */
  editAndResign(height: number): void {
    this.contents[height] += ' (edited)';
    this.rehashFrom(height);
  }

  private rehashFrom(start: number): void {
    for (let n = start; n < this.contents.length; n++) {
      const previous = n === 0 ? '' : this.blocks[n - 1].hash;
      const hash = createHash('sha256').update(`${previous}|${n}|${this.contents[n]}`).digest('hex');
      this.blocks[n] = { number: n, hash, time: this.blocks[n]?.time ?? new Date().toISOString() };
    }
  }
}
