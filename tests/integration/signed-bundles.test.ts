// Signed evidence bundles attacked as issue 18 found them, through the real command line on real
// files: a custody form changed with SHA256SUMS made again, a Timesketch file likewise, a bundle
// re-signed by another laptop's uncertified key, and a crafted bundle that carries a queued
// delivery to the victim's own channel, imported into the victim's data folder. Every derived file
// is made again from the ops; delivery records come in as evidence only, so nothing is sent.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { incidentRowId } from '@shared/entities';
import type { Engine } from '../../electron/engine/engine';
import { certifyEngine } from '../support/certified-engine';
import { holdfast } from '../support/cli';
import { call, openTestEngine } from '../support/engines';
import { receiverForBlock } from '../support/receivers';
import { tempDir } from '../support/temp';

const fastOutbox = { intervalMs: 50, retryDelaysMs: [150], timeoutMs: 2_000, leaseMs: 5_000 };

/** The bundle's files with `change` applied and SHA256SUMS made again, as someone crafting a bundle would. */
function crafted(zip: string, out: string, change: (files: Record<string, Uint8Array>) => void): string {
  const files = unzipSync(readFileSync(zip));
  change(files);
  files.SHA256SUMS = strToU8(
    Object.keys(files)
      .filter((name) => name !== 'SHA256SUMS' && name !== 'signature.json')
      .sort()
      .map((name) => `${createHash('sha256').update(files[name]).digest('hex')}  ${name}\n`)
      .join(''),
  );
  writeFileSync(out, zipSync(files));
  return out;
}

/** An incident with an artifact handed to legal, written on a certified replica and exported as a bundle. */
async function signedCustodyBundle() {
  const data = tempDir('holdfast-signed-bundle-');
  const ana = openTestEngine({ dataDir: data });
  certifyEngine(ana, { user: 'ana', role: 'commander', since: Date.now() - 60_000 });
  const incident = await call(ana, 'incidents.create', { title: 'Orders writes failing', severity: 'SEV1', services: ['orders-db'], type: 'outage' });
  const view = await call(ana, 'evidence.startChecklist', { incidentId: incident.id, templateId: 'database-outage' });
  const artifact = view.artifacts[2];
  await call(ana, 'evidence.addCustody', { artifactId: artifact.id, action: 'transferred', from: 'ana', to: 'legal', purpose: 'litigation hold' });
  await ana.close();
  const zip = join(tempDir('holdfast-bundles-'), 'evidence.zip');
  const made = await holdfast('evidence', 'bundle', incident.id, '--out', zip, '--data', data);
  expect(made.code).toBe(0);
  expect(made.out).toMatch(/signed by ana \(certificate [0-9a-f]{32}, device [0-9a-f]+\)/);
  return { zip, incident, artifact, deviceId: ana.replica.deviceId };
}

describe('signed evidence bundles', () => {
  it('says who made a bundle: user, role, device, certificate, time and issuer', async () => {
    const { zip, deviceId } = await signedCustodyBundle();
    const verified = await holdfast('evidence', 'verify', zip);
    expect(verified.err).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.out).toContain('every derived file (manifests, custody forms, Timesketch files, SHA256SUMS) is what the ops hold');
    expect(verified.out).toMatch(
      new RegExp(`signed by ana \\(commander\\) on device ${deviceId}, certificate [0-9a-f]{32}, at \\d{4}-[\\d-]+T[\\d:.]+Z; issuer: organisation key [0-9a-f ]+`),
    );
  });

  it('refuses a custody form changed with SHA256SUMS made again: by its signature, and by making the form again from the ops', async () => {
    const { zip } = await signedCustodyBundle();
    const dir = tempDir('holdfast-crafted-');
    const changeForm = (files: Record<string, Uint8Array>) => {
      const form = Object.keys(files).find((name) => name.startsWith('custody/') && strFromU8(files[name]).includes('litigation hold'));
      expect(form).toBeDefined();
      files[form!] = strToU8(strFromU8(files[form!]).replaceAll('legal', 'the shredder'));
    };
    const signedForm = crafted(zip, join(dir, 'form.zip'), changeForm);
    const caught = await holdfast('evidence', 'verify', signedForm, '--allow-unsigned');
    expect(caught.code).toBe(1);
    expect(caught.err).toMatch(/custody\/[^ ]+\.html was changed after the files were signed/);
    expect(caught.err).toMatch(/custody\/[^ ]+\.html does not match what the bundle's ops hold/);
    expect(caught.err).toContain('NOT VERIFIED');

    // Its signature removed too: only the form made again from the ops can tell, and it does.
    const unsignedForm = crafted(zip, join(dir, 'form-unsigned.zip'), (files) => {
      changeForm(files);
      delete files['signature.json'];
    });
    const derived = await holdfast('evidence', 'verify', unsignedForm, '--allow-unsigned');
    expect(derived.code).toBe(1);
    expect(derived.err).toMatch(/custody\/[^ ]+\.html does not match what the bundle's ops hold/);
    const refused = await holdfast('evidence', 'verify', unsignedForm);
    expect(refused.err).toContain('signature.json: it carries no signature, so nothing shows who made it');

    // A Timesketch row rewritten likewise.
    const timeline = crafted(zip, join(dir, 'timesketch.zip'), (files) => {
      files['timesketch.csv'] = strToU8(strFromU8(files['timesketch.csv']).replace('Orders writes failing', 'Nothing to see'));
      delete files['signature.json'];
    });
    expect((await holdfast('evidence', 'verify', timeline, '--allow-unsigned')).err).toContain("timesketch.csv does not match what the bundle's ops hold");
  });

  it("refuses a bundle re-signed with another laptop's uncertified key unless --allow-unsigned, and says whose key it was", async () => {
    const { zip } = await signedCustodyBundle();
    const forger = openTestEngine({ dataDir: tempDir('holdfast-forger-') });
    const resigned = crafted(zip, join(tempDir('holdfast-crafted-'), 'resigned.zip'), (files) => {
      const signed = Object.entries(files)
        .filter(([name]) => name !== 'signature.json')
        .map(([path, bytes]) => ({ path, sha256: createHash('sha256').update(bytes).digest('hex') }));
      files['signature.json'] = strToU8(JSON.stringify(forger.signFiles(signed, 'holdfast evidence bundle')));
    });
    const verify = await holdfast('evidence', 'verify', resigned);
    expect(verify.code).toBe(1);
    expect(verify.err).toContain(`signed by device ${forger.replica.deviceId}'s own key, which no organisation certified (device key not certified`);
    expect(verify.err).toContain('or pass --allow-unsigned');
    const allowed = await holdfast('evidence', 'verify', resigned, '--allow-unsigned');
    expect(allowed.code).toBe(0);
    expect(allowed.out).toContain('ACCEPTED UNSIGNED (--allow-unsigned)');
  });

  describe('a crafted bundle carrying a queued delivery to the victim’s channel', () => {
    const { http, url } = receiverForBlock('POST /statuspage', 'ok');

    /** The attacker's own laptop writes a published customer update and a queued delivery to `channelId`, and exports it. */
    async function attackerBundle(channelId: string) {
      const data = tempDir('holdfast-attacker-');
      const attacker = openTestEngine({ dataDir: data, outbox: fastOutbox });
      const incident = await call(attacker, 'incidents.create', { title: 'Scheduled maintenance', severity: 'SEV3' });
      const updateId = 'upd-attack';
      const at = Date.now();
      attacker.replica.commitLocal([
        {
          entity: 'comms_published',
          rowId: '',
          fields: {
            incidentId: incident.id,
            updateId,
            audience: 'customers',
            title: 'We have been breached',
            body: 'All customer data is public. Rotate every password now.',
            nextUpdateAt: null,
            channels: [{ id: channelId, name: 'Statuspage', kind: 'webhook' }],
            approvedBy: null,
            lintAcknowledged: [],
            publishedAt: at,
          },
        },
        {
          entity: 'comms_delivery',
          rowId: incidentRowId(incident.id, `${updateId}/${channelId}`),
          fields: {
            incidentId: incident.id,
            updateId,
            channelId,
            channelName: 'Statuspage',
            kind: 'webhook',
            state: 'queued',
            attempts: 0,
            lastError: '',
            nextAttemptAt: null,
            deliveredAt: null,
            detail: '',
            remoteId: null,
            by: '',
          },
        },
      ]);
      await attacker.close();
      const zip = join(tempDir('holdfast-bundles-'), 'crafted.zip');
      expect((await holdfast('evidence', 'bundle', incident.id, '--out', zip, '--data', data)).code).toBe(0);
      return { zip, incident };
    }

    async function victimWithChannel(): Promise<{ data: string; channelId: string }> {
      const data = tempDir('holdfast-victim-');
      const victim = openTestEngine({ dataDir: data, outbox: fastOutbox });
      const channel = await call(victim, 'comms.saveChannel', {
        name: 'Statuspage',
        audiences: ['customers'],
        config: { kind: 'webhook', url: url('/statuspage') },
      });
      await victim.close();
      return { data, channelId: channel.id };
    }

    it('is refused without --allow-unsigned, and the import needs an explicit --data folder', async () => {
      const { data, channelId } = await victimWithChannel();
      const { zip } = await attackerBundle(channelId);
      const refused = await holdfast('evidence', 'import', zip, '--data', data);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('device key not certified');
      const noData = await holdfast('evidence', 'import', zip, '--allow-unsigned');
      expect(noData.code).toBe(2);
      expect(noData.err).toContain('name the data folder to import into with --data DIR');
    });

    it('even imported with --allow-unsigned, the victim’s outbox sends nothing: the delivery is kept as refused evidence', async () => {
      const { data, channelId } = await victimWithChannel();
      const { zip, incident } = await attackerBundle(channelId);
      const imported = await holdfast('evidence', 'import', zip, '--data', data, '--allow-unsigned');
      expect(imported.err).toBe('');
      expect(imported.code).toBe(0);
      expect(imported.out).toContain("1 delivery record(s) kept as evidence only: an import never queues, claims or sends anything from this replica's outbox");

      // The victim opens Holdfast: its outbox runs, and has nothing to do.
      const victim: Engine = openTestEngine({ dataDir: data, outbox: fastOutbox });
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(http.received).toEqual([]);
      const room = await call(victim, 'comms.room', { incidentId: incident.id });
      expect(room.published.flatMap((p) => p.deliveries)).toEqual([]);
      expect(victim.replica.opLog.refused().map((r) => r.reason)).toEqual([expect.stringContaining('imported from an evidence bundle')]);
      await victim.close();
      const chain = await holdfast('verify-chain', '--data', data);
      expect(chain.code).toBe(0);
    });
  });
});
