/**
 * TLS for the gateway and its console. By default the first start makes a local CA and a server
 * certificate issued by it (ECDSA P-256: browsers and Node's TLS do not speak SM2), the private
 * keys in `<data>/keys/` and the certificates in `<data>/tls/`; clients trust `<data>/tls/ca.crt`.
 * The server certificate is re-issued by the same CA when it nears expiry or a host name is new.
 * TLS_CERT/TLS_KEY use an operator's own certificate instead; TLS_CLIENT_CA requires client
 * certificates issued by that CA (mutual TLS for institutions); TLS=off serves plain HTTP behind a
 * terminating proxy.
 */
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import fs from 'node:fs';
import type https from 'node:https';
import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as der from '../network/embedded/der';

export interface TlsSettings {
  /** TLS=off turns TLS off (plain HTTP behind a terminating proxy). */
  enabled: boolean;
  /** TLS_CERT: the server certificate (PEM, may carry its chain). */
  certFile: string;
  /** TLS_KEY: its private key (PEM). */
  keyFile: string;
  /** TLS_CA: the CA clients trust (PEM); written on first start when the certificate is generated. */
  caFile: string;
  /** The local CA's private key, kept to re-issue the server certificate (generated certificates only). */
  caKeyFile: string;
  /** TLS_CLIENT_CA: require client certificates issued by this CA (PEM). */
  clientCaFile?: string;
  /** Host names and IP addresses the generated certificate names (TLS_HOSTS adds to the defaults). */
  hosts: string[];
  /** True when TLS_CERT and TLS_KEY are unset: generate (and renew) the certificate in the data dir. */
  generate: boolean;
}

/** What the HTTPS server is given. */
export interface TlsMaterial {
  cert: string;
  key: string;
  /** The CA clients trust (the generated local CA, or TLS_CA). */
  ca?: string;
  /** Client certificates must chain to this CA (mutual TLS). */
  clientCa?: string;
}

/**
 * TLS settings from TLS, TLS_CERT, TLS_KEY, TLS_CA, TLS_CLIENT_CA and TLS_HOSTS.
 * @throws Error when only one of TLS_CERT and TLS_KEY is set
 */
export function loadTlsSettings(env: NodeJS.ProcessEnv, dataDir: string, host: string): TlsSettings {
  const own = Boolean(env.TLS_CERT) || Boolean(env.TLS_KEY);
  if (own && !(env.TLS_CERT && env.TLS_KEY)) throw new Error('TLS_CERT and TLS_KEY are set together');
  const extra = (env.TLS_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  const listening = host === '0.0.0.0' || host === '::' ? [] : [host];
  return {
    enabled: env.TLS !== 'off',
    certFile: path.resolve(env.TLS_CERT || path.join(dataDir, 'tls', 'server.crt')),
    keyFile: path.resolve(env.TLS_KEY || path.join(dataDir, 'keys', 'tls-server.key')),
    caFile: path.resolve(env.TLS_CA || path.join(dataDir, 'tls', 'ca.crt')),
    caKeyFile: path.join(dataDir, 'keys', 'tls-ca.key'),
    ...(env.TLS_CLIENT_CA ? { clientCaFile: path.resolve(env.TLS_CLIENT_CA) } : {}),
    hosts: [...new Set(['localhost', '127.0.0.1', '::1', os.hostname(), ...listening, ...extra])],
    generate: !own,
  };
}

/**
 * The certificate, key and CAs the server uses; generates or renews them in the data dir when
 * `settings.generate`.
 * @throws Error naming a configured file that cannot be read
 */
export function ensureTls(settings: TlsSettings): TlsMaterial {
  if (settings.generate) renewIfNeeded(settings);
  const read = (file: string, what: string): string => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read the ${what} ${file}: ${(err as Error).message}`, { cause: err });
    }
  };
  return {
    cert: read(settings.certFile, 'TLS certificate (TLS_CERT)'),
    key: read(settings.keyFile, 'TLS key (TLS_KEY)'),
    ...(fs.existsSync(settings.caFile) ? { ca: read(settings.caFile, 'TLS CA (TLS_CA)') } : {}),
    ...(settings.clientCaFile ? { clientCa: read(settings.clientCaFile, 'client CA (TLS_CLIENT_CA)') } : {}),
  };
}

/** node:https server options: TLS 1.2+, and client certificates required when a client CA is set. */
export function httpsOptions(tls: TlsMaterial): https.ServerOptions {
  return {
    cert: tls.cert,
    key: tls.key,
    minVersion: 'TLSv1.2',
    ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
  };
}

const RENEW_BEFORE_MS = 30 * 86400_000;

function renewIfNeeded(s: TlsSettings): void {
  if (fs.existsSync(s.certFile) && fs.existsSync(s.keyFile)) {
    const cert = new X509Certificate(fs.readFileSync(s.certFile));
    const fresh = Date.parse(cert.validTo) - Date.now() > RENEW_BEFORE_MS;
    const named = s.hosts.every((h) => (isIP(h) ? cert.checkIP(h) : cert.checkHost(h)) !== undefined);
    if (fresh && named) return;
  }
  let ca: LocalCa;
  if (fs.existsSync(s.caFile) && fs.existsSync(s.caKeyFile)) {
    ca = { certPem: fs.readFileSync(s.caFile, 'utf8'), key: createPrivateKey(fs.readFileSync(s.caKeyFile, 'utf8')) };
  } else {
    ca = createLocalCa('Lianjian local CA');
    writePrivate(s.caKeyFile, ca.key.export({ type: 'pkcs8', format: 'pem' }) as string);
    writePrivate(s.caFile, ca.certPem);
  }
  const server = issueTlsCertificate(ca, { commonName: s.hosts[0], hosts: s.hosts, days: 397 });
  writePrivate(s.keyFile, server.keyPem);
  writePrivate(s.certFile, server.certPem);
}

/** Writes a file only the service's user may read, atomically, in a 0700 folder. */
function writePrivate(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

// ---- certificates (X.509 v3, ECDSA P-256 with SHA-256)

/** A CA: its certificate and private key. */
export interface LocalCa {
  certPem: string;
  key: KeyObject;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  cn: '2.5.4.3',
  o: '2.5.4.10',
  subjectKeyId: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyId: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

const nameOf = (commonName: string): Buffer =>
  der.seq(
    der.set(der.seq(der.oid(OID.o), der.utf8('Lianjian'))),
    der.set(der.seq(der.oid(OID.cn), der.utf8(commonName))),
  );

const extension = (oid: string, critical: boolean, value: Buffer): Buffer =>
  der.seq(der.oid(oid), ...(critical ? [der.bool(true)] : []), der.octetString(value));

const spkiOf = (key: KeyObject): Buffer => key.export({ type: 'spki', format: 'der' });
/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits (the last 65 bytes of a P-256 SPKI). */
const keyIdOf = (key: KeyObject): Buffer => createHash('sha1').update(spkiOf(key).subarray(-65)).digest();

/** IPv4 or IPv6 text as the bytes of a subjectAltName iPAddress. */
function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  const [head, tail = ''] = ip.split('::');
  const groups = (s: string): string[] => (s ? s.split(':') : []);
  const [h, t] = [groups(head), groups(tail)];
  const all = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return Buffer.from(all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

const subjectAltName = (hosts: string[]): Buffer =>
  der.seq(...hosts.map((h) => (isIP(h) ? der.tlv(0x87, ipBytes(h)) : der.tlv(0x82, Buffer.from(h, 'ascii')))));

interface CertificateSpec {
  subject: string;
  key: KeyObject;
  issuer: { name: string; key: KeyObject };
  extensions: Buffer[];
  days: number;
}

function buildCertificate(spec: CertificateSpec): string {
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const now = Date.now();
  const algorithm = der.seq(der.oid(OID.ecdsaWithSha256));
  const tbs = der.seq(
    der.explicit(0, der.uint(Buffer.from([2]))),
    der.uint(serial),
    algorithm,
    nameOf(spec.issuer.name),
    der.seq(der.time(new Date(now - 3600_000)), der.time(new Date(now + spec.days * 86400_000))),
    nameOf(spec.subject),
    spkiOf(spec.key),
    der.explicit(3, der.seq(...spec.extensions)),
  );
  const signature = sign('sha256', tbs, spec.issuer.key);
  return der.toPem(der.seq(tbs, algorithm, der.bitString(signature)));
}

const newKey = (): { privateKey: KeyObject; publicKey: KeyObject } =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** A new CA (10 years) that may only issue end-entity certificates. */
export function createLocalCa(commonName: string): LocalCa {
  const { privateKey, publicKey } = newKey();
  const certPem = buildCertificate({
    subject: commonName,
    key: publicKey,
    issuer: { name: commonName, key: privateKey },
    days: 3650,
    extensions: [
      extension(OID.basicConstraints, true, der.seq(der.bool(true), der.uint(Buffer.from([0])))),
      extension(OID.keyUsage, true, der.bitString(Buffer.from([0x06]))), // keyCertSign | cRLSign
      extension(OID.subjectKeyId, false, der.octetString(keyIdOf(publicKey))),
    ],
  });
  return { certPem, key: privateKey };
}

/**
 * A server and client certificate issued by `ca` for `hosts` (DNS names and IP addresses).
 * @returns the certificate and its new private key (PKCS#8 PEM)
 */
export function issueTlsCertificate(
  ca: LocalCa,
  leaf: { commonName: string; hosts: string[]; days: number },
): IssuedCertificate {
  const { privateKey, publicKey } = newKey();
  const caCert = new X509Certificate(ca.certPem);
  const caName = /CN=([^\n]+)/.exec(caCert.subject)?.[1] ?? 'Lianjian local CA';
  const certPem = buildCertificate({
    subject: leaf.commonName,
    key: publicKey,
    issuer: { name: caName, key: ca.key },
    days: leaf.days,
    extensions: [
      extension(OID.basicConstraints, true, der.seq()),
      extension(OID.keyUsage, true, der.bitString(Buffer.from([0x80]))), // digitalSignature
      extension(OID.extKeyUsage, false, der.seq(der.oid(OID.serverAuth), der.oid(OID.clientAuth))),
      ...(leaf.hosts.length ? [extension(OID.subjectAltName, false, subjectAltName(leaf.hosts))] : []),
      extension(OID.subjectKeyId, false, der.octetString(keyIdOf(publicKey))),
      extension(OID.authorityKeyId, false, der.seq(der.tlv(0x80, keyIdOf(caCert.publicKey)))),
    ],
  });
  return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

/** base64 SHA-256 of a certificate's public key (Chromium's --ignore-certificate-errors-spki-list). */
export function spkiFingerprint(certPem: string): string {
  return createHash('sha256')
    .update(spkiOf(new X509Certificate(certPem).publicKey))
    .digest('base64');
}
