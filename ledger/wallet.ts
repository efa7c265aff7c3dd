/**
 * Key files: one JSON file per member key at <dir>/<mspId>/<name>.json (mode 0600, folders 0700).
 * A member's wallet lives where the member is (its own machine: `lianjian identity create`,
 * the demo's client folder); the service's wallet holds only the service's own identities
 * (its oracles). Nothing here ever sends a private key anywhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { MemberKey } from './types';

/** A key id: `mspId:name`, the on-chain member handle. */
export const KEY_ID_RE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class Wallet {
  private readonly cache = new Map<string, MemberKey>();
  constructor(readonly dir: string) {}

  /**
   * The file of a key id.
   * @throws Error when `keyId` is not `mspId:name`
   */
  fileOf(keyId: string): string {
    if (!KEY_ID_RE.test(keyId)) throw new Error(`bad key id ${keyId}`);
    const [mspId, name] = keyId.split(':');
    return path.join(this.dir, mspId, `${name}.json`);
  }

  /** The key for a key id, or undefined. Reads the file once. */
  get(keyId: string): MemberKey | undefined {
    if (!KEY_ID_RE.test(keyId)) return undefined;
    const hit = this.cache.get(keyId);
    if (hit) return hit;
    try {
      const key = JSON.parse(fs.readFileSync(this.fileOf(keyId), 'utf8')) as MemberKey;
      if (key.keyId !== keyId) return undefined;
      this.cache.set(keyId, key);
      return key;
    } catch {
      return undefined;
    }
  }

  /** Writes a key file atomically (0600, in 0700 folders); returns its path. */
  put(key: MemberKey): string {
    const file = this.fileOf(key.keyId);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.chmodSync(this.dir, 0o700);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(key, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, file); // atomic: a reader never sees half a key file
    this.cache.set(key.keyId, key);
    return file;
  }

  remove(keyId: string): void {
    this.cache.delete(keyId);
    fs.rmSync(this.fileOf(keyId), { force: true });
  }

  /** Every key id in the wallet. */
  list(): string[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs.readdirSync(this.dir).flatMap((msp) =>
      fs.statSync(path.join(this.dir, msp)).isDirectory()
        ? fs
            .readdirSync(path.join(this.dir, msp))
            .filter((f) => f.endsWith('.json'))
            .map((f) => `${msp}:${f.slice(0, -5)}`)
        : [],
    );
  }
}

/** The service's own identities (its oracles) in `<dataDir>/service`. */
export const openServiceWallet = (dataDir: string): Wallet => new Wallet(path.join(dataDir, 'service'));
