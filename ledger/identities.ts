/**
 * Member keys and registrations: a member makes its own key pair where it is, and its org's
 * admin registers only the public key on chain (Identity:registerMember). Used by the
 * demo bootstrap and the CLI acting as clients; the gateway itself never calls these.
 */
import { generateKeyPair } from '../chaincode/lib/gm';
import { newEvmKey, submitSigned } from './evm/member-signer';
import { signCall } from './intents';
import type { LedgerClient, MemberKey, SubmitResult } from './types';
import type { Wallet } from './wallet';

export interface NewMember {
  mspId: string;
  name: string;
  roles: string[];
  admin?: boolean;
  /** 户名: the name people read. */
  displayName?: string;
  /** ISO time after which the key is refused. */
  validUntil?: string;
}

/** A fresh SM2 key pair for a member (made here, where the member is). */
export function newMemberKey(member: NewMember): MemberKey {
  return {
    keyId: `${member.mspId}:${member.name}`,
    mspId: member.mspId,
    name: member.name,
    roles: member.roles,
    admin: !!member.admin,
    sm2: generateKeyPair(),
  };
}

/**
 * The member's key file in `wallet`, made on first use; returns it and whether it was made now.
 * With `evm`, the member also holds a secp256k1 key (LEDGER=evm), added to an older key file.
 */
export function ensureMemberKey(
  wallet: Wallet,
  member: NewMember,
  options: { evm?: boolean } = {},
): { key: MemberKey; file: string; created: boolean } {
  const keyId = `${member.mspId}:${member.name}`;
  const have = wallet.get(keyId);
  if (have && (have.secp256k1 || !options.evm)) return { key: have, file: wallet.fileOf(keyId), created: false };
  const key = { ...(have ?? newMemberKey(member)), ...(options.evm ? { secp256k1: newEvmKey() } : {}) };
  return { key, file: wallet.put(key), created: !have };
}

/** The arguments of Identity:registerMember for `member` with public key `publicKey`. */
export const registrationArgs = (member: NewMember, publicKey: string): string[] => [
  member.name,
  JSON.stringify(member.roles),
  publicKey,
  String(!!member.admin),
  member.validUntil ?? '',
  member.displayName ?? '',
];

/**
 * `admin` (an admin member of the same org, holding its own key) registers `member`'s public key.
 * Replaying the same registration changes nothing.
 * @throws LedgerError from the chain (ADMIN_REQUIRED, ROLE_NOT_ALLOWED, MEMBER_EXISTS, ...)
 */
export function registerMember(
  ledger: LedgerClient,
  registration: { admin: MemberKey; member: NewMember; publicKey: string },
): Promise<SubmitResult> {
  const { admin, member, publicKey } = registration;
  return submitSigned(
    ledger,
    admin,
    signCall(admin, {
      fn: 'Identity:registerMember',
      args: registrationArgs(member, publicKey),
      idempotencyKey: `register:${member.mspId}:${member.name}`,
    }),
  );
}
