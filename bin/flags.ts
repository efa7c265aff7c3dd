/** The one flag style of every `lianjian` command: `--name value` or `--name=value`, repeatable. */
export type Flags = Record<string, string[]>;

export interface CommandLine {
  flags: Flags;
  /** Bare arguments in order (e.g. the hex message of `gm sm3`). */
  positionals: string[];
}

export interface CommandLineSpec {
  /** Flags that take no value (`--pem`). */
  switches?: readonly string[];
  /** The flags the command knows; any other is refused. Default: any. */
  known?: readonly string[];
  /** Bare arguments allowed (default none). */
  positionals?: boolean;
}

/**
 * Parses `--name value` / `--name=value` pairs, bare `--switch`es and, when allowed, bare arguments.
 * @throws Error naming an unexpected argument, an unknown flag or a flag without its value
 */
export function parseCommandLine(args: string[], spec: CommandLineSpec = {}): CommandLine {
  const flags: Flags = {};
  const positionals: string[] = [];
  const switches = spec.switches ?? [];
  for (let i = 0; i < args.length; i++) {
    const match = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(args[i]);
    if (!match) {
      if (!spec.positionals || args[i].startsWith('-')) throw new Error(`unexpected argument ${args[i]}`);
      positionals.push(args[i]);
      continue;
    }
    const [, name, inline] = match;
    if (spec.known && !spec.known.includes(name) && !switches.includes(name))
      throw new Error(`unknown option --${name}`);
    const isSwitch = switches.includes(name) && inline === undefined;
    const value = isSwitch ? 'true' : (inline ?? args[++i]);
    if (value === undefined) throw new Error(`--${name} needs a value`);
    (flags[name] ??= []).push(value);
  }
  return { flags, positionals };
}

/**
 * Parses `--name value` / `--name=value` pairs (and bare `--switch` for names in `switches`).
 * @throws Error naming an unexpected argument or a flag without its value
 */
export function parseFlags(args: string[], switches: readonly string[] = []): Flags {
  return parseCommandLine(args, { switches }).flags;
}

/** The last value of `--name`, or `fallback`. */
export const flag = (flags: Flags, name: string, fallback?: string): string | undefined =>
  flags[name]?.[flags[name].length - 1] ?? fallback;
