/**
 * The wallet: one JSON file per app identity at <dataDir>/wallet/<mspId>/<name>.json (mode 0600),
 * holding its SM2 request-signing key and its ledger credentials. Also the gateway's own SM2 key
 * (for application/sm4-envelope bodies) and the fabric-style client id of a certificate.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Certificate } from '@fidm/x509';
import { generateKeyPair, KeyPair } from '../chaincode/lib/gm';
import type { Identity } from './types';

/** A key id: `mspId:name`, the on-chain member handle. */
export const KEY_ID_RE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class Wallet {
  private cache = new Map<string, Identity>();
  constructor(readonly dir: string) {}

  fileOf(keyId: string): string {
    if (!KEY_ID_RE.test(keyId)) throw new Error(`bad key id ${keyId}`);
    const [mspId, name] = keyId.split(':');
    return path.join(this.dir, mspId, `${name}.json`);
  }

  /** The identity for a key id, or undefined. Reads the file once (identities made by the CLI appear without restart). */
  get(keyId: string): Identity | undefined {
    if (!KEY_ID_RE.test(keyId)) return undefined;
    const hit = this.cache.get(keyId);
    if (hit) return hit;
    try {
      const id = JSON.parse(fs.readFileSync(this.fileOf(keyId), 'utf8')) as Identity;
      if (id.keyId !== keyId) return undefined;
      this.cache.set(keyId, id);
      return id;
    } catch {
      return undefined;
    }
  }

  put(id: Identity): string {
    const file = this.fileOf(id.keyId);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(id, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, file); // atomic: a reader never sees half a key file
    this.cache.set(id.keyId, id);
    return file;
  }

  remove(keyId: string): void {
    this.cache.delete(keyId);
    fs.rmSync(this.fileOf(keyId), { force: true });
  }

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

export const openWallet = (dataDir: string) => new Wallet(path.join(dataDir, 'wallet'));

/** The gateway's SM2 key pair, made on first start. */
export function gatewayKey(dataDir: string): KeyPair {
  const file = path.join(dataDir, 'gateway-key.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as KeyPair;
  } catch {
    const kp = generateKeyPair();
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(kp), { mode: 0o600 });
    return kp;
  }
}

// Same as fabric-shim's ClientIdentity (node_modules/fabric-shim/lib/chaincode.js), so the id matches on Fabric.
const formatDN = (dn: Certificate['subject']) =>
  dn.attributes.map((a) => `/${a.shortName}=${String(a.value).replace('/', '\\/')}`).join('');

/** `x509::<subject>::<issuer>`, the id chaincode sees as ctx.clientIdentity.getID(). */
export function x509Id(certPem: string): string {
  const c = Certificate.fromPEM(Buffer.from(certPem, 'utf8'));
  return `x509::${formatDN(c.subject)}::${formatDN(c.issuer)}`;
}
