// The `holdfast` command line: parses arguments and runs the chosen command. Exit codes: 0 ok,
// 1 failure, 2 bad usage; every error is one line that names the problem.
import { defaultDataDir } from '../engine/core/paths';
import { appVersion } from '../engine/core/version';
import { appCommand } from './app-command';
import { catalogCommand } from './catalog-commands';
import { directoryCommand } from './directory-commands';
import { isParseArgsError, UsageError, type CliIo, type Command } from './io';
import { kitCommand } from './kit-commands';
import { evidenceCommand } from './evidence-commands';
import { exportCommand } from './export-command';
import { asksForHelp, commandHelp } from './help';
import { runbooksCommand } from './runbook-commands';
import { backupCommand, rebuildCommand, restoreCommand, verifyChainCommand, verifyCommand } from './replica-commands';
import { serverCommand } from './server-commands';
import { trustCommand } from './trust-commands';
import { webCommand } from './web-command';

export { parsePort, type CliIo } from './io';

export const usage = `Usage: holdfast <command> [options]

Commands:
  app                                  open the desktop app (same as npm start)
  web [--data DIR] [--port P] [--host [--hub-port P]] [--keep-closed-days N] [--keep-everything]
                                       serve the app to a browser on this machine (127.0.0.1);
                                       --host: also a war-room hub on the network (TLS, port 7440),
                                       joined with the link it prints; --keep-closed-days N: hold
                                       incidents closed in the last N days (default 90) besides open
                                       ones and yours (turns keep-everything off); --keep-everything:
                                       hold every incident (both kept as this laptop's setting)
  verify-chain [--data DIR]            check every hash chain, the schema, and every projected row
                                       against the op log replayed
  rebuild [--data DIR] [--check]       rebuild the projections from the op log and compare
  backup [--data DIR] --out FILE       online backup of the replica, with a SHA-256 manifest
  verify FILE [--data DIR] [--allow-unsigned]
                                       check a backup against its manifest and say who signed it
                                       (certificate checked against the org key pinned in --data DIR)
  restore FILE [--data DIR] [--allow-unsigned]
                                       verify a backup, keep the current database, restore
  directory import FILE.csv [--data DIR]
                                       import people from CSV (all rows or none; see README)
  directory export [--data DIR]        write the people directory as CSV to stdout
  runbooks import DIR|FILE.md... [--strict] [--data DIR]
                                       import Markdown runbooks: a folder, or files (idempotent; a
                                       runbook already here gets a new version; rejected files are
                                       listed with their reasons and exit 1). Runbooks as teams write
                                       them are read: numbered or heading steps, no front matter
                                       (title from the first heading), snake_case, kebab-case or
                                       camelCase keys. --strict: only the marked form ([check],
                                       [command] with a code block…), for CI. Works while the app or
                                       \`holdfast web\` runs on the data folder (through it)
  runbooks export DIR [--data DIR]     write each runbook's current version to DIR/<id>.md
  catalog import FILE [--format yaml|csv] [--dry-run] [--data DIR]
                                       import the service catalog from YAML or CSV (all services or
                                       none: every problem is listed with its line and exits 1;
                                       idempotent; see docs/catalog.md)
  catalog export [--format yaml|csv] [--out FILE] [--data DIR]
                                       write the service catalog, to stdout or FILE (default yaml)
  evidence bundle INCIDENT --out FILE.zip [--data DIR]
                                       an incident's evidence bundle: manifest, custody forms,
                                       Timesketch timeline, signed ops, SHA-256 manifest
  evidence verify FILE.zip [--data DIR] [--allow-unsigned]
                                       check a bundle's files, ops, custody chains and derived
                                       files, and say who signed it
  evidence import FILE.zip --data DIR [--allow-unsigned]
                                       verify a bundle, then load its incident into a replica
                                       (delivery records come in as evidence, never outbox work);
                                       works while the app or \`holdfast web\` runs on DIR (through it)
  export INCIDENT --format F [--kind incident|audit] [--out FILE] [--data DIR]
                                       one incident, to stdout or FILE; F is md, html or json (the
                                       incident report; --kind audit: the audit evidence report),
                                       csv (the timeline), timesketch (Timesketch JSONL) or bundle
                                       (the evidence bundle ZIP; needs --out)
  server [--data DIR] [--port P] [--host H] [--cert F --key F]
                                       run the central sync service (PostgreSQL if DATABASE_URL is set)
  server user add NAME --role ROLE     add a user and print its token once
                                       (roles: admin, commander, comms, responder, viewer, pipeline)
  server user list | revoke NAME       list users, or revoke every token of one
  server verify-chain [--data DIR]     check every device chain the service stores (refused records listed)
  trust status [--json] [--data DIR]   the replica's trust mode, certificate and pinned org key
  trust pin [--fingerprint F] [--data DIR] [--] KEYFILE|PUBLIC_KEY
                                       pin the organisation's key (KEYFILE: what
                                       \`holdfast server org-key show\` prints)
  kit save FILE.html [--data DIR]      save the break-glass kit (phone tree, break-glass runbooks,
                                       holding statements, how to start or join a hub) as one
                                       signed, self-contained HTML file
  kit verify FILE.html [--data DIR]    check a kit's signature: who made it, when, unchanged since
  help [COMMAND]                       show this help, or one command's (also: COMMAND --help)
  version                              print the version

  --data DIR    replica data folder (default: ${defaultDataDir()})
  --port P      TCP port for web, 0 for any free one (default: 7420)
  --allow-unsigned  accept a backup or bundle that is unsigned or signed by a device key no
                organisation certified (a laptop that never connected); said in the output`;

const commands: Record<string, Command> = {
  web: webCommand,
  app: appCommand,
  'verify-chain': verifyChainCommand,
  rebuild: rebuildCommand,
  backup: backupCommand,
  verify: verifyCommand,
  restore: restoreCommand,
  directory: directoryCommand,
  runbooks: runbooksCommand,
  catalog: catalogCommand,
  evidence: evidenceCommand,
  export: exportCommand,
  server: serverCommand,
  trust: trustCommand,
  kit: kitCommand,
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'version' || command === '--version' || command === '-v') {
    io.out(appVersion);
    return 0;
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    // `holdfast help export` is `holdfast export --help`.
    const topic = command === 'help' && rest[0] !== undefined ? commandHelp(usage, rest[0]) : null;
    io.out(topic ?? usage);
    return 0;
  }
  if (command === undefined) {
    io.err('holdfast: no command given.');
    io.err(usage);
    return 2;
  }
  const run = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!run) {
    io.err(`holdfast: unknown command "${command}".`);
    io.err(usage);
    return 2;
  }
  if (asksForHelp(rest)) {
    io.out(commandHelp(usage, command) ?? usage);
    return 0;
  }
  try {
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`holdfast ${command}: ${(error as Error).message} (see \`holdfast help\`)`);
      return 2;
    }
    io.err(`holdfast ${command}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/** Entry used by the `holdfast` bin. */
export async function main(argv: string[]): Promise<number> {
  return runCli(argv, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    untilStopped: () =>
      new Promise((done) => {
        process.once('SIGINT', () => done());
        process.once('SIGTERM', () => done());
      }),
  });
}
