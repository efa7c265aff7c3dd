/**
 * The chaincode's money-core functions (chaincode/core/operations.ts) as MoneyCore.sol calls: the
 * one place that turns `Money:transfer` and its string arguments into calldata, validated with the
 * chaincode's own validators, and turns MoneyCore's custom errors back into the chaincode's
 * LedgerError codes. A member's client and the relayer both encode with it, so the relayer can
 * check that a signed request is exactly the call it claims to be.
 */
import { getAddress, Interface, isCallException } from 'ethers';
import { ACCOUNT_KINDS } from '../../chaincode/core/account';
import { LedgerError } from '../errors';
import { parseFen } from '../../chaincode/lib/money';
import { invalid } from '../../chaincode/lib/errors';
import { parseJson, requireOneOf } from '../../chaincode/lib/validate';
import moneyCoreArtifact from './artifacts/MoneyCore.json';
import forwarderArtifact from './artifacts/Forwarder.json';

export const MONEY_CORE_INTERFACE = new Interface(moneyCoreArtifact.abi);
export const FORWARDER_INTERFACE = new Interface(forwarderArtifact.abi);
export { forwarderArtifact, moneyCoreArtifact };

/** Role bits of contracts/MemberRegistry.sol, named as chaincode roles. */
export const EVM_ROLES = ['regulator', 'bank', 'enterprise', 'merchant', 'consumer', 'auditor', 'oracle', 'court'];

const str = (value: string | undefined): string => value ?? '';

/** A role list (JSON) as MemberRegistry's bit set. */
function roleBits(rolesJson: string | undefined): bigint {
  const roles = parseJson<unknown>(rolesJson ?? '[]', 'roles');
  if (!Array.isArray(roles)) throw invalid('roles', 'roles must be a JSON array of role names');
  return roles.reduce<bigint>(
    (bits, role) => bits | (1n << BigInt(EVM_ROLES.indexOf(requireOneOf(role, EVM_ROLES, 'roles')))),
    0n,
  );
}

/** On EVM a member's public key is its secp256k1 account address. */
function memberAddress(publicKey: string | undefined): string {
  try {
    return getAddress(str(publicKey));
  } catch {
    throw invalid('publicKey', 'on the EVM ledger a member registers its secp256k1 account address (0x...)');
  }
}

/** How each write the EVM ledger runs maps its chaincode arguments to MoneyCore's. */
const WRITES: Record<string, (args: string[]) => [string, unknown[]]> = {
  'Money:openAccount': ([id, kind, owner, offChainRef, holderName]) => [
    'openAccount',
    [
      str(id),
      ACCOUNT_KINDS.indexOf(requireOneOf(kind, ACCOUNT_KINDS, 'kind')),
      str(owner),
      str(offChainRef),
      str(holderName),
    ],
  ],
  'Money:freezeAccount': ([id, order, reason]) => ['freezeAccount', [str(id), str(order), str(reason)]],
  'Money:unfreezeAccount': ([id, order, reason]) => ['unfreezeAccount', [str(id), str(order), str(reason)]],
  'Money:closeAccount': ([id]) => ['closeAccount', [str(id)]],
  // The oracle's own signature over the request is its attestation: no separate SM2 attestation.
  'Money:mirrorDeposit': ([account, amount, offTxId, color]) => [
    'mirrorDeposit',
    [str(account), parseFen(amount, 'amount'), str(offTxId), str(color)],
  ],
  'Money:mirrorWithdrawal': ([account, amount, offTxId]) => [
    'mirrorWithdrawal',
    [str(account), parseFen(amount, 'amount'), str(offTxId)],
  ],
  'Identity:registerMember': ([name, roles, publicKey, admin]) => [
    'registerMember',
    [memberAddress(publicKey), str(name), roleBits(roles), admin === 'true'],
  ],
  'Money:transfer': ([id, from, to, amount, purpose, ref]) => [
    'transfer',
    [str(id), str(from), str(to), parseFen(amount, 'amount'), str(purpose), str(ref)],
  ],
};

/** The chaincode functions that run on MoneyCore.sol (writes). */
export const EVM_WRITES = Object.keys(WRITES);

/** The answer for a function of a business that lives only in chaincode. */
export const notOnThisLedger = (fn: string): LedgerError =>
  new LedgerError(
    'NOT_ON_THIS_LEDGER',
    `${fn} runs only on the chaincode ledgers (LEDGER=embedded or fabric); LEDGER=evm runs the money core: accounts, mirrors, transfers, freezes, balances, history and traces`,
    undefined,
    501,
  );

/**
 * The MoneyCore calldata of a chaincode write.
 * @throws LedgerError 501 NOT_ON_THIS_LEDGER for other functions, 400 for malformed kinds and amounts
 */
export function encodeMoneyCall(fn: string, args: string[]): string {
  const write = WRITES[fn];
  if (!write) throw notOnThisLedger(fn);
  const [name, values] = write(args);
  return MONEY_CORE_INTERFACE.encodeFunctionData(name, values);
}

type ErrorMap = Record<string, (args: readonly unknown[]) => LedgerError>;

const at =
  (code: string, status: 400 | 403 | 404 | 409 | 422 | 501, detail: string) =>
  (args: readonly unknown[]): LedgerError =>
    new LedgerError(code, detail, typeof args[0] === 'string' ? args[0] : undefined, status);

/** MoneyCore's custom errors as the chaincode's codes (chaincode/core/*.ts). */
const ERRORS: ErrorMap = {
  InvalidId: at('INVALID_ID', 400, "must be 1-64 characters of letters, digits, '.', '_', ':' or '-'"),
  InvalidText: at('INVALID_ARGUMENT', 400, 'must be a non-empty string within its length limit'),
  InvalidAmount: () => new LedgerError('INVALID_AMOUNT', 'amount must be 1 to 10^15 fen', 'amount', 400),
  InvalidKind: () => new LedgerError('INVALID_ARGUMENT', 'unknown account kind', 'kind', 400),
  NotOnThisLedger: (args) =>
    new LedgerError('NOT_ON_THIS_LEDGER', `${String(args[0])} exist only on the chaincode ledgers`, undefined, 501),
  MemberNotFound: (args) => new LedgerError('MEMBER_NOT_FOUND', `no member ${String(args[0])}`, 'owner', 404),
  AccountNotFound: at('ACCOUNT_NOT_FOUND', 404, 'no such account'),
  AccountExists: () => new LedgerError('ACCOUNT_EXISTS', 'the account already exists', 'id', 409),
  AccountFrozen: at('ACCOUNT_FROZEN', 422, 'the account is frozen'),
  AccountClosed: at('ACCOUNT_CLOSED', 422, 'the account is closed'),
  NotAccountOwner: at('NOT_ACCOUNT_OWNER', 403, 'the caller does not own the account'),
  NotAccountBank: at('NOT_ACCOUNT_BANK', 403, 'the account is kept by another bank'),
  SameAccount: () => new LedgerError('SAME_ACCOUNT', 'from and to are the same account', 'to', 422),
  InsufficientFunds: (args) =>
    new LedgerError('INSUFFICIENT_FUNDS', `${String(args[0])} fen available, ${String(args[1])} needed`, 'amount', 422),
  IdempotencyConflict: at('IDEMPOTENCY_CONFLICT', 409, 'the key was used with other values'),
  BalanceNotZero: () => new LedgerError('BALANCE_NOT_ZERO', 'the account still holds money', 'id', 422),
  FreezeNotFound: () => new LedgerError('FREEZE_NOT_FOUND', 'no freeze under this order', 'order', 422),
  NotFreezeAuthority: () =>
    new LedgerError('NOT_FREEZE_AUTHORITY', 'only the authority that imposed the freeze lifts it', 'order', 403),
  RoleRequired: () => new LedgerError('ROLE_REQUIRED', 'the caller lacks the role this needs', undefined, 403),
  AdminRequired: () => new LedgerError('ADMIN_REQUIRED', 'an org admin does this', undefined, 403),
  HandleTaken: (args) =>
    new LedgerError('MEMBER_EXISTS', `${String(args[0])} is registered to another key`, 'name', 409),
  InvalidName: () => new LedgerError('INVALID_ARGUMENT', 'names are 1-64 bytes', 'name', 400),
};

/**
 * The LedgerError for a MoneyCore revert, or undefined when `err` is not one.
 */
export function moneyCoreError(err: unknown): LedgerError | undefined {
  const data = isCallException(err) ? err.data : undefined;
  if (!data) return undefined;
  const parsed = MONEY_CORE_INTERFACE.parseError(data);
  const make = parsed ? ERRORS[parsed.name] : undefined;
  if (!parsed || !make) return undefined;
  const e = make(parsed.args);
  return e;
}
