/**
 * The small command-line layer shared by the research commands: typed flags, `--help`, and
 * errors that name the flag and what was received.
 */

/** The kinds of flag value. */
export type FlagKind = 'int' | 'number' | 'string' | 'bool';

/** One flag's description. */
export interface FlagSpec {
  readonly kind: FlagKind;
  readonly help: string;
  readonly default?: string | number | boolean;
  readonly required?: boolean;
  /** For ints and numbers: the smallest allowed value. */
  readonly min?: number;
  /** For strings: the allowed values. */
  readonly choices?: readonly string[];
}

/** Raised for a bad command line; the message names the flag and the value received. */
export class UsageError extends Error {
  /** Returns a new usage error. */
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parsed flags: name → value. */
export type Flags = Readonly<Record<string, string | number | boolean | undefined>>;

/** Returns the usage text of a command. */
export function usage(command: string, summary: string, specs: Readonly<Record<string, FlagSpec>>): string {
  const lines = [`Usage: npx tsx tools/src/research/${command}.ts [options]`, '', summary, '', 'Options:'];
  for (const [name, s] of Object.entries(specs)) {
    const extra = [s.required ? 'required' : undefined, s.default !== undefined ? `default ${String(s.default)}` : undefined, s.choices ? `one of ${s.choices.join(', ')}` : undefined].filter(Boolean).join('; ');
    lines.push(`  --${name}${s.kind === 'bool' ? '' : ` <${s.kind}>`}`.padEnd(30) + s.help + (extra ? ` (${extra})` : ''));
  }
  lines.push(`  --help`.padEnd(30) + 'Print this help and exit.');
  return lines.join('\n');
}

/** Returns the flags of `argv` (without node and the script) or throws UsageError; `help` is true when --help was given. */
export function parseFlags(argv: readonly string[], specs: Readonly<Record<string, FlagSpec>>): { flags: Flags; help: boolean } {
  const out: Record<string, string | number | boolean | undefined> = {};
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}: options start with --`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = specs[name];
    if (spec === undefined) throw new UsageError(`unknown option --${name} (see --help)`);
    let raw: string;
    if (spec.kind === 'bool' && eq < 0) {
      out[name] = true;
      continue;
    }
    if (eq > 0) raw = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value (${spec.kind}), received nothing`);
      raw = next;
      i += 1;
    }
    out[name] = convert(name, spec, raw);
  }
  if (help) return { flags: out, help };
  for (const [name, spec] of Object.entries(specs)) {
    if (out[name] === undefined && spec.default !== undefined) out[name] = spec.default;
    if (out[name] === undefined && spec.required) throw new UsageError(`--${name} is required (${spec.help})`);
  }
  return { flags: out, help };
}

function convert(name: string, spec: FlagSpec, raw: string): string | number | boolean {
  switch (spec.kind) {
    case 'bool':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw new UsageError(`--${name} must be true or false, received ${JSON.stringify(raw)}`);
    case 'int': {
      const n = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(n)) throw new UsageError(`--${name} must be an integer, received ${JSON.stringify(raw)}`);
      if (spec.min !== undefined && n < spec.min) throw new UsageError(`--${name} must be at least ${spec.min}, received ${n}`);
      return n;
    }
    case 'number': {
      const n = raw.trim() === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a finite number, received ${JSON.stringify(raw)}`);
      if (spec.min !== undefined && n < spec.min) throw new UsageError(`--${name} must be at least ${spec.min}, received ${n}`);
      return n;
    }
    case 'string':
      if (spec.choices && !spec.choices.includes(raw)) throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}, received ${JSON.stringify(raw)}`);
      if (raw === '') throw new UsageError(`--${name} must not be empty`);
      return raw;
  }
}

/**
 * Runs a command's main function with uniform error handling: usage errors print the message
 * and exit with `usageExit`; other errors print the message and exit with `errorExit`.
 */
export function runMain(main: () => Promise<number>, usageExit = 2, errorExit = 1): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      const err = e as Error;
      process.stderr.write(`${err instanceof UsageError ? 'error' : err.name ?? 'error'}: ${err.message}\n`);
      process.exitCode = err instanceof UsageError ? usageExit : errorExit;
    },
  );
}
