/**
 * Development CA per org: real X.509 certificates with SM2 keys signed SM2-with-SM3, so that
 * fabric-shim's ClientIdentity (@fidm/x509) parses embedded identities exactly as on Fabric.
 */
import { randomBytes } from 'node:crypto';
import { Certificate } from '@fidm/x509';
import { generateKeyPair, sign, verify } from '../../chaincode/lib/gm';
import { invalid } from '../../chaincode/lib/errors';
import * as der from './der';

const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  sm2: '1.2.156.10197.1.301',
  sm2WithSm3: '1.2.156.10197.1.501',
  cn: '2.5.4.3',
  ou: '2.5.4.11',
  o: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
};

export interface OrgCa {
  /** The org name; also its MSP id. */
  org: string;
  privateKey: string;
  publicKey: string;
  certPem: string;
}

export type Ou = 'client' | 'admin' | 'peer' | 'orderer';

// Attribute order CN, OU, O so that ClientIdentity.getID() reads x509::/CN=.../OU=.../O=...
function name(attrs: [string, string][]): Buffer {
  return der.seq(...attrs.map(([oid, v]) => der.set(der.seq(der.oid(oid), der.utf8(v)))));
}

const sigAlg = () => der.seq(der.oid(OID.sm2WithSm3));

function spki(publicKeyHex: string): Buffer {
  if (!/^04[0-9a-fA-F]{128}$/.test(publicKeyHex))
    throw invalid('publicKey', 'SM2 public key must be 04||x||y hex', 'INVALID_KEY');
  return der.seq(der.seq(der.oid(OID.ecPublicKey), der.oid(OID.sm2)), der.bitString(Buffer.from(publicKeyHex, 'hex')));
}

function build(
  issuerKey: { privateKey: string; publicKey: string },
  issuer: Buffer,
  subject: Buffer,
  publicKey: string,
  isCa: boolean,
): string {
  const now = Date.now();
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const exts = isCa
    ? [
        der.seq(der.oid(OID.basicConstraints), der.bool(true), der.octetString(der.seq(der.bool(true)))),
        der.seq(der.oid(OID.keyUsage), der.bool(true), der.octetString(der.bitString(Buffer.from([0x06])))), // keyCertSign|cRLSign
      ]
    : [der.seq(der.oid(OID.keyUsage), der.bool(true), der.octetString(der.bitString(Buffer.from([0x80]))))]; // digitalSignature
  const tbs = der.seq(
    der.explicit(0, der.uint(Buffer.from([2]))), // v3
    der.uint(serial),
    sigAlg(),
    issuer,
    der.seq(der.time(new Date(now - 3600_000)), der.time(new Date(now + 10 * 365 * 86400_000))),
    subject,
    spki(publicKey),
    der.explicit(3, der.seq(...exts)),
  );
  const sig = Buffer.from(sign(issuerKey.privateKey, tbs, issuerKey.publicKey), 'hex');
  return der.toPem(der.seq(tbs, sigAlg(), der.bitString(sig)));
}

const caName = (org: string) =>
  name([
    [OID.cn, `ca.${org}`],
    [OID.o, org],
  ]);

/** A fresh self-signed CA for `org` (subject and issuer CN=ca.<org>, O=<org>). */
export function createCa(org: string): OrgCa {
  if (!org || org.includes('\u0000') || org.includes('/'))
    throw invalid('org', 'org must be a non-empty name without "/" or NUL');
  const kp = generateKeyPair();
  return { org, ...kp, certPem: build(kp, caName(org), caName(org), kp.publicKey, true) };
}

/** Issues a certificate with subject CN=<name>, OU=<ou>, O=<org> for the holder's SM2 public key. */
export function issueCertificate(ca: OrgCa, holder: { name: string; ou: string; publicKey: string }): string {
  if (!holder.name) throw invalid('name', 'certificate holder name is required');
  const subject = name([
    [OID.cn, holder.name],
    [OID.ou, holder.ou],
    [OID.o, ca.org],
  ]);
  return build(ca, caName(ca.org), subject, holder.publicKey, false);
}

/** Parsed facts of a certificate that the engine needs. */
export interface CertInfo {
  publicKey: string;
  /** ClientIdentity.getID() form: x509::/CN=..::/CN=ca... */
  id: string;
  subjectOrg: string;
  issuerCn: string;
  notBefore: number;
  notAfter: number;
  tbs: Buffer;
  signature: string;
}

const formatDN = (dn: Certificate['subject']) =>
  dn.attributes.map((a) => `/${a.shortName}=${String(a.value).replace('/', '\\/')}`).join('');

export function parseCertificate(pem: string): CertInfo {
  let c: Certificate;
  try {
    c = Certificate.fromPEM(Buffer.from(pem, 'utf8'));
  } catch (err) {
    throw invalid('certPem', `not an X.509 certificate: ${(err as Error).message}`, 'BAD_CERTIFICATE');
  }
  const key = c.publicKey as unknown as { keyRaw: Buffer };
  return {
    publicKey: key.keyRaw.toString('hex'),
    id: `x509::${formatDN(c.subject)}::${formatDN(c.issuer)}`,
    subjectOrg: c.subject.organizationName,
    issuerCn: c.issuer.commonName,
    notBefore: c.validFrom.getTime(),
    notAfter: c.validTo.getTime(),
    tbs: (c.tbsCertificate as unknown as { DER: Buffer }).DER,
    signature: c.signature.toString('hex'),
  };
}

/** The holder's SM2 public key (04||x||y hex) of a PEM certificate. */
export function publicKeyOfCertificate(pem: string): string {
  return parseCertificate(pem).publicKey;
}

/** True when `certPem` names `ca` as issuer, is signed by its key and is within validity. */
export function issuedBy(cert: CertInfo, caPublicKey: string, org: string, now = Date.now()): boolean {
  return (
    cert.issuerCn === `ca.${org}` &&
    now >= cert.notBefore &&
    now <= cert.notAfter &&
    verify(caPublicKey, cert.tbs, cert.signature)
  );
}
