/** Org CAs known to the engine (the embedded "channel MSP config") and a cache of checked certificates. */
import { LedgerError } from '../../chaincode/lib/errors';
import { CertInfo, issuedBy, parseCertificate } from './ca';
import { Creator } from './proposal';

const unknownOrg = (detail: string) => new LedgerError('UNKNOWN_ORG', detail, 'creator', 401);
const CACHE_MAX = 10_000;

export class Identities {
  private readonly orgs = new Map<string, { publicKey: string; certPem: string }>();
  private readonly checked = new Map<string, CertInfo>();

  /** Registers an org root CA; returns false when that exact CA was already known. */
  addOrg(org: string, caCertPem: string): boolean {
    const info = parseCertificate(caCertPem);
    if (!issuedBy(info, info.publicKey, org))
      throw new LedgerError(
        'BAD_CERTIFICATE',
        `CA certificate of ${org} is not a valid self-signed ca.${org}`,
        'certPem',
        400,
      );
    const prev = this.orgs.get(org);
    if (prev?.certPem === caCertPem) return false;
    this.orgs.set(org, { publicKey: info.publicKey, certPem: caCertPem });
    this.checked.clear();
    return true;
  }

  orgList(): string[] {
    return [...this.orgs.keys()];
  }

  /** The creator's certificate facts, once it is known to chain to its MSP's CA. */
  check(c: Creator): CertInfo {
    const key = c.mspId + '\n' + c.certPem;
    const hit = this.checked.get(key);
    if (hit) return hit;
    const org = this.orgs.get(c.mspId);
    if (!org) throw unknownOrg(`MSP ${c.mspId} is not a member of this channel`);
    let info: CertInfo;
    try {
      info = parseCertificate(c.certPem);
    } catch {
      throw unknownOrg('creator certificate cannot be parsed');
    }
    if (!issuedBy(info, org.publicKey, c.mspId))
      throw unknownOrg(`creator certificate was not issued by the CA of ${c.mspId} or has expired`);
    if (this.checked.size >= CACHE_MAX) this.checked.delete(this.checked.keys().next().value as string);
    this.checked.set(key, info);
    return info;
  }
}
