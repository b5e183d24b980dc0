// Commands on a replica's data folder: hash-chain verification, projection rebuild, and backups.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { backupDataDir, restoreBackup, verifyBackup } from '../engine/core/backup';
import { backupSignatureNote } from '../engine/core/backup-signature';
import { fileTrustOfDataDir } from '../engine/core/signed-files';
import { describeBreak, describeVerdicts, verifyChains, verifyCustody } from '../engine/core/chain';
import { databaseFileName } from '../engine/core/database';
import { proveDatabase, proveProjections } from '../engine/core/projection-proof';
import { describeVerdictDifference, type VerdictDifference } from '../engine/core/verdict-proof';
import { openEngine } from '../engine/engine';
import { dataDirOption, parseStrict, UsageError, type Command } from './io';

function openReadOnly(dataDir: string): Database.Database {
  const file = join(dataDir, databaseFileName);
  if (!existsSync(file)) throw new Error(`there is no Holdfast database in ${dataDir}`);
  return new Database(file, { readonly: true, fileMustExist: true });
}

export const verifyChainCommand: Command = async (args, io) => {
  const { values } = parseStrict(args, { data: { type: 'string' } });
  const db = openReadOnly(dataDirOption(values.data));
  try {
    const report = verifyChains(db);
    if (report.firstBreak) {
      io.err(`holdfast verify-chain: BROKEN: ${describeBreak(report.firstBreak)}`);
      return 1;
    }
    const custody = verifyCustody(db);
    if (custody.problem) {
      io.err(`holdfast verify-chain: BROKEN: ${custody.problem}`);
      return 1;
    }
    const proof = proveDatabase(db);
    if (proof.problem) {
      io.err(`holdfast verify-chain: BROKEN: ${proof.problem}`);
      return 1;
    }
    const verdicts = describeVerdicts(report);
    io.out(
      `ok: ${report.chains} chain(s), ${report.ops} record(s) verified; ${custody.events} custody event(s) verified; ` +
        `${proof.projections.rows} projected row(s) match the op log replayed; schema ${proof.schema.version} is exactly what the migrations create${verdicts.summary}`,
    );
    for (const line of verdicts.lines) io.out(line);
    return 0;
  } finally {
    db.close();
  }
};

export const rebuildCommand: Command = async (args, io) => {
  const { values } = parseStrict(args, { data: { type: 'string' }, check: { type: 'boolean' } });
  const dataDir = dataDirOption(values.data);
  // The refusal column is outside the ops' hashes: the verdicts are judged again first, and an
  // edited one is reported (--check) or put back to what judging gives before the projections are rebuilt.
  const disk = openReadOnly(dataDir);
  let verdicts: VerdictDifference[];
  try {
    verdicts = proveProjections(disk).verdicts;
  } finally {
    disk.close();
  }
  for (const difference of verdicts.slice(0, 5)) io.err(`holdfast rebuild: ${describeVerdictDifference(difference)}`);
  if (verdicts.length > 5) io.err(`holdfast rebuild: and ${verdicts.length - 5} more op(s) whose verdict differs`);
  if (values.check && verdicts.length > 0) {
    io.err(`holdfast rebuild: ${verdicts.length} op verdict(s) differ from the op log judged again; run without --check to restore them and rebuild`);
    return 1;
  }
  const engine = openEngine({ dataDir, host: 'web', log: io.err });
  try {
    if (verdicts.length > 0) {
      const restore = engine.db.prepare('UPDATE ops SET refusal = ? WHERE op_id = ?');
      engine.db.transaction(() => verdicts.forEach((v) => restore.run(v.derived, v.opId)))();
      io.err(`holdfast rebuild: ${verdicts.length} op verdict(s) restored to what judging the signed ops gives`);
    }
    const report = engine.replica.rebuild({ dryRun: values.check === true });
    if (verdicts.length > 0 && report.isIdentical) {
      io.out(`verdicts restored; projections ${report.ops} op(s) replayed; projection digest ${report.after}`);
      return 1;
    }
    const summary = `${report.ops} op(s) replayed; projection digest ${report.after}`;
    if (report.isIdentical) {
      io.out(`identical: ${summary}`);
      return 0;
    }
    io.err(
      values.check
        ? `holdfast rebuild: projections differ from the op log (digest ${report.before} on disk, ${report.after} from the ops); run without --check to rebuild them`
        : `holdfast rebuild: projections differed from the op log (digest was ${report.before}); they were rebuilt from it: ${summary}`,
    );
    return 1;
  } finally {
    await engine.close();
  }
};

export const backupCommand: Command = async (args, io) => {
  const { values } = parseStrict(args, { data: { type: 'string' }, out: { type: 'string' } });
  if (!values.out) throw new UsageError('--out FILE is required: where to write the backup');
  const manifest = await backupDataDir(dataDirOption(values.data), resolve(values.out));
  io.out(`backup written: ${resolve(values.out)} (${manifest.bytes} bytes, ${manifest.opCount} ops, sha256 ${manifest.sha256})`);
  io.out(`manifest: ${resolve(values.out)}.manifest.json`);
  io.out(backupSignatureNote(resolve(values.out)));
  return 0;
};

export const verifyCommand: Command = async (args, io) => {
  const { values, positionals } = parseStrict(args, { data: { type: 'string' }, 'allow-unsigned': { type: 'boolean' } }, 1);
  if (!positionals[0]) throw new UsageError('name the backup file to verify: holdfast verify FILE [--data DIR] [--allow-unsigned]');
  // The signer's certificate is checked against the org key pinned in --data DIR, when given.
  const trust = values.data === undefined ? undefined : fileTrustOfDataDir(dataDirOption(values.data));
  const result = await verifyBackup(resolve(positionals[0]), { trust, allowUnsigned: values['allow-unsigned'] === true });
  if (!result.ok) {
    io.err(`holdfast verify: ${result.problem}`);
    return 1;
  }
  io.out(
    `ok: ${positionals[0]} matches its manifest (sha256 ${result.manifest.sha256}, ${result.manifest.opCount} ops, schema ${result.manifest.schemaVersion}), passes the integrity check and every hash chain holds`,
  );
  io.out(`${positionals[0]}: ${result.signature}`);
  io.out(
    "note: a restore takes the op log from a backup, never its sync peers or trust pins: the restoring replica keeps its own (a new one takes the backup's org key pin, shown on restore)",
  );
  return 0;
};

export const restoreCommand: Command = async (args, io) => {
  const { values, positionals } = parseStrict(args, { data: { type: 'string' }, 'allow-unsigned': { type: 'boolean' } }, 1);
  if (!positionals[0]) throw new UsageError('name the backup file to restore: holdfast restore FILE --data DIR [--allow-unsigned]');
  const dataDir = dataDirOption(values.data);
  const report = await restoreBackup(resolve(positionals[0]), dataDir, Date.now, { allowUnsigned: values['allow-unsigned'] === true });
  io.out(`restored ${positionals[0]} into ${dataDir} (${report.manifest.opCount} ops)`);
  io.out(`${positionals[0]}: ${report.signature}`);
  io.out(report.previous ? `the previous database is kept in ${report.previous}` : 'there was no previous database');
  io.out(`this replica now writes as device ${report.deviceId}`);
  io.out(
    report.isPinKept
      ? `it keeps its own pinned organisation key(s): ${report.pins}; its sync peers are kept, and sync pulls again from the start`
      : report.pins === 'none'
        ? 'it pins no organisation key (standalone); no sync peer was taken from the backup'
        : `it now pins the backup's organisation key(s): ${report.pins}: compare with your organisation's (holdfast server org-key show) before syncing; no sync peer was taken from the backup`,
  );
  return 0;
};
