/**
 * `lianjian audit verify [--data DIR | --file FILE]`: checks the SM3 chain of the gateway's audit
 * log (default $AUDIT_DIR or <LIANJIAN_DATA>/audit/audit.log) and prints
 * `OK entries=N head=<hash>` or `BAD line=N entry=S reason=...`. Exit 0 OK, 1 BAD, 2 usage.
 * The service may keep running: lines are appended whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { auditFile, verifyAuditLog } from '../gateway/audit-log';
import { flag, parseCommandLine } from './flags';

const USAGE = 'usage: lianjian audit verify [--data DIR (default $LIANJIAN_DATA or ./data)] [--file AUDIT_LOG]';

function fileOf(args: string[]): string {
  const { flags } = parseCommandLine(args, { known: ['data', 'file'] });
  const file = flag(flags, 'file');
  if (file) return path.resolve(file);
  const data = flag(flags, 'data');
  const dir = data
    ? path.join(data, 'audit')
    : process.env.AUDIT_DIR || path.join(process.env.LIANJIAN_DATA || './data', 'audit');
  return auditFile(path.resolve(dir));
}

export async function auditCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  let file: string;
  try {
    if (sub !== 'verify') throw new Error(sub ? `unknown subcommand ${sub}` : 'which subcommand?');
    file = fileOf(rest);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (!fs.existsSync(file)) {
    process.stderr.write(`no audit log at ${file}\n${USAGE}\n`);
    return 2;
  }
  const verdict = await verifyAuditLog(file);
  if (verdict.ok) {
    process.stdout.write(`OK entries=${verdict.entries} head=${verdict.head}\n`);
    return 0;
  }
  const entry = verdict.entry !== undefined ? ` entry=${verdict.entry}` : '';
  process.stdout.write(`BAD line=${verdict.line}${entry} reason=${verdict.reason}\n`);
  return 1;
}
