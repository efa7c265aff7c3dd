/** `lianjian <command>`: each command lives beside the code it operates, loaded lazily. */
type Command = { summary: string; load: () => Promise<(args: string[]) => Promise<number>> };

const commands: Record<string, Command> = {
  gm: { summary: 'SM2/SM3/SM4 tools: sm3, keygen, sign, verify', load: async () => (await import('./gm')).gmCommand },
  'verify-chain': {
    summary:
      're-hash and re-verify the embedded ledger (service stopped): verify-chain [--data DIR] [--replay] [--witness [--rpc URL]]',
    load: async () => (await import('./verify-chain')).verifyChainCommand,
  },
  'evm-deploy': {
    summary:
      'an org admin deploys the EVM ledger (LEDGER=evm) with its own key: evm-deploy --key FILE [--rpc URL] [--data DIR]',
    load: async () => (await import('./evm-deploy')).evmDeployCommand,
  },
  reconcile: {
    summary:
      "reconcile the bank's books with the chain (service stopped): reconcile [--account A] [--from --to] [--json|--csv] [--data DIR]",
    load: async () => (await import('./reconcile')).reconcileCommand,
  },
  demo: {
    summary: 'seed a small demo story into a running service: demo [--url U] [--ca FILE] [--wallet DIR]',
    load: async () => (await import('./demo/index')).demoCommand,
  },
  audit: {
    summary: "check the SM3 chain of the gateway's audit log: audit verify [--data DIR | --file FILE]",
    load: async () => (await import('./audit')).auditCommand,
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
