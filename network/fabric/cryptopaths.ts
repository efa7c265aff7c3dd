/**
 * Where cryptogen puts each file (its fixed output layout). Pure path arithmetic.
 */
import * as path from 'path';
import { Layout, ORDERER_DOMAIN, OrdererNode, PeerOrg } from './layout';

/** A PEM certificate and the PEM (PKCS#8, ECDSA P-256) private key beside it. */
export interface CertAndKey {
  certPath: string;
  keyPath: string;
}

/** The folder of one peer org: ca/, tlsca/, msp/, peers/, users/. */
export function peerOrgDir(layout: Layout, org: PeerOrg): string {
  return path.join(layout.dirs.crypto, 'peerOrganizations', org.domain);
}

/** The orderer org's folder. */
export function ordererOrgDir(layout: Layout): string {
  return path.join(layout.dirs.crypto, 'ordererOrganizations', ORDERER_DOMAIN);
}

/** The org's signing CA (issues MSP identities: peers, admins, clients). */
export function orgCa(layout: Layout, org: PeerOrg): CertAndKey {
  const dir = path.join(peerOrgDir(layout, org), 'ca');
  return { certPath: path.join(dir, `ca.${org.domain}-cert.pem`), keyPath: path.join(dir, 'priv_sk') };
}

/** The org's TLS CA (issues TLS server and client certificates). */
export function orgTlsCa(layout: Layout, org: PeerOrg): CertAndKey {
  const dir = path.join(peerOrgDir(layout, org), 'tlsca');
  return { certPath: path.join(dir, `tlsca.${org.domain}-cert.pem`), keyPath: path.join(dir, 'priv_sk') };
}

/** The org's MSP admin (OU=admin) signing certificate and key, and its MSP folder for the peer CLI. */
export function orgAdmin(layout: Layout, org: PeerOrg): CertAndKey & { mspDir: string } {
  const user = `Admin@${org.domain}`;
  const mspDir = path.join(peerOrgDir(layout, org), 'users', user, 'msp');
  return {
    certPath: path.join(mspDir, 'signcerts', `${user}-cert.pem`),
    keyPath: path.join(mspDir, 'keystore', 'priv_sk'),
    mspDir,
  };
}

/** The org's peer: MSP folder and TLS files. */
export function peerFiles(
  layout: Layout,
  org: PeerOrg,
): { mspDir: string; tlsCa: string; tlsCert: string; tlsKey: string } {
  const dir = path.join(peerOrgDir(layout, org), 'peers', org.peerHost);
  const tls = path.join(dir, 'tls');
  return {
    mspDir: path.join(dir, 'msp'),
    tlsCa: path.join(tls, 'ca.crt'),
    tlsCert: path.join(tls, 'server.crt'),
    tlsKey: path.join(tls, 'server.key'),
  };
}

/** One orderer: MSP folder and TLS files. */
export function ordererFiles(
  layout: Layout,
  orderer: OrdererNode,
): { mspDir: string; tlsCa: string; tlsCert: string; tlsKey: string } {
  const dir = path.join(ordererOrgDir(layout), 'orderers', orderer.host);
  const tls = path.join(dir, 'tls');
  return {
    mspDir: path.join(dir, 'msp'),
    tlsCa: path.join(tls, 'ca.crt'),
    tlsCert: path.join(tls, 'server.crt'),
    tlsKey: path.join(tls, 'server.key'),
  };
}

/** The orderer org's admin TLS client pair (mutual TLS to the osnadmin endpoints). */
export function ordererAdminTls(layout: Layout): CertAndKey {
  const tls = path.join(ordererOrgDir(layout), 'users', `Admin@${ORDERER_DOMAIN}`, 'tls');
  return { certPath: path.join(tls, 'client.crt'), keyPath: path.join(tls, 'client.key') };
}

/** The orderer org's TLS CA certificate (trust root for every orderer endpoint). */
export function ordererTlsCaCert(layout: Layout): string {
  return path.join(ordererOrgDir(layout), 'tlsca', `tlsca.${ORDERER_DOMAIN}-cert.pem`);
}
