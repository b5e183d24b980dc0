// `holdfast trust status|pin`: what a replica's data folder trusts, and pinning the organisation's
// key out of band (from what `holdfast server org-key show` prints). Both go through the engine's
// own calls, so the checks are the app's.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { groupedFingerprint, normalFingerprint, type TrustStatus } from '@shared/trust/api';
import { publicKeyPattern } from '@shared/trust/types';
import { openEngine } from '../engine/engine';
import { callEngine } from './engine-call';
import { dataDirOption, parseStrict, UsageError, type CliIo, type Command } from './io';

const trustUsage = 'holdfast trust status [--json] [--data DIR] | pin [--fingerprint F] [--data DIR] [--] KEYFILE|PUBLIC_KEY (a key starting with - goes after --)';

export const trustCommand: Command = async (args, io) => {
  const [action, ...rest] = args;
  if (action === 'status') return statusCommand(rest, io);
  if (action === 'pin') return pinCommand(rest, io);
  throw new UsageError(`usage: ${trustUsage}`);
};

async function statusCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseStrict(args, { data: { type: 'string' }, json: { type: 'boolean' } });
  const engine = openEngine({ dataDir: dataDirOption(values.data), host: 'web', log: io.err });
  try {
    const status = await callEngine(engine, io.err, 'trust.status', {});
    if (values.json) io.out(JSON.stringify(status, null, 2));
    else for (const line of describeStatus(status)) io.out(line);
    return 0;
  } finally {
    await engine.close();
  }
}

async function pinCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseStrict(args, { data: { type: 'string' }, fingerprint: { type: 'string' } }, 1);
  if (!positionals[0]) throw new UsageError(`name the org key to pin: ${trustUsage}`);
  const key = orgKeyOf(positionals[0]);
  const fingerprint = values.fingerprint ?? key.fingerprint;
  const engine = openEngine({ dataDir: dataDirOption(values.data), host: 'web', log: io.err });
  try {
    const status = await callEngine(engine, io.err, 'trust.pin', { publicKey: key.publicKey, ...(fingerprint === undefined ? {} : { fingerprint }) });
    io.out(`pinned org key ${status.orgKeyId} (fingerprint ${status.orgFingerprint})`);
    if (status.certId === null) io.out('this replica has no certificate yet: connect to the Holdfast service once before writing');
    return 0;
  } finally {
    await engine.close();
  }
}

/** The status as `holdfast trust status` prints it, one fact per line. */
export function describeStatus(status: TrustStatus): string[] {
  const expires = status.certExpiresAt === null ? '' : `, expires ${new Date(status.certExpiresAt).toISOString()}`;
  return [
    `mode\t${status.mode}`,
    `user\t${status.user}${status.role === null ? '' : ` (${status.role})`}`,
    `certificate\t${status.certId === null ? 'none' : `${status.certId}${expires}`}`,
    `org key\t${status.orgKeyId ?? 'none pinned'}`,
    ...(status.orgFingerprint === null ? [] : [`fingerprint\t${status.orgFingerprint}`]),
    `held ops\t${status.heldCount}`,
  ];
}

/**
 * The key to pin from the command line: a base64url public key as is, or a file holding what
 * `holdfast server org-key show` prints (its JSON, or its `name<TAB>value` lines).
 */
function orgKeyOf(argument: string): { publicKey: string; fingerprint?: string } {
  if (publicKeyPattern.test(argument.trim())) return { publicKey: argument.trim() };
  const file = resolve(argument);
  if (!existsSync(file)) {
    if (/^[0-9a-f]{64}$/.test(normalFingerprint(argument))) {
      throw new UsageError(
        `${groupedFingerprint(normalFingerprint(argument))} is a fingerprint, which cannot pin a key by itself: give the key file or public key, with --fingerprint to check it`,
      );
    }
    throw new UsageError(`${argument} is neither a base64url org public key nor a file: give what \`holdfast server org-key show\` prints`);
  }
  if (statSync(file).size > 64 * 1024) throw new Error(`${file} is too large to be an org key file`);
  const text = readFileSync(file, 'utf8');
  const fields = parseKeyFile(text);
  if (typeof fields.publicKey !== 'string') throw new Error(`${file} names no publicKey: give the output of \`holdfast server org-key show\``);
  return { publicKey: fields.publicKey, ...(typeof fields.fingerprint === 'string' ? { fingerprint: fields.fingerprint } : {}) };
}

function parseKeyFile(text: string): Record<string, unknown> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as unknown;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // reported below as a file naming no key
    }
    return {};
  }
  // `holdfast server org-key show` without --json: `name<TAB>value` lines.
  return Object.fromEntries(
    trimmed
      .split(/\r?\n/)
      .map((line) => line.split('\t'))
      .filter((parts) => parts.length === 2)
      .map(([name, value]) => [name.trim(), value.trim()]),
  );
}
