// The break-glass kit each laptop keeps in its data folder (break-glass-kit.html): the phone tree
// from the directory, the runbooks tagged break-glass, the update templates marked as pre-approved
// holding statements, and how to start or join a hub. Signed by this device's key (with its
// certificate, core/file-signature), dated, and made again whenever one of its sources changes.
import { createHash } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { audienceLabels } from '@shared/domain/comms';
import { breakGlassTag, holdingMarkKey, type KitFile, type KitInfo } from '@shared/domain/outage-api';
import type { Touched } from '../core/projections';
import { checkFileSet, judgeSignature, signatureDocText, signFileSet, type FileSignerDeps, type FileTrust } from '../core/file-signature';
import type { CommsStore } from '../comms/comms-store';
import { templateViews } from '../comms/update-templates';
import type { DirectoryStore } from '../directory/directory-store';
import type { RunbookStore } from '../runbooks/runbook-store';
import { isWholeKit, kitContent, kitDocument, splitKit, type KitRunbook, type KitSources } from './kit-html';

export const kitFileName = 'break-glass-kit.html';
/** What the kit's signature is for: a backup's or a bundle's signature does not pass for it. */
export const kitPurpose = 'break-glass kit';
/** The one signed "file": the kit's content between its markers. */
export const kitContentPath = 'break-glass-kit.html#content';
/** Entities a kit is made from: a change to one makes the kit again. */
const sourceEntities = new Set(['person', 'team', 'bridge', 'runbook_version', 'runbook', 'update_template', 'org_setting']);

export interface KitDeps {
  db: Database;
  dataDir: string;
  directory: DirectoryStore;
  runbooks: RunbookStore;
  comms: CommsStore;
  signer: () => FileSignerDeps;
  now: () => number;
  log: (line: string) => void;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Template ids marked as pre-approved holding statements. */
export function holdingTemplateIds(db: Database): string[] {
  const rows = db.prepare("SELECT id FROM org_settings WHERE id LIKE 'kit.holding:%' AND value = 'yes' ORDER BY id").pluck().all() as string[];
  return rows.map((id) => id.slice(holdingMarkKey('').length));
}

export function kitSources(deps: Omit<KitDeps, 'dataDir' | 'log'>, generatedAt: number, signer: FileSignerDeps): KitSources {
  const { teams, people, bridges } = deps.directory.list();
  const tagged = deps.runbooks.summaries(false).filter((r) => r.tags.some((t) => t.toLowerCase() === breakGlassTag));
  const runbooks: KitRunbook[] = tagged.flatMap((r) => {
    const version = deps.runbooks.version(r.currentVersionId);
    if (!version) return [];
    const content = deps.runbooks.content(version);
    return [{ id: r.id, title: r.title, owner: r.owner, intro: content.intro, steps: content.steps }];
  });
  const marked = new Set(holdingTemplateIds(deps.db));
  const statements = templateViews(deps.comms)
    .filter((t) => marked.has(t.id))
    .map((t) => ({ id: t.id, name: t.name, audience: audienceLabels[t.audience], title: t.title, body: t.body }));
  return { generatedAt, signedBy: signer.user, deviceId: signer.deviceId, teams, people, bridges, runbooks, statements };
}

/** Makes the kit now: its HTML (content, signature) and what it holds. */
export function makeKit(deps: Omit<KitDeps, 'log'>): KitFile {
  const signer = deps.signer();
  const at = deps.now();
  const sources = kitSources(deps, at, signer);
  const content = kitContent(sources);
  const digest = sha256(content);
  const doc = signFileSet(signer, [{ path: kitContentPath, sha256: digest }], kitPurpose);
  const certified = doc.certificate
    ? `certificate ${doc.certificate.certId} (${doc.certificate.body.role})`
    : 'a device key no certificate vouches for (this laptop never connected to the service)';
  const line = `Signed ${new Date(doc.signedAt).toISOString()} by ${doc.signer.user} on device ${doc.signer.deviceId} under ${certified}; SHA-256 of the content ${digest}.`;
  const html = kitDocument(content, signatureDocText(doc), line);
  const info: KitInfo = {
    generatedAt: at,
    signedBy: doc.signer.user,
    sha256: digest,
    counts: {
      teams: sources.teams.length,
      bridges: sources.bridges.length,
      people: sources.people.length,
      runbooks: sources.runbooks.length,
      statements: sources.statements.length,
    },
    path: join(deps.dataDir, kitFileName),
  };
  const date = new Date(at).toISOString().slice(0, 10);
  return { fileName: `holdfast-break-glass-kit-${date}.html`, html, info };
}

/** Checks a kit file: its content against its signature, the signer against `trust`. */
export function verifyKit(html: string, trust: FileTrust): { ok: boolean; line: string } {
  const parts = splitKit(html);
  if (typeof parts === 'string') return { ok: false, line: parts };
  const check = checkFileSet(parts.signature, [{ path: kitContentPath, sha256: sha256(parts.content) }], trust, kitPurpose);
  const verdict = judgeSignature(check, false);
  if (verdict.ok && !isWholeKit(html, parts.content))
    return { ok: false, line: 'the file was changed outside its signed content (markup added or edited around it): save the kit again from Holdfast' };
  return verdict;
}

export interface KitKeeper {
  /** The kit as kept now (made first if it was never made or is stale). */
  current(): KitFile;
  /** Makes the kit again when `touched` changed one of its sources (soon, once for a burst of changes). */
  onTouched(touched: readonly Touched[]): void;
  /** Makes it again now and writes it to the data folder. */
  refresh(): KitFile;
  close(): void;
}

export function createKitKeeper(deps: KitDeps): KitKeeper {
  let kept: KitFile | null = null;
  let isStale = true;
  let timer: NodeJS.Timeout | null = null;
  let isClosed = false;
  const path = join(deps.dataDir, kitFileName);

  const refresh = (): KitFile => {
    const kit = makeKit(deps);
    // Written whole then renamed: a reader (or a crash) never sees half a kit.
    writeFileSync(`${path}.tmp`, kit.html, { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
    kept = kit;
    isStale = false;
    return kit;
  };
  const refreshSoon = (delayMs: number) => {
    isStale = true;
    if (timer || isClosed) return;
    timer = setTimeout(() => {
      timer = null;
      if (isClosed || !deps.db.open) return;
      try {
        refresh();
      } catch (error) {
        deps.log(`holdfast: making the break-glass kit failed: ${String(error)}`);
      }
    }, delayMs);
    timer.unref();
  };
  // Made again shortly after start: sources may have changed while the laptop was off.
  refreshSoon(2000);

  return {
    current: () => (kept && !isStale ? kept : refresh()),
    onTouched(touched) {
      if (touched.some((t) => sourceEntities.has(t.entity))) refreshSoon(300);
    },
    refresh,
    close() {
      isClosed = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
