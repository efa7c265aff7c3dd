/** A member of the consortium as the on-chain registry keeps it (chaincode/core/identity.ts). */
export const ROLES = ['regulator', 'bank', 'enterprise', 'merchant', 'consumer', 'auditor', 'oracle', 'court'] as const;
export type Role = (typeof ROLES)[number];

export interface Member {
  /** `${mspId}:${name}`, the name other records use. */
  handle: string;
  mspId: string;
  name: string;
  roles: Role[];
  /** The member's SM2 public key (04||x||y hex): verifies its intents, attestations and co-signatures. */
  publicKey: string;
  /** An org admin onboards and revokes the org's members. */
  admin: boolean;
  status: 'active' | 'revoked';
  /** ISO time after which the key is no longer accepted (none = no expiry). */
  validUntil?: string;
  /** The name people read (户名), e.g. 闽建地产 or 林女士. */
  displayName?: string;
  registeredTx: string;
  revokedTx?: string;
  revokedReason?: string;
}

/** Key of a member record by handle. */
export const memberKey = (handle: string): string => `member~${handle}`;
