/**
 * `lianjian gm ...`: SM2/SM3 tools over chaincode/lib/gm.
 *
 *   lianjian gm sm3 <hex> | --file F            hex SM3 digest
 *   lianjian gm keygen [--pem]                  JSON {privateKey, publicKey} or two PEM blocks
 *   lianjian gm sign --key K (<hex> | --file F) DER signature hex (K: hex, or a PEM/hex file)
 *   lianjian gm verify --pub P --sig S (<hex> | --file F)
 *                                               prints OK (exit 0) or FAIL (exit 1)
 * Bad usage exits 2.
 */
import { existsSync, readFileSync } from 'node:fs';
import {
  generateKeyPair,
  privateKeyFromPem,
  privateKeyToPem,
  publicKeyFromPem,
  publicKeyFromPrivate,
  publicKeyToPem,
  sign,
  sm3,
  verify,
} from '../chaincode/lib/gm';
import { flag, parseCommandLine } from './flags';

const USAGE = [
  'usage: lianjian gm <subcommand>',
  '  sm3 <hex> | --file F                     print the SM3 digest (hex)',
  '  keygen [--pem]                           new SM2 key pair (JSON hex, or PKCS#8 + SPKI PEM)',
  '  sign --key K <hex> | --file F            SM2 signature, DER hex (K: private key hex, or a PEM/hex file)',
  '  verify --pub P --sig S <hex> | --file F  prints OK (exit 0) or FAIL (exit 1)',
  '                                           (P: public key hex or PEM/hex file; S: DER hex or a file with DER/hex)',
  'Messages are given as hex, or read raw from --file. User id: 1234567812345678.',
].join('\n');

class UsageError extends Error {}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

function hexArg(v: string | undefined, what: string): Buffer {
  if (v === undefined) throw new UsageError(`missing ${what}`);
  const h = v.startsWith('0x') ? v.slice(2) : v;
  if (!HEX.test(h)) throw new UsageError(`${what} must be hex (even number of digits)`);
  return Buffer.from(h, 'hex');
}

/** The message: exactly one of a hex positional or --file. */
function message(positionals: string[], file: string | undefined): Buffer {
  if (file !== undefined) {
    if (positionals.length) throw new UsageError('give the message either as hex or with --file, not both');
    try {
      return readFileSync(file);
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
    }
  }
  if (positionals.length !== 1) throw new UsageError('expected exactly one hex message');
  return hexArg(positionals[0], 'message');
}

function readText(pathOrValue: string): string {
  return existsSync(pathOrValue) ? readFileSync(pathOrValue, 'utf8').trim() : pathOrValue.trim();
}

function privateKeyArg(k: string | undefined): string {
  if (!k) throw new UsageError('missing --key');
  const text = readText(k);
  if (text.includes('-----BEGIN')) return privateKeyFromPem(text);
  if (!/^[0-9a-fA-F]{64}$/.test(text))
    throw new UsageError('--key must be 64 hex digits or a file holding a PEM or hex private key');
  return text.toLowerCase();
}

function publicKeyArg(p: string | undefined): string {
  if (!p) throw new UsageError('missing --pub');
  const text = readText(p);
  if (text.includes('-----BEGIN')) return publicKeyFromPem(text);
  if (!/^(04[0-9a-fA-F]{128}|0[23][0-9a-fA-F]{64})$/.test(text)) {
    throw new UsageError('--pub must be a public key in hex (04||x||y) or a file holding a PEM or hex public key');
  }
  return text.toLowerCase();
}

function signatureArg(s: string | undefined): string {
  if (!s) throw new UsageError('missing --sig');
  if (existsSync(s)) {
    const raw = readFileSync(s);
    const text = raw.toString('utf8').trim();
    return HEX.test(text) && text.length > 0 ? text : raw.toString('hex'); // hex text or binary DER
  }
  return hexArg(s, '--sig').toString('hex');
}

function run(args: string[]): number {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'sm3': {
      const { flags, positionals } = parseCommandLine(rest, { known: ['file'], positionals: true });
      process.stdout.write(sm3(message(positionals, flag(flags, 'file'))) + '\n');
      return 0;
    }
    case 'keygen': {
      const { flags, positionals } = parseCommandLine(rest, { known: [], switches: ['pem'], positionals: true });
      if (positionals.length) throw new UsageError('keygen takes no arguments');
      const kp = generateKeyPair();
      process.stdout.write(
        flag(flags, 'pem') === 'true'
          ? privateKeyToPem(kp.privateKey) + publicKeyToPem(kp.publicKey)
          : JSON.stringify(kp) + '\n',
      );
      return 0;
    }
    case 'sign': {
      const { flags, positionals } = parseCommandLine(rest, { known: ['key', 'file'], positionals: true });
      const priv = privateKeyArg(flag(flags, 'key'));
      const msg = message(positionals, flag(flags, 'file'));
      process.stdout.write(sign(priv, msg, publicKeyFromPrivate(priv)) + '\n');
      return 0;
    }
    case 'verify': {
      const { flags, positionals } = parseCommandLine(rest, { known: ['pub', 'sig', 'file'], positionals: true });
      const pub = publicKeyArg(flag(flags, 'pub'));
      const sig = signatureArg(flag(flags, 'sig'));
      const ok = verify(pub, message(positionals, flag(flags, 'file')), sig);
      process.stdout.write(ok ? 'OK\n' : 'FAIL\n');
      return ok ? 0 : 1;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stderr.write(USAGE + '\n');
      return sub === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown subcommand "${sub}"`);
  }
}

export function gmCommand(args: string[]): Promise<number> {
  try {
    return Promise.resolve(run(args));
  } catch (err) {
    // Flag errors (unknown option, missing value), usage mistakes and bad keys are all usage errors.
    const msg = err instanceof Error ? err.message : String(err);
    const detail = err && typeof err === 'object' && 'detail' in err ? String(err.detail) : msg;
    process.stderr.write(`lianjian gm: ${detail}\n${err instanceof UsageError ? USAGE + '\n' : ''}`);
    return Promise.resolve(2);
  }
}
