// `holdfast server`: runs the central sync service, manages its users, tokens and certificates,
// and verifies the hash chains it stores.
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { roles, type Role } from '@shared/roles';
import { hashToken } from '../../server/central-backend';
import { openSyncStore } from '../../server/storage/open-store';
import { DuplicateUserError, type SyncStore } from '../../server/storage/sync-store';
import { startService } from '../../server/service';
import { describeStoreBreak, verifyStore } from '../../server/storage/verify-store';
import { createTrustIssuer } from '../../server/trust/issue';
import { openServiceKeys, orgKeyFileOf, publishOrgKey } from '../../server/trust/org-key';
import { rotateOrgKey } from '../../server/trust/rotate';
import { defaultDataDir } from '../engine/core/paths';
import { parsePort, parseStrict, UsageError, type CliIo, type Command } from './io';

const storeOptions = (data: string | undefined) => ({
  dataDir: resolve(data ?? join(defaultDataDir(), 'server')),
  databaseUrl: process.env.DATABASE_URL || undefined,
  // A PostgreSQL read replica for pulls (docs/operations.md, "PostgreSQL").
  readDatabaseUrl: process.env.DATABASE_READ_URL || undefined,
});

const describeStore = (options: ReturnType<typeof storeOptions>) =>
  options.databaseUrl ? `PostgreSQL (${new URL(options.databaseUrl).host}${new URL(options.databaseUrl).pathname})` : `SQLite in ${options.dataDir}`;

/** The org key file (--org-key, HOLDFAST_ORG_KEY_FILE, or under the data folder) and the trust issuer over it. */
async function openTrust(store: SyncStore, options: ReturnType<typeof storeOptions>, orgKeyFlag: string | undefined, certDays?: number) {
  const file = orgKeyFileOf({ flag: orgKeyFlag, env: process.env.HOLDFAST_ORG_KEY_FILE, dataDir: options.dataDir });
  return createTrustIssuer(store, await openServiceKeys(store, file), { certDays });
}

function parseCertDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const days = Number(value);
  if (!/^\d+$/.test(value) || days < 1 || days > 365) throw new UsageError('--cert-days must be a whole number of days from 1 to 365');
  return days;
}

export const serverCommand: Command = async (args, io) => {
  if (args[0] === 'user') return userCommand(args.slice(1), io);
  if (args[0] === 'device') return deviceCommand(args.slice(1), io);
  if (args[0] === 'org-key') return orgKeyCommand(args.slice(1), io);
  if (args[0] === 'verify-chain') return verifyChainCommand(args.slice(1), io);
  const { values } = parseStrict(args, {
    data: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    'org-key': { type: 'string' },
    'cert-days': { type: 'string' },
  });
  if (Boolean(values.cert) !== Boolean(values.key)) throw new UsageError('--cert and --key go together: give both for TLS, or neither');
  const certDays = parseCertDays(values['cert-days']);
  const options = storeOptions(values.data);
  const store = await openSyncStore(options);
  try {
    const trust = await openTrust(store, options, values['org-key'], certDays);
    const service = await startService({
      trust,
      store,
      host: values.host ?? '127.0.0.1',
      port: parsePort(values.port, 7430),
      tls: values.cert && values.key ? { certFile: resolve(values.cert), keyFile: resolve(values.key) } : undefined,
      onPurged: (line) => io.out(line),
    });
    io.out(`Holdfast sync service on ${service.url} (storage: ${describeStore(options)})`);
    io.out(`Org key ${trust.keys.org.keyId} from ${trust.keys.orgKeyFile} (fingerprint ${publishOrgKey(trust.keys.org).fingerprint})`);
    if ((await store.listUsers()).length === 0) io.out('No users yet: add one with `holdfast server user add NAME --role admin`.');
    await io.untilStopped();
    await service.close();
    return 0;
  } finally {
    await store.close();
  }
};

const userUsage = 'holdfast server user add NAME --role ROLE | list | revoke NAME  [--data DIR]';

async function userCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseStrict(rest, { data: { type: 'string' }, role: { type: 'string' }, 'org-key': { type: 'string' } }, 1);
  if (action !== 'add' && action !== 'list' && action !== 'revoke') throw new UsageError(`usage: ${userUsage}`);
  const options = storeOptions(values.data);
  const store = await openSyncStore(options);
  try {
    if (action === 'list') {
      if (positionals.length > 0) throw new UsageError(`usage: ${userUsage}`);
      for (const user of await store.listUsers()) {
        io.out(`${user.name}\t${user.role}\t${user.revokedAt ? `revoked ${new Date(user.revokedAt).toISOString()}` : 'active'}`);
      }
      return 0;
    }
    const name = positionals[0];
    if (!name) throw new UsageError(`name the user: ${userUsage}`);
    if (action === 'revoke') {
      const at = Date.now();
      if (!(await store.revokeUser(name, at))) throw new Error(`there is no active user named "${name}"`);
      io.out(`revoked every token of ${name}`);
      // No org key yet means no certificate was ever issued here.
      if ((await store.orgKeys()).length === 0) return 0;
      const trust = await openTrust(store, options, values['org-key']);
      const revoked = await trust.revoke(
        (await trust.certificates()).filter((c) => c.body.user === name),
        at,
        `user ${name} revoked`,
      );
      io.out(`revoked ${revoked.length} device certificate${revoked.length === 1 ? '' : 's'} of ${name}`);
      return 0;
    }
    if (!/^[\p{L}\p{N}][\p{L}\p{N}._@-]{0,63}$/u.test(name)) {
      throw new UsageError('a user name is 1 to 64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit');
    }
    if (!roles.includes(values.role as Role)) throw new UsageError(`--role must be one of ${roles.join(', ')}`);
    const token = `hf_${randomBytes(32).toString('base64url')}`;
    try {
      await store.addUser({ name, role: values.role as Role, tokenHash: hashToken(token), createdAt: Date.now() });
    } catch (error) {
      if (error instanceof DuplicateUserError) throw new Error(`${error.message}; revoke it first to issue a new token`, { cause: error });
      throw error;
    }
    io.out(`added ${name} (${values.role}) to ${describeStore(options)}`);
    io.out(`token (shown once, store it now): ${token}`);
    return 0;
  } finally {
    await store.close();
  }
}

const deviceUsage = 'holdfast server device revoke DEVICE_ID [--since ISO] [--reason TEXT]  [--data DIR] [--org-key FILE]';

/** `server device revoke`: every certificate of a lost or stolen device, from --since (default now). */
async function deviceCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'revoke') throw new UsageError(`usage: ${deviceUsage}`);
  const { values, positionals } = parseStrict(
    rest,
    { data: { type: 'string' }, 'org-key': { type: 'string' }, since: { type: 'string' }, reason: { type: 'string' } },
    1,
  );
  const deviceId = positionals[0];
  if (!deviceId) throw new UsageError(`name the device: ${deviceUsage}`);
  if (!/^[0-9a-f]{16}$/.test(deviceId)) throw new UsageError('DEVICE_ID is 16 lowercase hex digits (Settings > Sync on that laptop shows it)');
  const since = values.since === undefined ? Date.now() : Date.parse(values.since);
  if (Number.isNaN(since) || (values.since !== undefined && !/^\d{4}-\d{2}-\d{2}/.test(values.since))) {
    throw new UsageError('--since must be an ISO date and time, e.g. 2030-01-31T12:00:00Z');
  }
  if (values.reason !== undefined && (values.reason.length === 0 || values.reason.length > 500)) throw new UsageError('--reason must be 1 to 500 characters');
  const options = storeOptions(values.data);
  const store = await openSyncStore(options);
  try {
    const trust = await openTrust(store, options, values['org-key']);
    const certificates = (await trust.certificates()).filter((c) => c.body.deviceId === deviceId);
    if (certificates.length === 0) throw new Error(`no certificate was issued to device ${deviceId} by ${describeStore(options)}`);
    const revoked = await trust.revoke(certificates, since, values.reason ?? 'device revoked by an administrator');
    io.out(`revoked ${revoked.length} certificate${revoked.length === 1 ? '' : 's'} of device ${deviceId} from ${new Date(since).toISOString()}`);
    for (const r of revoked) io.out(`${r.body.certId}\t${certificates.find((c) => c.certId === r.body.certId)?.body.user ?? ''}`);
    return 0;
  } finally {
    await store.close();
  }
}

const orgKeyUsage = 'holdfast server org-key show|rotate  [--data DIR] [--org-key FILE]';

/** `server org-key show`: what replicas pin out of band (made on first use, as the service would). */
async function orgKeyCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'show' && action !== 'rotate') throw new UsageError(`usage: ${orgKeyUsage}`);
  const { values } = parseStrict(rest, { data: { type: 'string' }, 'org-key': { type: 'string' } });
  const options = storeOptions(values.data);
  const store = await openSyncStore(options);
  try {
    if (action === 'rotate') return await rotateCommand(store, options, values['org-key'], io);
    const { keys } = await openTrust(store, options, values['org-key']);
    // The organisation's first key is the one replicas pin, also after rotations.
    const key = publishOrgKey(keys.orgKeys[0]);
    io.out(`keyId\t${key.keyId}`);
    io.out(`fingerprint\t${key.fingerprint}`);
    io.out(`publicKey\t${key.publicKey}`);
    io.out(`file\t${keys.orgKeyFile}`);
    return 0;
  } finally {
    await store.close();
  }
}

/** `server org-key rotate`: a new org key endorsed by the current one (run with the service stopped). */
async function rotateCommand(store: SyncStore, options: ReturnType<typeof storeOptions>, orgKeyFlag: string | undefined, io: CliIo): Promise<number> {
  const file = orgKeyFileOf({ flag: orgKeyFlag, env: process.env.HOLDFAST_ORG_KEY_FILE, dataDir: options.dataDir });
  const rotated = await rotateOrgKey(store, file);
  io.out(`rotated the org key of ${describeStore(options)}: ${rotated.previous.keyId} -> ${rotated.key.keyId} (fingerprint ${publishOrgKey(rotated.key).fingerprint})`);
  io.out(`new key: ${rotated.orgKeyFile}; previous key kept in ${rotated.previousFile}`);
  io.out('copy the new key file to every service node, then start the service: new certificates are issued with the new key');
  return 0;
}

/** `server verify-chain`: every device chain in the service store; exit 1 on any break. */
async function verifyChainCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseStrict(args, { data: { type: 'string' } });
  const store = await openSyncStore(storeOptions(values.data));
  try {
    const report = await verifyStore(store);
    for (const b of report.breaks) io.err(`holdfast server verify-chain: BROKEN: ${describeStoreBreak(b)}`);
    const notes = [
      ...(report.refused.length > 0 ? [`${report.refused.length} refused record(s) kept in their chains`] : []),
      ...(report.unsigned > 0 ? [`${report.unsigned} unsigned (legacy) record(s)`] : []),
    ];
    const summary = `${report.chains} chain(s) in ${report.streams} stream(s), ${report.ops} record(s)${notes.map((n) => `; ${n}`).join('')}`;
    if (report.breaks.length === 0) io.out(`ok: ${summary} verified`);
    else io.err(`holdfast server verify-chain: ${report.breaks.length} broken chain(s) among ${summary}`);
    for (const r of report.refused) io.out(`refused: ${r.reason} (op ${r.opId}, device ${r.deviceId}, stream ${r.streamId}, seq ${r.seq})`);
    return report.breaks.length === 0 ? 0 : 1;
  } finally {
    await store.close();
  }
}
