/**
 * The service's Fabric client identities: one X.509 certificate (OU=client, NodeOUs) per org,
 * issued on first use from that org's CA key (cryptogen's here; an org's own CA in production),
 * with a fresh P-256 key kept in the data dir. No fixed user pool: a new data dir gets new ones.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as der from '../../network/embedded/der';
import type { FabricOrg } from '../../network/fabric/env';

/** A PEM certificate and the PEM PKCS#8 key it certifies. */
export interface ClientIdentity {
  mspId: string;
  certPem: string;
  keyPem: string;
}

const OID = { cn: '2.5.4.3', ou: '2.5.4.11', o: '2.5.4.10', ecdsaSha256: '1.2.840.10045.4.3.2' };
const KEY_USAGE = '2.5.29.15';
const BASIC_CONSTRAINTS = '2.5.29.19';

/** One DER element at `offset`: where its body starts and where it ends. */
function element(buf: Buffer, offset: number): { bodyStart: number; end: number } {
  const first = buf[offset + 1];
  if (first < 0x80) return { bodyStart: offset + 2, end: offset + 2 + first };
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + buf[offset + 2 + i];
  return { bodyStart: offset + 2 + count, end: offset + 2 + count + length };
}

/** The DER subject Name of a certificate, byte for byte (so an issued cert's issuer matches it). */
export function subjectDer(certPem: string): Buffer {
  const cert = Buffer.from(new X509Certificate(certPem).raw);
  const tbs = element(cert, element(cert, 0).bodyStart);
  let at = tbs.bodyStart;
  if (cert[at] === 0xa0) at = element(cert, at).end; // version
  for (let skip = 0; skip < 3; skip++) at = element(cert, at).end; // serial, signature algorithm, issuer
  at = element(cert, at).end; // validity
  return cert.subarray(at, element(cert, at).end);
}

const name = (attrs: [string, string][]): Buffer =>
  der.seq(...attrs.map(([oid, value]) => der.set(der.seq(der.oid(oid), der.utf8(value)))));

/** Issues a client certificate for `commonName` in `org` from the org's CA (key and cert in network.json). */
export function issueClientIdentity(org: FabricOrg, commonName: string): ClientIdentity {
  const caCertPem = fs.readFileSync(org.ca.certPath, 'utf8');
  const caKey = createPrivateKey(fs.readFileSync(org.ca.keyPath));
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  // Fabric's MSP checks the chain at the certificate's notBefore: it must be within the CA's validity.
  const caValidity = new X509Certificate(caCertPem);
  const notBefore = Math.max(Date.now() - 60_000, Date.parse(caValidity.validFrom));
  const notAfter = Math.min(Date.now() + 5 * 365 * 86400_000, Date.parse(caValidity.validTo));
  const algorithm = der.seq(der.oid(OID.ecdsaSha256));
  const extensions = der.seq(
    der.seq(der.oid(KEY_USAGE), der.bool(true), der.octetString(der.bitString(Buffer.from([0x80])))),
    der.seq(der.oid(BASIC_CONSTRAINTS), der.bool(true), der.octetString(der.seq())),
  );
  const tbs = der.seq(
    der.explicit(0, der.uint(Buffer.from([2]))),
    der.uint(serial),
    algorithm,
    subjectDer(caCertPem),
    der.seq(der.time(new Date(notBefore)), der.time(new Date(notAfter))),
    name([
      [OID.cn, commonName],
      [OID.ou, 'client'],
      [OID.o, org.domain],
    ]),
    publicKey.export({ type: 'spki', format: 'der' }),
    der.explicit(3, extensions),
  );
  const signature = sign('sha256', tbs, caKey);
  return {
    mspId: org.mspId,
    certPem: der.toPem(der.seq(tbs, algorithm, der.bitString(signature))),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** True when `certPem` was issued by the org's current CA (a new network has new CAs). */
export function issuedByOrgCa(certPem: string, org: FabricOrg): boolean {
  try {
    const ca = new X509Certificate(fs.readFileSync(org.ca.certPath));
    const cert = new X509Certificate(certPem);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}

/**
 * The service identity of `org` kept in `dir` (`<mspId>.json`), issued now if there is none or
 * the stored one is not from the org's current CA.
 */
export function serviceIdentity(dir: string, org: FabricOrg): ClientIdentity {
  const file = path.join(dir, `${org.mspId}.json`);
  if (fs.existsSync(file)) {
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as ClientIdentity;
    if (issuedByOrgCa(kept.certPem, org)) return kept;
  }
  const issued = issueClientIdentity(org, `lianjian-gateway-${randomBytes(4).toString('hex')}@${org.domain}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(issued), { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
  return issued;
}
