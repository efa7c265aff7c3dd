/** `lianjian identity create --org <mspId> --role <role>[,<role>] --name <name>` (also `identity list`). */
import { loadConfig } from './config';
import { createLedger } from '../ledger/index';
import { createMember } from '../ledger/identities';
import { openWallet } from '../ledger/wallet';

const USAGE =
  'usage: lianjian identity create --org <mspId> --role <role>[,<role>...] --name <name>\n       lianjian identity list';

function flags(args: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < args.length; i++) {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(args[i]);
    if (!m) throw new Error(`unexpected argument ${args[i]}`);
    const v = m[2] ?? args[++i];
    if (v === undefined) throw new Error(`--${m[1]} needs a value`);
    (out[m[1]] ??= []).push(v);
  }
  return out;
}

export async function identityCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const config = loadConfig();
  const wallet = openWallet(config.dataDir);
  if (sub === 'list') {
    for (const k of wallet.list())
      console.log(`${k.padEnd(24)} ${wallet.get(k)?.roles.join(',') ?? ''}  ${wallet.fileOf(k)}`);
    return 0;
  }
  if (sub !== 'create') {
    console.error(USAGE);
    return 2;
  }
  let f: Record<string, string[]>;
  try {
    f = flags(rest);
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const [org, name] = [f.org?.[0], f.name?.[0]];
  const roles = (f.role ?? []).flatMap((r) => r.split(',')).filter(Boolean);
  if (!org || !name || roles.length === 0) {
    console.error(USAGE);
    return 2;
  }
  // The embedded engine's store is single-process: stop the gateway before creating identities.
  const ledger = await createLedger(config);
  try {
    const { identity, file, created } = await createMember(ledger, wallet, { mspId: org, name, roles });
    console.log(
      `${created ? 'created' : 'exists '} ${identity.keyId} roles=${identity.roles.join(',')} key file: ${file}`,
    );
    return 0;
  } catch (err) {
    const e = err as { code?: string; detail?: string; message: string };
    console.error(`identity create failed: ${e.code ?? ''} ${e.detail ?? e.message}`);
    return 1;
  } finally {
    await ledger.close();
  }
}
