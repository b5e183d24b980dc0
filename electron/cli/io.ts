// What every `holdfast` command shares: its input/output, usage errors and option parsing.
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { defaultDataDir } from '../engine/core/paths';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Resolves when the user asks a long-running command to stop (Ctrl+C, SIGTERM). */
  untilStopped: () => Promise<void>;
}

export type Command = (args: string[], io: CliIo) => Promise<number>;

/** Bad usage: exits 2 with the message. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(port) || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, got "${value}"`);
  }
  return port;
}

/** `--data DIR`, or the default replica folder. */
export function dataDirOption(value: string | undefined): string {
  if (value === '') throw new UsageError('--data needs a folder path');
  return resolve(value ?? defaultDataDir());
}

/** Strict parsing: unknown options and stray arguments are usage errors. */
export function parseStrict<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals = 0) {
  const parsed = parseArgs({ args, options, strict: true, allowPositionals: positionals > 0 });
  if (parsed.positionals.length > positionals) {
    throw new UsageError(`Unexpected argument "${parsed.positionals[positionals]}"`);
  }
  return parsed;
}
