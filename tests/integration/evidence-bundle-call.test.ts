// The `evidence.importBundle` call as the UI makes it (the request checked by the shared schema,
// then the engine's own checks): a real bundle exported from another replica loads whole (its
// artifacts, their hashes and custody chains as written), and a bundle with a changed file, a cut
// off one, one that is not a bundle, a forged one and a bundle without its certificate are each
// answered with what is wrong and change nothing. Through a real `holdfast web`, the largest bundle
// the UI sends fits the request limit and one past it is refused before the engine sees it.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { maxRequestBytes } from '@shared/contract';
import type { BundleImportReport } from '@shared/domain/bundle-import';
import { createDispatch } from '@shared/rpc';
import type { Engine } from '../../electron/engine/engine';
import { base64Of, bundleFileProblem, maxBundleFileBytes, refusalHint } from '../../renderer/src/features/evidence-import/bundle-file';
import { holdfast } from '../support/cli';
import { call, openTestEngine, stateOf } from '../support/engines';
import { spawnWeb, stoppedAfterAll, webCall, WebCallError } from '../support/processes';
import { tempDir } from '../support/temp';

const configSha = createHash('sha256').update('orders-db-1 postgresql.conf as it was').digest('hex');

/** An incident with a database checklist, one artifact collected with its hash and handed to legal, exported as a bundle by the real CLI. */
async function exportedBundle() {
  const data = tempDir('holdfast-bundle-source-');
  const ana = openTestEngine({ dataDir: data });
  ana.replica.setActor('ana');
  const incident = await call(ana, 'incidents.create', { title: 'Orders writes failing', severity: 'SEV1', services: ['orders-db'], type: 'outage' });
  const view = await call(ana, 'evidence.startChecklist', { incidentId: incident.id, templateId: 'database-outage' });
  const artifact = view.artifacts[0];
  await call(ana, 'evidence.recordCollection', {
    artifactId: artifact.id,
    collector: { name: 'ana' },
    hostIds: ['orders-db-1'],
    acquisitionStart: Date.now() - 60_000,
    acquisitionEnd: Date.now() - 30_000,
    collectorTimeZone: 'Europe/Berlin',
    tool: 'tar',
    storageLocation: 's3://evidence/INC/orders-db-1.tar',
    size: 38,
    sha256: configSha,
  });
  await call(ana, 'evidence.addCustody', { artifactId: artifact.id, action: 'transferred', from: 'ana', to: 'legal', purpose: 'litigation hold' });
  const source = await call(ana, 'evidence.list', { incidentId: incident.id });
  await ana.close();
  const zip = join(tempDir('holdfast-bundle-'), 'evidence.zip');
  const made = await holdfast('evidence', 'bundle', incident.id, '--out', zip, '--data', data);
  expect(made.code, made.err).toBe(0);
  return { bytes: new Uint8Array(readFileSync(zip)), incident, artifact, source };
}

/** A bundle's files changed by `change`, zipped again (SHA256SUMS remade only when asked, as a forger would). */
function craft(bytes: Uint8Array, change: (files: Record<string, Uint8Array>) => void, remakeSums = false): Uint8Array {
  const files = unzipSync(bytes);
  change(files);
  if (remakeSums) {
    files.SHA256SUMS = strToU8(
      Object.keys(files)
        .filter((name) => name !== 'SHA256SUMS' && name !== 'signature.json')
        .sort()
        .map((name) => `${createHash('sha256').update(files[name]).digest('hex')}  ${name}\n`)
        .join(''),
    );
  }
  return zipSync(files);
}

/** The call as a transport makes it: the request parsed by the contract's schema, then the handler. */
async function importCall(engine: Engine, request: unknown) {
  const result = await createDispatch(engine.handlers)('evidence.importBundle', request);
  return result;
}

async function imported(engine: Engine, bytes: Uint8Array, allowUnsigned = true): Promise<BundleImportReport> {
  const result = await importCall(engine, { bundle: base64Of(bytes), allowUnsigned });
  if (!result.ok) throw new Error(`refused: ${result.error.code} ${result.error.message}`);
  return result.value as BundleImportReport;
}

describe('evidence.importBundle, as the UI calls it', () => {
  it('loads a bundle exported from another replica: the incident, its artifacts with their hashes and the custody chain as written', async () => {
    const { bytes, incident, artifact, source } = await exportedBundle();
    const target = openTestEngine();
    const report = await imported(target, bytes);
    expect(report).toMatchObject({ ok: true, problems: [], incidentId: incident.id, rejected: [], notApplied: [] });
    expect(report.accepted).toBeGreaterThan(5);
    expect(report.signatureLine).toMatch(/^ACCEPTED UNSIGNED/);
    expect((await call(target, 'incidents.get', { id: incident.id })).title).toBe('Orders writes failing');
    const view = await call(target, 'evidence.list', { incidentId: incident.id });
    expect(view.chainProblem).toBeNull();
    expect(view.artifacts.map((a) => [a.id, a.what, a.state, a.sha256])).toEqual(source.artifacts.map((a) => [a.id, a.what, a.state, a.sha256]));
    expect(view.artifacts.find((a) => a.id === artifact.id)?.sha256).toBe(configSha);
    expect(view.custody.map((e) => [e.action, e.hash])).toEqual(source.custody.map((e) => [e.action, e.hash]));
    expect(view.custody.map((e) => e.action)).toContain('transferred');
  });

  it('refuses the same bundle a second time: the replica already holds the incident, and nothing changes', async () => {
    const { bytes, incident } = await exportedBundle();
    const target = openTestEngine();
    await imported(target, bytes);
    const before = stateOf(target);
    const again = await importCall(target, { bundle: base64Of(bytes), allowUnsigned: true });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(!again.ok && again.error.message).toContain(`this replica already holds incident ${incident.id}`);
    expect(stateOf(target)).toEqual(before);
  });

  it('answers each bad bundle with what is wrong, and writes nothing', async () => {
    const { bytes } = await exportedBundle();
    const target = openTestEngine();
    const before = stateOf(target);
    const cases: [string, Uint8Array, RegExp][] = [
      [
        'a custody form changed after export (wrong hash)',
        craft(bytes, (files) => {
          const name = Object.keys(files).find((n) => n.startsWith('custody/') && strFromU8(files[n]).includes('litigation hold'))!;
          files[name] = strToU8(strFromU8(files[name]).replace('litigation hold', 'routine copy'));
        }),
        /custody\/.*does not match|SHA256SUMS/,
      ],
      [
        'a manifest changed with SHA256SUMS made again (a forgery)',
        craft(bytes, (files) => (files['manifest.json'] = strToU8(strFromU8(files['manifest.json']).replace('Orders writes failing', 'Nothing happened'))), true),
        /manifest\.json|signature/,
      ],
      ['the file cut off half way (truncated)', bytes.subarray(0, Math.floor(bytes.length / 2)), /not a readable ZIP archive/],
      ['a ZIP that is not a bundle', zipSync({ 'notes.txt': strToU8('meeting notes') }), /missing from the bundle/],
      ['a text file renamed .zip', strToU8('this is not a zip file at all'), /not a readable ZIP archive/],
    ];
    for (const [what, crafted, problem] of cases) {
      const report = await imported(target, crafted);
      expect(report.ok, what).toBe(false);
      expect(report.problems.join('\n'), what).toMatch(problem);
      expect(report.accepted, what).toBe(0);
      expect(report.refusedOnlyAsUnsigned, what).toBe(false);
      expect(refusalHint(report, false), what).toBeNull();
      expect(stateOf(target), what).toEqual(before);
    }
  });

  it('refuses a bundle not signed under a certificate unless the importer accepts it as such, and the UI says which box to tick', async () => {
    const { bytes } = await exportedBundle();
    const target = openTestEngine();
    const before = stateOf(target);
    const report = await imported(target, bytes, false);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/signature\.json: .*--allow-unsigned/);
    expect(stateOf(target)).toEqual(before);
    expect(report.refusedOnlyAsUnsigned).toBe(true);
    expect(refusalHint(report, false)).toMatch(/tick "Accept a bundle not signed under a certificate"/);
    expect(refusalHint(report, true)).toBeNull();
    // A broken bundle is not "only unsigned": no hint that ticking the box would let it in.
    const broken = await imported(target, bytes.subarray(0, 100), false);
    expect(broken.refusedOnlyAsUnsigned).toBe(false);
    expect(refusalHint(broken, false)).toBeNull();
  });

  it('checks the request with the contract schema: no bundle, an empty one or a wrong type is bad_request', async () => {
    const target = openTestEngine();
    const before = stateOf(target);
    for (const request of [{}, { bundle: '' }, { bundle: 42 }, { bundle: 'UEsDBA==', allowUnsigned: 'yes' }, { bundle: 'UEsDBA==', extra: 1 }]) {
      const result = await importCall(target, request);
      expect(result, JSON.stringify(request)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(!result.ok && result.error.message).toContain('Invalid request for evidence.importBundle');
    }
    expect(stateOf(target)).toEqual(before);
  });
});

describe('the size of a bundle the UI sends', () => {
  const running = stoppedAfterAll();

  it('fits the request limit at the largest the UI takes, and one past it is refused in words before it is read', async () => {
    expect(maxBundleFileBytes).toBeGreaterThan(2 * 1024 * 1024);
    expect(bundleFileProblem('evidence.zip', maxBundleFileBytes)).toBeNull();
    expect(bundleFileProblem('evidence.zip', maxBundleFileBytes + 1)).toMatch(
      /evidence\.zip is 3\.0 MiB; the app takes bundles up to .* holdfast evidence import "evidence\.zip" --data DIR/,
    );
    expect(bundleFileProblem('evidence.zip', 0)).toMatch(/is empty/);

    const web = await spawnWeb({ dataDir: tempDir('holdfast-bundle-web-') });
    running.push(web);
    const largest = await webCall<BundleImportReport>(web, 'evidence.importBundle', { bundle: base64Of(randomBytes(maxBundleFileBytes)), allowUnsigned: true });
    expect(largest.ok).toBe(false);
    expect(largest.problems.join('\n')).toMatch(/not a readable ZIP archive/);
    // Past the limit the bridge refuses the body: this is what the UI's own check spares the user.
    const pastLimit = base64Of(randomBytes(Math.ceil(maxRequestBytes / 4) * 3 + 3));
    // (The bridge answers too_large, or drops the connection while the body is still arriving.)
    const refused = await webCall(web, 'evidence.importBundle', { bundle: pastLimit }).then(
      () => 'answered',
      (error: unknown) => (error instanceof WebCallError ? error.code : 'connection dropped'),
    );
    expect(['too_large', 'connection dropped']).toContain(refused);
    expect(await webCall<unknown[]>(web, 'incidents.list', {})).toEqual([]);
  });
});
