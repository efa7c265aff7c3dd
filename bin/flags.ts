/** The one flag style of every `lianjian` command: `--name value` or `--name=value`, repeatable. */
export type Flags = Record<string, string[]>;

/**
 * Parses `--name value` / `--name=value` pairs (and bare `--switch` for names in `switches`).
 * @throws Error naming an unexpected argument or a flag without its value
 */
export function parseFlags(args: string[], switches: readonly string[] = []): Flags {
  const out: Flags = {};
  for (let i = 0; i < args.length; i++) {
    const match = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(args[i]);
    if (!match) throw new Error(`unexpected argument ${args[i]}`);
    const [, name, inline] = match;
    if (switches.includes(name) && inline === undefined) {
      (out[name] ??= []).push('true');
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    (out[name] ??= []).push(value);
  }
  return out;
}

/** The last value of `--name`, or `fallback`. */
export const flag = (flags: Flags, name: string, fallback?: string): string | undefined =>
  flags[name]?.[flags[name].length - 1] ?? fallback;
