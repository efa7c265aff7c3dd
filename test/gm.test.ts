import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sm2 } from 'sm-crypto-v2';
import { LedgerError } from '../chaincode/lib/errors';
import {
  Envelope,
  generateKeyPair,
  hmacSm3,
  openEnvelope,
  privateKeyFromPem,
  privateKeyToPem,
  publicKeyFromPem,
  publicKeyFromPrivate,
  publicKeyToPem,
  sealEnvelope,
  sign,
  sm2Decrypt,
  sm2Encrypt,
  sm3,
  sm3Bytes,
  sm4Decrypt,
  sm4Encrypt,
  sm4EncryptBlock,
  verify,
} from '../chaincode/lib/gm';

const ROOT = resolve(__dirname, '..', '..');
const LAUNCHER = join(ROOT, 'bin', 'lianjian.js');

function expectLedgerError(fn: () => unknown, code: string): LedgerError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(LedgerError);
    expect((err as LedgerError).code).to.equal(code);
    return err as LedgerError;
  }
  expect.fail(`expected LedgerError ${code}`);
}

/** Replaces the character at i with a different one of the same kind where possible. */
function flipChar(s: string, i: number): string {
  const c = s[i];
  const alphabet = /[0-9a-f]/.test(c)
    ? '0123456789abcdef'
    : 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const next = alphabet[(alphabet.indexOf(c) + 1) % alphabet.length] ?? 'x';
  return s.slice(0, i) + next + s.slice(i + 1);
}

function flipBit(hex: string, byte: number, bit = 0): string {
  const b = Buffer.from(hex, 'hex');
  b[byte] ^= 1 << bit;
  return b.toString('hex');
}

const hasOpenSslSm2 = (() => {
  try {
    execFileSync('openssl', ['genpkey', '-algorithm', 'SM2'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

describe('gm: SM3 (GB/T 32905)', () => {
  it('hashes "abc" to the standard digest', () => {
    expect(sm3('abc')).to.equal('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(sm3Bytes(Buffer.from('abc')).toString('hex')).to.equal(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
  });

  it('hashes "abcd" x16 (512 bits) to the standard digest', () => {
    expect(sm3('abcd'.repeat(16))).to.equal('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('treats strings as UTF-8', () => {
    expect(sm3('链监')).to.equal(sm3(Buffer.from('链监', 'utf8')));
    expect(sm3('链监')).to.not.equal(sm3(Buffer.from('链监', 'latin1')));
  });

  it('HMAC-SM3 follows RFC 2104 over SM3 (64-byte block)', () => {
    const key = Buffer.from('key');
    const msg = Buffer.from('The quick brown fox');
    const k0 = Buffer.concat([key, Buffer.alloc(64 - key.length)]);
    const xor = (pad: number) => Buffer.from(k0.map((b) => b ^ pad));
    const expected = sm3Bytes(Buffer.concat([xor(0x5c), sm3Bytes(Buffer.concat([xor(0x36), msg]))]));
    expect(hmacSm3(key, msg).toString('hex')).to.equal(expected.toString('hex'));
    expect(hmacSm3(key, 'The quick brown fox').equals(expected)).to.equal(true);
  });
});

describe('gm: SM4 (GB/T 32907)', () => {
  const K = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');

  it('encrypts the standard block', () => {
    expect(sm4EncryptBlock(K, K).toString('hex')).to.equal('681edf34d206965e86b3e94f536e4246');
  });

  it('reaches the 1,000,000-round vector (streamed through one ECB context)', function () {
    this.timeout(30000);
    // Same primitive as sm4EncryptBlock, without a cipher object per round (≈2 s instead of ≈6 s).
    const ecb = createCipheriv('sm4-ecb', K, null).setAutoPadding(false);
    let b: Buffer = Buffer.from(K);
    for (let i = 0; i < 1_000_000; i++) b = ecb.update(b);
    expect(b.toString('hex')).to.equal('595298c7c6fd271f0402f804c33d3f66');
  });

  it('sm4EncryptBlock agrees with OpenSSL over 20,000 chained rounds (the 1,000,000-round vector above)', () => {
    const ecb = createCipheriv('sm4-ecb', K, null).setAutoPadding(false);
    let ours: Buffer = Buffer.from(K);
    let theirs: Buffer = Buffer.from(K);
    for (let i = 0; i < 20_000; i++) {
      ours = sm4EncryptBlock(K, ours);
      theirs = ecb.update(theirs);
    }
    expect(ours.toString('hex')).to.equal(theirs.toString('hex'));
  });

  it('CBC round-trips with PKCS#7 padding and rejects a wrong key', () => {
    const iv = Buffer.alloc(16, 7);
    for (const len of [0, 1, 15, 16, 17, 100]) {
      const plain = Buffer.alloc(len, 0xab);
      const ct = sm4Encrypt(K, plain, iv);
      expect(ct.length).to.equal((Math.floor(len / 16) + 1) * 16);
      expect(sm4Decrypt(K, ct, iv).equals(plain)).to.equal(true);
    }
    // CBC first block equals ECB of (P xor IV): ties the mode to the KAT primitive.
    const p = Buffer.alloc(16, 0x11);
    const x = Buffer.from(p.map((b, i) => b ^ iv[i]));
    expect(sm4Encrypt(K, p, iv).subarray(0, 16).equals(sm4EncryptBlock(K, x))).to.equal(true);
    const ct = sm4Encrypt(K, Buffer.from('regulated money'), iv);
    const wrong = Buffer.from(K);
    wrong[0] ^= 1;
    let rejected = 0;
    for (let i = 0; i < 20; i++) {
      try {
        const out = sm4Decrypt(wrong, ct, iv);
        expect(out.toString()).to.not.equal('regulated money');
      } catch (e) {
        expect((e as LedgerError).code).to.equal('DECRYPT_FAILED');
        rejected++;
      }
    }
    expect(rejected).to.be.greaterThan(0);
    expectLedgerError(() => sm4Encrypt(Buffer.alloc(15), p, iv), 'INVALID_KEY');
  });
});

describe('gm: SM2 keys and signatures', () => {
  const kp = generateKeyPair();

  it('generates well-formed key pairs', () => {
    expect(kp.privateKey).to.match(/^[0-9a-f]{64}$/);
    expect(kp.publicKey).to.match(/^04[0-9a-f]{128}$/);
    expect(publicKeyFromPrivate(kp.privateKey)).to.equal(kp.publicKey);
    expect(generateKeyPair().privateKey).to.not.equal(kp.privateKey);
  });

  it('derives the public key of d = 1 as the generator', () => {
    expect(publicKeyFromPrivate('00'.repeat(31) + '01')).to.equal(
      '0432c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0',
    );
    expectLedgerError(() => publicKeyFromPrivate('00'.repeat(32)), 'INVALID_KEY');
    expectLedgerError(() => publicKeyFromPrivate('zz'), 'INVALID_KEY');
  });

  it('signs as DER and verifies, for Buffer and string messages', () => {
    const sig = sign(kp.privateKey, 'pay 100.00 CNY');
    expect(sig).to.match(/^30[0-9a-f]{2}02/);
    expect(verify(kp.publicKey, 'pay 100.00 CNY', sig)).to.equal(true);
    expect(verify(kp.publicKey, Buffer.from('pay 100.00 CNY'), sig)).to.equal(true);
    const sig2 = sign(kp.privateKey, Buffer.from([0, 1, 2]), kp.publicKey);
    expect(verify(kp.publicKey, Buffer.from([0, 1, 2]), sig2)).to.equal(true);
    expect(sign(kp.privateKey, 'x')).to.not.equal(sign(kp.privateKey, 'x')); // fresh k
  });

  it('agrees with sm-crypto-v2 hash mode (Z with id 1234567812345678) in both directions', () => {
    const msg = 'interop with sm-crypto';
    const ours = sign(kp.privateKey, msg);
    expect(sm2.doVerifySignature(msg, ours, kp.publicKey, { hash: true, der: true })).to.equal(true);
    expect(sm2.doVerifySignature(msg, ours, kp.publicKey, { hash: true, der: true, userId: 'someone-else' })).to.equal(
      false,
    );
    const theirs = sm2.doSignature(msg, kp.privateKey, { hash: true, der: true, publicKey: kp.publicKey });
    expect(verify(kp.publicKey, msg, theirs)).to.equal(true);
  });

  it('rejects a flipped message bit, signature bit or key bit', () => {
    const msg = Buffer.from('release 5,000,000 fen to account 6222');
    const sig = sign(kp.privateKey, msg);
    expect(verify(kp.publicKey, msg, sig)).to.equal(true);
    for (let byte = 0; byte < msg.length; byte += 7) {
      const m = Buffer.from(msg);
      m[byte] ^= 0x01;
      expect(verify(kp.publicKey, m, sig), `msg byte ${byte}`).to.equal(false);
    }
    const sigLen = sig.length / 2;
    for (let byte = 0; byte < sigLen; byte++) {
      expect(verify(kp.publicKey, msg, flipBit(sig, byte)), `sig byte ${byte}`).to.equal(false);
    }
    for (let byte = 1; byte < 65; byte += 5) {
      expect(verify(flipBit(kp.publicKey, byte), msg, sig), `key byte ${byte}`).to.equal(false);
    }
    expect(verify(generateKeyPair().publicKey, msg, sig)).to.equal(false);
  });

  it('never throws on malformed keys or signatures', () => {
    const msg = 'm';
    const sig = sign(kp.privateKey, msg);
    const junk: Array<[string, string]> = [
      ['', sig],
      ['zz', sig],
      ['04' + '00'.repeat(64), sig],
      [kp.publicKey.slice(0, 100), sig],
      [kp.publicKey, ''],
      [kp.publicKey, 'not hex'],
      [kp.publicKey, sig.slice(0, -2)],
      [kp.publicKey, sig + '00'],
      [kp.publicKey, '3006020100020100'],
      [kp.publicKey, '30060201010201ff'],
      [kp.publicKey, '00'.repeat(64)],
      [kp.publicKey, sig.replace(/^30/, '31')],
    ];
    for (const [pub, s] of junk) expect(verify(pub, msg, s), `${pub.slice(0, 8)} ${s.slice(0, 8)}`).to.equal(false);
    expect(verify(undefined as unknown as string, msg, sig)).to.equal(false);
    expect(verify(kp.publicKey, msg, null as unknown as string)).to.equal(false);
  });

  it('rejects a non-minimal DER re-encoding of a valid signature', () => {
    const sig = Buffer.from(sign(kp.privateKey, 'm'), 'hex');
    // Pad r with an extra leading zero: same integer, not DER.
    const rLen = sig[3];
    const r = sig.subarray(4, 4 + rLen);
    const rest = sig.subarray(4 + rLen);
    const padded = Buffer.concat([Buffer.from([0x30, sig[1] + 1, 0x02, rLen + 1, 0x00]), r, rest]);
    expect(verify(kp.publicKey, 'm', padded.toString('hex'))).to.equal(false);
  });
});

describe('gm: SM2 encryption (C1C3C2)', () => {
  const kp = generateKeyPair();

  it('round-trips and lays out C1 (04 prefixed) || C3 || C2', () => {
    for (const len of [1, 16, 32, 1000]) {
      const plain = Buffer.alloc(len, len & 0xff);
      const ct = sm2Encrypt(kp.publicKey, plain);
      expect(ct.length).to.equal(65 + 32 + len);
      expect(ct[0]).to.equal(0x04);
      expect(sm2Decrypt(kp.privateKey, ct).equals(plain)).to.equal(true);
    }
  });

  it('decrypts sm-crypto-v2 mode-1 ciphertext (with the 04 prefix added)', () => {
    const theirs = sm2.doEncrypt(new Uint8Array(Buffer.from('hello sm2')), kp.publicKey, 1);
    expect(sm2Decrypt(kp.privateKey, Buffer.from('04' + theirs, 'hex')).toString()).to.equal('hello sm2');
  });

  it('rejects any tampered byte, a wrong key and junk with DECRYPT_FAILED', () => {
    const ct = sm2Encrypt(kp.publicKey, Buffer.from('secret 42'));
    for (let i = 0; i < ct.length; i++) {
      const t = Buffer.from(ct);
      t[i] ^= 0x01;
      expectLedgerError(() => sm2Decrypt(kp.privateKey, t), 'DECRYPT_FAILED');
    }
    expectLedgerError(() => sm2Decrypt(generateKeyPair().privateKey, ct), 'DECRYPT_FAILED');
    expectLedgerError(() => sm2Decrypt(kp.privateKey, ct.subarray(0, 97)), 'DECRYPT_FAILED');
    expectLedgerError(() => sm2Decrypt(kp.privateKey, Buffer.alloc(200)), 'DECRYPT_FAILED');
    expectLedgerError(() => sm2Encrypt('04' + '00'.repeat(64), Buffer.from('x')), 'INVALID_KEY');
  });
});

describe('gm: PEM', () => {
  const kp = generateKeyPair();

  it('round-trips private (PKCS#8) and public (SPKI) keys', () => {
    const pem = privateKeyToPem(kp.privateKey);
    expect(pem).to.match(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(privateKeyFromPem(pem)).to.equal(kp.privateKey);
    const pub = publicKeyToPem(kp.publicKey);
    expect(pub).to.match(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(publicKeyFromPem(pub)).to.equal(kp.publicKey);
  });

  it('writes the exact DER layout of `openssl genpkey -algorithm SM2`', () => {
    const der = Buffer.from(privateKeyToPem(kp.privateKey).replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(der.subarray(0, 36).toString('hex')).to.equal(
      '308187020100301306072a8648ce3d020106082a811ccf5501822d046d306b0201010420',
    );
    expect(der.subarray(36, 68).toString('hex')).to.equal(kp.privateKey);
    expect(der.subarray(68).toString('hex')).to.equal('a144034200' + kp.publicKey);
  });

  it('rejects junk, wrong curves and mismatched embedded public keys', () => {
    expectLedgerError(() => privateKeyFromPem('hello'), 'INVALID_KEY');
    expectLedgerError(() => publicKeyFromPem(privateKeyToPem(kp.privateKey)), 'INVALID_KEY');
    // P-256 OID instead of SM2
    const p256 = privateKeyToPem(kp.privateKey).replace(/-----[^-]+-----|\s/g, '');
    const der = Buffer.from(p256, 'base64');
    const oidAt = der.indexOf(Buffer.from('2a811ccf5501822d', 'hex'));
    Buffer.from('2a8648ce3d030107', 'hex').copy(der, oidAt);
    expectLedgerError(
      () => privateKeyFromPem(`-----BEGIN PRIVATE KEY-----\n${der.toString('base64')}\n-----END PRIVATE KEY-----\n`),
      'INVALID_KEY',
    );
    // Embedded public key of another key
    const other = generateKeyPair();
    const good = Buffer.from(p256, 'base64');
    Buffer.from(other.publicKey, 'hex').copy(good, 73);
    expectLedgerError(
      () => privateKeyFromPem(`-----BEGIN PRIVATE KEY-----\n${good.toString('base64')}\n-----END PRIVATE KEY-----\n`),
      'INVALID_KEY',
    );
  });
});

describe('gm: interop with the OpenSSL 3 CLI', function () {
  this.timeout(20000);
  let dir = '';
  before(function () {
    if (!hasOpenSslSm2) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'gm-test-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const ossl = (args: string[]) => spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });

  it('OpenSSL verifies our signature with distid 1234567812345678 (and not with another id)', () => {
    const kp = generateKeyPair();
    const msg = Buffer.from('lianjian → openssl: 转账 1234.56 元');
    writeFileSync(join(dir, 'pub.pem'), publicKeyToPem(kp.publicKey));
    writeFileSync(join(dir, 'msg'), msg);
    writeFileSync(join(dir, 'sig.der'), Buffer.from(sign(kp.privateKey, msg), 'hex'));
    const base = [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      'pub.pem',
      '-rawin',
      '-digest',
      'sm3',
      '-sigfile',
      'sig.der',
      '-in',
      'msg',
    ];
    const ok = ossl([...base, '-pkeyopt', 'distid:1234567812345678']);
    expect(ok.stdout + ok.stderr).to.contain('Signature Verified Successfully');
    expect(ok.status).to.equal(0);
    const bad = ossl([...base, '-pkeyopt', 'distid:1234567812345679']);
    expect(bad.status).to.not.equal(0);
  });

  it('OpenSSL reads our PKCS#8 private key and derives the same public key', () => {
    const kp = generateKeyPair();
    writeFileSync(join(dir, 'ours.pem'), privateKeyToPem(kp.privateKey));
    const r = ossl(['pkey', '-in', 'ours.pem', '-pubout']);
    expect(r.status).to.equal(0);
    expect(publicKeyFromPem(r.stdout)).to.equal(kp.publicKey);
  });

  it('we verify an OpenSSL key and signature and import its PEMs (PKCS#8 and SEC1)', () => {
    expect(ossl(['genpkey', '-algorithm', 'SM2', '-out', 'k.pem']).status).to.equal(0);
    expect(ossl(['pkey', '-in', 'k.pem', '-pubout', '-out', 'p.pem']).status).to.equal(0);
    const msg = Buffer.from('openssl → lianjian');
    writeFileSync(join(dir, 'm2'), msg);
    const s = ossl([
      'pkeyutl',
      '-sign',
      '-rawin',
      '-digest',
      'sm3',
      '-pkeyopt',
      'distid:1234567812345678',
      '-inkey',
      'k.pem',
      '-in',
      'm2',
      '-out',
      's2.der',
    ]);
    expect(s.status, s.stderr).to.equal(0);
    const pub = publicKeyFromPem(readFileSync(join(dir, 'p.pem'), 'utf8'));
    const priv = privateKeyFromPem(readFileSync(join(dir, 'k.pem'), 'utf8'));
    expect(publicKeyFromPrivate(priv)).to.equal(pub);
    // Our PEM writer reproduces OpenSSL's file byte for byte.
    expect(privateKeyToPem(priv)).to.equal(readFileSync(join(dir, 'k.pem'), 'utf8'));
    expect(publicKeyToPem(pub)).to.equal(readFileSync(join(dir, 'p.pem'), 'utf8'));
    const sig = readFileSync(join(dir, 's2.der')).toString('hex');
    expect(verify(pub, msg, sig)).to.equal(true);
    expect(verify(pub, Buffer.from('openssl → lianjiaN'), sig)).to.equal(false);
    // SEC1 ("EC PRIVATE KEY" / OpenSSL's "SM2 PRIVATE KEY" label) import
    const sec1 = ossl(['ec', '-in', 'k.pem']);
    expect(sec1.status).to.equal(0);
    expect(privateKeyFromPem(sec1.stdout)).to.equal(priv);
    expect(privateKeyFromPem(sec1.stdout.replace(/SM2 PRIVATE KEY/g, 'EC PRIVATE KEY'))).to.equal(priv);
    // A signature OpenSSL makes with an empty id (its 3.0 default) is not valid under the standard id.
    const e = ossl([
      'pkeyutl',
      '-sign',
      '-rawin',
      '-digest',
      'sm3',
      '-pkeyopt',
      'distid:',
      '-inkey',
      'k.pem',
      '-in',
      'm2',
      '-out',
      's3.der',
    ]);
    if (e.status === 0) expect(verify(pub, msg, readFileSync(join(dir, 's3.der')).toString('hex'))).to.equal(false);
  });
});

describe('gm: envelope', () => {
  const kp = generateKeyPair();
  const payload = Buffer.from(JSON.stringify({ account: '6222 0000 1111', amountFen: '123456', memo: '预付资金' }));

  it('round-trips with and without kid, with fresh keys per message', () => {
    const a = sealEnvelope(kp.publicKey, payload, 'bank-A/2025');
    const b = sealEnvelope(kp.publicKey, payload);
    expect(a.v).to.equal(1);
    expect(a.alg).to.equal('SM2-SM4-CBC-HMACSM3');
    expect(a.kid).to.equal('bank-A/2025');
    expect('kid' in b).to.equal(false);
    expect(a.key).to.not.equal(b.key);
    expect(a.iv).to.not.equal(b.iv);
    expect(a.ct).to.not.equal(b.ct);
    expect(a.key).to.match(/^04[0-9a-f]{256}$/);
    expect(openEnvelope(kp.privateKey, a).equals(payload)).to.equal(true);
    expect(openEnvelope(kp.privateKey, JSON.parse(JSON.stringify(b)) as Envelope).equals(payload)).to.equal(true);
    expect(openEnvelope(kp.privateKey, sealEnvelope(kp.publicKey, Buffer.alloc(0))).length).to.equal(0);
  });

  it('rejects a change to every character of every field, and field removal or addition', function () {
    this.timeout(60000);
    const env = sealEnvelope(kp.publicKey, payload, 'kid-1');
    let checked = 0;
    for (const field of ['key', 'iv', 'ct', 'mac', 'kid', 'alg'] as const) {
      const value = env[field] as string;
      for (let i = 0; i < value.length; i++) {
        const t = { ...env, [field]: flipChar(value, i) } as Envelope;
        expectLedgerError(() => openEnvelope(kp.privateKey, t), 'ENVELOPE_INVALID');
        checked++;
      }
    }
    expect(checked).to.equal(
      ['key', 'iv', 'ct', 'mac', 'kid', 'alg'].reduce((n, f) => n + String(env[f as keyof Envelope]).length, 0),
    );
    expect(checked).to.be.greaterThan(450);
    expectLedgerError(() => openEnvelope(kp.privateKey, { ...env, v: 2 as 1 }), 'ENVELOPE_INVALID');
    const { kid: _kid, ...noKid } = env;
    expectLedgerError(() => openEnvelope(kp.privateKey, noKid), 'ENVELOPE_INVALID');
    expectLedgerError(
      () => openEnvelope(kp.privateKey, { ...sealEnvelope(kp.publicKey, payload), kid: '' }),
      'ENVELOPE_INVALID',
    );
    expectLedgerError(() => openEnvelope(kp.privateKey, { ...env, mac: env.mac.toUpperCase() }), 'ENVELOPE_INVALID');
    expectLedgerError(() => openEnvelope(generateKeyPair().privateKey, env), 'ENVELOPE_INVALID');
    // Swapping ciphertexts between two envelopes to the same recipient fails too.
    const other = sealEnvelope(kp.publicKey, Buffer.from('other'), 'kid-1');
    expectLedgerError(() => openEnvelope(kp.privateKey, { ...env, ct: other.ct, iv: other.iv }), 'ENVELOPE_INVALID');
    expect(openEnvelope(kp.privateKey, env).equals(payload)).to.equal(true);
  });
});

describe('gm: CLI (lianjian gm ...)', function () {
  this.timeout(30000);
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [LAUNCHER, 'gm', ...args], { cwd: ROOT, encoding: 'utf8' });
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gm-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('sm3 of hex and of a file', () => {
    const r = cli(['sm3', Buffer.from('abc').toString('hex')]);
    expect(r.status).to.equal(0);
    expect(r.stdout.trim()).to.equal('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    writeFileSync(join(dir, 'abcd'), 'abcd'.repeat(16));
    const f = cli(['sm3', '--file', join(dir, 'abcd')]);
    expect(f.stdout.trim()).to.equal('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('keygen, sign, verify: OK exits 0, FAIL exits 1', () => {
    const k = cli(['keygen']);
    expect(k.status).to.equal(0);
    const kp = JSON.parse(k.stdout) as { privateKey: string; publicKey: string };
    expect(publicKeyFromPrivate(kp.privateKey)).to.equal(kp.publicKey);
    const s = cli(['sign', '--key', kp.privateKey, 'deadbeef']);
    expect(s.status).to.equal(0);
    const sig = s.stdout.trim();
    expect(verify(kp.publicKey, Buffer.from('deadbeef', 'hex'), sig)).to.equal(true);
    const v = cli(['verify', '--pub', kp.publicKey, '--sig', sig, 'deadbeef']);
    expect([v.status, v.stdout.trim()]).to.deep.equal([0, 'OK']);
    const f = cli(['verify', '--pub', kp.publicKey, '--sig', sig, 'deadbeee']);
    expect([f.status, f.stdout.trim()]).to.deep.equal([1, 'FAIL']);
  });

  it('keygen --pem, and sign/verify with PEM files', () => {
    const k = cli(['keygen', '--pem']);
    expect(k.status).to.equal(0);
    const [privPem, pubPem] = k.stdout.split(/(?=-----BEGIN PUBLIC KEY-----)/);
    writeFileSync(join(dir, 'k.pem'), privPem);
    writeFileSync(join(dir, 'p.pem'), pubPem);
    expect(publicKeyFromPrivate(privateKeyFromPem(privPem))).to.equal(publicKeyFromPem(pubPem));
    const s = cli(['sign', '--key', join(dir, 'k.pem'), '00ff']);
    expect(s.status).to.equal(0);
    const v = cli(['verify', '--pub', join(dir, 'p.pem'), '--sig', s.stdout.trim(), '00ff']);
    expect([v.status, v.stdout.trim()]).to.deep.equal([0, 'OK']);
  });

  it('bad usage exits 2 with a message on stderr', () => {
    for (const args of [
      [],
      ['nope'],
      ['sm3'],
      ['sm3', 'xyz'],
      ['sign', 'aa'],
      ['sign', '--key', 'abc', 'aa'],
      ['verify', '--pub', 'aa', 'aa'],
      ['keygen', '--bogus'],
    ]) {
      const r = cli(args);
      expect(r.status, args.join(' ')).to.equal(2);
      expect(r.stderr, args.join(' ')).to.match(/\S/);
      expect(r.stdout, args.join(' ')).to.equal('');
    }
  });
});
