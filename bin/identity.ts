/**
 * `lianjian identity create|register|revoke|list`: a member's key is made and kept where the
 * member is; only the public key goes to the chain, registered by an admin of the member's org
 * through the REST API with the admin's own key.
 */
import path from 'node:path';
import { ApiError, LianjianClient } from '../gateway/sdk';
import { evmPublicKey } from '../ledger/evm/money-core-calls';
import { ensureMemberKey } from '../ledger/identities';
import { KEY_ID_RE, Wallet } from '../ledger/wallet';
import { CONNECTION_FLAGS, CONNECTION_USAGE, connectionOf, onlyFlags } from './connect';
import { flag, Flags, parseFlags } from './flags';

const USAGE = `usage:
  lianjian identity create --org <mspId> --name <name> [--role <role>[,<role>]] [--admin] [--display-name <户名>]
                           [--valid-until <ISO time>] [--evm] [--wallet ./wallet] [--admin-key <file>] [connection]
      makes the member's SM2 key in the wallet (--evm: and its secp256k1 key, for LEDGER=evm);
      registers its public key when an admin key of the org is at hand
  lianjian identity register --name <name> --public-key <04...> [--role ...] [--admin] [--display-name ...]
                           --admin-key <file> [connection]       an org admin registers a member's public key
  lianjian identity revoke --handle <mspId:name> --reason <text> --admin-key <file> [connection]
  lianjian identity list [--wallet ./wallet]
connection: ${CONNECTION_USAGE}`;

const FLAGS = [
  ...CONNECTION_FLAGS,
  ...['org', 'name', 'role', 'admin', 'display-name', 'valid-until', 'wallet', 'admin-key', 'public-key'],
  ...['handle', 'reason', 'evm'],
];

const defaults = (f: Flags): { wallet: Wallet } => ({
  wallet: new Wallet(path.resolve(flag(f, 'wallet', process.env.LIANJIAN_WALLET || './wallet')!)),
});

function adminClient(f: Flags, fallbackFile?: string): LianjianClient | undefined {
  const file = flag(f, 'admin-key', fallbackFile);
  if (!file) return undefined;
  const wallet = new Wallet(path.dirname(path.dirname(path.resolve(file))));
  const keyId = `${path.basename(path.dirname(file))}:${path.basename(file, '.json')}`;
  const admin = wallet.get(keyId);
  const { url, tls } = connectionOf(f);
  return admin ? new LianjianClient({ baseUrl: url, identity: admin, tls }) : undefined;
}

function registration(f: Flags, name: string, publicKey: string): Record<string, unknown> {
  return {
    name,
    publicKey,
    roles: (f.role ?? []).flatMap((r) => r.split(',')).filter(Boolean),
    ...(flag(f, 'admin') === 'true' ? { admin: true } : {}),
    ...(flag(f, 'display-name') ? { displayName: flag(f, 'display-name') } : {}),
    ...(flag(f, 'valid-until') ? { validUntil: flag(f, 'valid-until') } : {}),
  };
}

async function register(admin: LianjianClient, body: Record<string, unknown>): Promise<number> {
  try {
    const member = await admin.post<{ handle: string; roles: string[] }>('/v1/members', body);
    console.log(`registered ${member.handle} roles=${member.roles.join(',')}`);
    return 0;
  } catch (err) {
    const e = err as ApiError;
    console.error(`registration refused: ${e.code ?? ''} ${e.message}`);
    return 1;
  }
}

async function create(f: Flags): Promise<number> {
  const { wallet } = defaults(f);
  const org = flag(f, 'org');
  const name = flag(f, 'name');
  if (!org || !name || !KEY_ID_RE.test(`${org}:${name}`)) throw new Error('--org and --name are required');
  const keyId = `${org}:${name}`;
  const body = registration(f, name, '');
  const member = { mspId: org, name, roles: body.roles as string[], admin: body.admin === true };
  const { key, created } = ensureMemberKey(wallet, member, { evm: flag(f, 'evm') === 'true' });
  console.log(`${created ? 'created' : 'exists '} ${keyId} key file: ${wallet.fileOf(keyId)} (keep it private)`);
  // On LEDGER=evm a member registers its account address beside its SM2 key (docs/evm.md).
  const publicKey = key.secp256k1 ? evmPublicKey(key.secp256k1.address, key.sm2.publicKey) : key.sm2.publicKey;
  console.log(`public key: ${publicKey}`);
  const admin = adminClient(f, wallet.get(`${org}:admin`) ? wallet.fileOf(`${org}:admin`) : undefined);
  if (!admin) {
    console.log(
      `give the public key to an admin of ${org}: lianjian identity register --name ${name} --public-key ${publicKey} ...`,
    );
    return 0;
  }
  return register(admin, registration(f, name, publicKey));
}

async function revoke(f: Flags): Promise<number> {
  const handle = flag(f, 'handle');
  const reason = flag(f, 'reason');
  const admin = adminClient(f);
  if (!handle || !reason || !admin) throw new Error('--handle, --reason and --admin-key are required');
  const member = await admin.post<{ handle: string; status: string }>(
    `/v1/members/${encodeURIComponent(handle)}/revoke`,
    { reason },
  );
  console.log(`${member.handle} is ${member.status}`);
  return 0;
}

export async function identityCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  let f: Flags;
  try {
    f = parseFlags(rest, ['admin', 'evm']);
    onlyFlags(f, FLAGS);
    if (sub === 'list') {
      const { wallet } = defaults(f);
      for (const keyId of wallet.list()) console.log(`${keyId.padEnd(24)} ${wallet.fileOf(keyId)}`);
      return 0;
    }
    if (sub === 'create') return await create(f);
    if (sub === 'revoke') return await revoke(f);
    if (sub === 'register') {
      const name = flag(f, 'name');
      const publicKey = flag(f, 'public-key');
      const admin = adminClient(f);
      if (!name || !publicKey || !admin) throw new Error('--name, --public-key and --admin-key are required');
      return await register(admin, registration(f, name, publicKey));
    }
  } catch (err) {
    if (err instanceof ApiError) {
      console.error(`${err.code}: ${err.message}`);
      return 1;
    }
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  console.error(USAGE);
  return 2;
}
