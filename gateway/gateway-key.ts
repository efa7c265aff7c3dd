/** The gateway's own SM2 key pair: clients seal request bodies to it (application/sm4-envelope). */
import fs from 'node:fs';
import path from 'node:path';
import { generateKeyPair, KeyPair } from '../chaincode/lib/gm';

/** The key in `<dataDir>/gateway-key.json`, made on first start (0600). */
export function gatewayKey(dataDir: string): KeyPair {
  const file = path.join(dataDir, 'gateway-key.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as KeyPair;
  } catch {
    const pair = generateKeyPair();
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, JSON.stringify(pair), { mode: 0o600 });
    return pair;
  }
}
