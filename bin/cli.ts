/** `lianjian <command>`: each command lives beside the code it operates, loaded lazily. */
type Command = { summary: string; load: () => Promise<(args: string[]) => Promise<number>> };

const commands: Record<string, Command> = {
  gm: { summary: 'SM2/SM3/SM4 tools: sm3, keygen, sign, verify', load: async () => (await import('./gm')).gmCommand },
  'verify-chain': {
    summary: 're-hash and re-verify an embedded ledger: verify-chain [dataDir]',
    load: async () => (await import('../network/embedded/verify-chain')).verifyChainCommand,
  },
  reconcile: {
    summary: "reconcile the banks' books with the chain: reconcile [--account A] [--from --to] [--json|--csv]",
    load: async () => (await import('../oracles/recon/cli')).reconcileCommand,
  },
  demo: {
    summary: 'seed a small demo story into a running service: demo [--url U] [--wallet DIR]',
    load: async () => (await import('./demo/index')).demoCommand,
  },
  identity: {
    summary: 'member keys: identity create|register|revoke|list (the key stays where you run it)',
    load: async () => (await import('./identity')).identityCommand,
  },
};

export function usage(): string {
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`);
  return ['usage: lianjian <command> [options]', '', 'commands:', ...rows].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const cmd = name ? commands[name] : undefined;
  if (!cmd) {
    console.error(usage());
    return name && name !== '--help' && name !== 'help' ? 2 : 0;
  }
  const run = await cmd.load();
  return run(rest);
}
