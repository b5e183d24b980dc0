// What users see of trust, in Chromium against a real `holdfast web` whose replica is certified as
// a responder: the timeline marks unsigned and guest (unverified) entries; status, severity,
// freeze and legal hold are not offered (disabled with who may); the directory cannot be edited;
// Settings shows the trust mode, user, role, certificate expiry and the org key's fingerprint.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { IncidentsPage } from './pages/incidents-page';
import { seeded } from './pages/trust-seed-values';
import { WarRoomPage } from './pages/war-room-page';

test("a responder's replica marks how entries are trusted and offers only what a responder may do", async ({ page }) => {
  const dataDir = tempDataDir('holdfast-e2e-trust-');
  const seed = spawnSync(process.execPath, [resolve(import.meta.dirname, 'vite-seed.mjs'), 'tests/e2e/pages/trust-seed.ts', 'seedCertifiedResponder', dataDir], {
    encoding: 'utf8',
  });
  expect(seed.status, `seeding failed:\n${seed.stdout}\n${seed.stderr}`).toBe(0);
  const web = await startHoldfastWeb(dataDir);
  const incidents = new IncidentsPage(page);
  const room = new WarRoomPage(page);
  try {
    await incidents.open(web.openUrl);
    await incidents.row(seeded.title).click();
    await expect(page.getByTestId('war-title')).toHaveText(seeded.title);

    // Badges: the guest's note is unverified, the pre-signing entry unsigned, a signed one neither.
    await expect(room.row(seeded.guestText).getByTestId('entry-unverified')).toHaveText('unverified: named by themselves');
    await expect(room.row(seeded.unsignedText).getByTestId('entry-unsigned')).toHaveText('unsigned');
    await expect(room.row(seeded.signedText).getByTestId('entry-unverified')).toHaveCount(0);
    await expect(room.row(seeded.signedText).getByTestId('entry-unsigned')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('war-room-trust.png') });

    // Status changes: disabled, saying who may.
    const toMitigated = page.getByTestId('status-to-mitigated');
    await expect(toMitigated).toBeDisabled();
    await expect(toMitigated).toHaveAttribute('title', /Your role \(responder\) cannot do this: admin, commander may/);
    // The palette leaves out severity, freeze and legal hold, and still offers a note.
    await page.keyboard.press('Control+k');
    await expect(room.palette).toBeVisible();
    for (const words of ['severity', 'freeze deployments', 'legal hold']) {
      await page.getByTestId('palette-input').fill(words);
      await expect(room.palette.getByTestId('palette-item')).toHaveCount(0);
    }
    await page.getByTestId('palette-input').fill('note');
    await expect(room.palette.getByTestId('palette-item').first()).toBeVisible();
    await page.keyboard.press('Escape');
    // What a responder may do still works.
    await room.typeEntries('Pool exhausted on payments-db');
    await expect(room.row('Pool exhausted on payments-db')).toBeVisible();

    // The directory: every edit is disabled, with who may.
    await page.getByTestId('nav-directory').click();
    await expect(page.getByTestId('add-person')).toBeDisabled();
    await expect(page.getByTestId('add-person')).toHaveAttribute('title', /admin, commander may/);
    await expect(page.getByTestId('import-csv')).toBeDisabled();

    // Settings: how this replica is trusted.
    await page.getByTestId('nav-settings').click();
    const panel = page.getByTestId('trust-panel');
    await expect(panel.getByTestId('trust-mode')).toContainText('Certified by the organisation');
    await expect(panel.getByTestId('trust-user')).toHaveText('rui');
    await expect(panel.getByTestId('trust-role')).toHaveText('responder');
    await expect(panel.getByTestId('trust-expiry')).toContainText('renewed by sync before it ends');
    await expect(panel.getByTestId('trust-fingerprint')).toHaveText(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
    await panel.screenshot({ path: test.info().outputPath('settings-trust.png') });
  } finally {
    await web.stop();
  }
});

test('a standalone replica offers everything and says it is not connected yet', async ({ page }) => {
  const web = await startHoldfastWeb(tempDataDir());
  const incidents = new IncidentsPage(page);
  try {
    await incidents.open(web.openUrl);
    await incidents.declare({ title: 'Search latency high', severity: 'SEV3' });
    await expect(page.getByTestId('status-to-mitigated')).toBeEnabled();
    await page.getByTestId('nav-settings').click();
    const panel = page.getByTestId('trust-panel');
    await expect(panel.getByTestId('trust-mode')).toContainText('Standalone');
    await expect(panel.getByTestId('trust-fingerprint')).toContainText('none pinned');
  } finally {
    await web.stop();
  }
});
