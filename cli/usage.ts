// Argument errors and number parsing shared by the subcommands. A UsageError ends the process
// with status 2 and `ringlab COMMAND: message`, never a stack trace.

import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** By name, not instanceof: each command's bundle in dist/ carries its own copy of the class. */
export function isUsageError(e: unknown): e is UsageError {
  return e instanceof Error && e.name === 'UsageError';
}

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

/** node:util parseArgs in strict mode, its errors turned into UsageErrors that name the command. */
export function parseCommandArgs(command: string, args: readonly string[], options: Options): ParsedArgs {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    const message = e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, '') : String(e);
    throw new UsageError(`${message} (see ringlab ${command} --help)`);
  }
}

/** An address or count as users write it: 0x100000, 100000h, 1048576, 0b101. */
export function parseNumber(text: string, what: string): number {
  const t = text.trim().toLowerCase().replace(/_/g, '');
  let value: number;
  if (/^0x[0-9a-f]+$/.test(t)) value = parseInt(t.slice(2), 16);
  else if (/^[0-9][0-9a-f]*h$/.test(t)) value = parseInt(t.slice(0, -1), 16);
  else if (/^0b[01]+$/.test(t)) value = parseInt(t.slice(2), 2);
  else if (/^[0-9]+$/.test(t)) value = parseInt(t, 10);
  else throw new UsageError(`${what}: '${text}' is not a number (write 0x100000 or 1048576)`);
  if (value > 0xffffffff) throw new UsageError(`${what}: ${text} does not fit in 32 bits`);
  return value;
}

/** `0x` and zero-padded to 8 digits, as user-facing addresses are written everywhere. */
export function hex32(value: number): string {
  return `0x${(value >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

export function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/** The value of a string option (the last one when it is repeated). */
export function stringOption(parsed: ParsedArgs, name: string): string | undefined {
  const v = parsed.values[name];
  if (Array.isArray(v)) return v.length > 0 ? String(v[v.length - 1]) : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** Every value of a repeatable string option. */
export function stringOptions(parsed: ParsedArgs, name: string): string[] {
  const v = parsed.values[name];
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' ? [v] : [];
}

/** Exactly one positional argument, named in the message when it is missing or repeated. */
export function onePositional(command: string, parsed: ParsedArgs, what: string): string {
  if (parsed.positionals.length === 0) throw new UsageError(`missing ${what} (see ringlab ${command} --help)`);
  if (parsed.positionals.length > 1) throw new UsageError(`expected one ${what}, got ${parsed.positionals.join(' ')}`);
  return parsed.positionals[0]!;
}

/** `-D NAME` / `-D NAME=VALUE` options (as `nasm -D`): the assembler's predefined macros. */
export function parseDefines(list: readonly string[]): Record<string, string> {
  const defines: Record<string, string> = {};
  for (const d of list) {
    const m = /^([A-Za-z_.?][\w.?$#@~]*)(?:=(.*))?$/s.exec(d);
    if (!m) throw new UsageError(`-D ${d}: expected NAME or NAME=VALUE`);
    defines[m[1]!] = m[2] ?? '';
  }
  return defines;
}

/** An optional count option (decimal, 0x hex, 1e6, with _ separators) within [min, max]. */
export function optionalCount(text: string | undefined, what: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim().toLowerCase().replace(/_/g, '');
  let value: number;
  if (/^0x[0-9a-f]+$/.test(t)) value = parseInt(t.slice(2), 16);
  else if (/^[0-9]+$/.test(t)) value = Number(t);
  else if (/^[0-9]+(\.[0-9]+)?e[0-9]+$/.test(t)) value = Number(t);
  else throw new UsageError(`${what}: '${text}' is not a whole number`);
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new UsageError(`${what}: ${text} is out of range (${min} to ${max})`);
  return value;
}
