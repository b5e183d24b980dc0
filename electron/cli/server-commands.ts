// `holdfast server`: runs the central sync service, and manages its users and tokens.
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { roles, type Role } from '@shared/roles';
import { hashToken } from '../../server/central-backend';
import { openSyncStore } from '../../server/storage/open-store';
import { DuplicateUserError } from '../../server/storage/sync-store';
import { startService } from '../../server/service';
import { defaultDataDir } from '../engine/core/paths';
import { parsePort, parseStrict, UsageError, type CliIo, type Command } from './io';

const storeOptions = (data: string | undefined) => ({
  dataDir: resolve(data ?? join(defaultDataDir(), 'server')),
  databaseUrl: process.env.DATABASE_URL || undefined,
});

const describeStore = (options: ReturnType<typeof storeOptions>) =>
  options.databaseUrl ? `PostgreSQL (${new URL(options.databaseUrl).host}${new URL(options.databaseUrl).pathname})` : `SQLite in ${options.dataDir}`;

export const serverCommand: Command = async (args, io) => {
  if (args[0] === 'user') return userCommand(args.slice(1), io);
  const { values } = parseStrict(args, {
    data: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
  });
  if (Boolean(values.cert) !== Boolean(values.key)) throw new UsageError('--cert and --key go together: give both for TLS, or neither');
  const options = storeOptions(values.data);
  const store = await openSyncStore(options);
  try {
    const service = await startService({
      store,
      host: values.host ?? '127.0.0.1',
      port: parsePort(values.port, 7430),
      tls: values.cert && values.key ? { certFile: resolve(values.cert), keyFile: resolve(values.key) } : undefined,
      onPurged: (line) => io.out(line),
    });
    io.out(`Holdfast sync service on ${service.url} (storage: ${describeStore(options)})`);
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
  const { values, positionals } = parseStrict(rest, { data: { type: 'string' }, role: { type: 'string' } }, 1);
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
      if (!(await store.revokeUser(name, Date.now()))) throw new Error(`there is no active user named "${name}"`);
      io.out(`revoked every token of ${name}`);
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
