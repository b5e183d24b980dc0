// The Library's evidence checklists in Chromium against a real `holdfast web`: the built-in samples
// listed and read most volatile first; a new checklist written row by row and shown in its order of
// volatility; a key the engine refuses, with its message, and nothing saved; a built-in edited
// (then no longer built in), a copy removed and a built-in hidden; and the new checklist offered
// in a war room's Evidence panel, starting with its items.
import { expect, test } from '@playwright/test';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { EvidencePage } from './pages/evidence';
import { IncidentsPage } from './pages/incidents-page';
import { LibraryPage, type ChecklistInput } from './pages/library-page';

const badRelease = 'Bad release: before rollback';
const dbOutage = 'Database outage: before failover or restart';
const compromised = 'Suspected compromised host';
const kubernetes = 'Kubernetes node failure';

const nodeChecklist: ChecklistInput = {
  name: kubernetes,
  types: ['outage', 'capacity'],
  otherTypes: 'kubernetes',
  // Written in the order someone thinks of them, not the order they are collected in.
  items: [
    { type: 'memory', asset: 'failed node', what: 'Memory image of the failed node', how: '`avml` to external storage before the node is drained' },
    { type: 'log', asset: 'failed node', what: 'Kubelet and container runtime logs', how: '`journalctl -u kubelet -u containerd --since -2h`' },
    { type: 'config', asset: 'cluster', what: 'Node object and recent events', how: 'kubectl get node <name> -o yaml; kubectl get events -A', isRequired: false },
  ],
};

test('evidence checklists are read, written, refused, edited and removed in the library, then started in a war room', async ({ page }) => {
  test.setTimeout(120_000);
  const dataDir = tempDataDir();
  const web = await startHoldfastWeb(dataDir);
  const incidents = new IncidentsPage(page);
  const library = new LibraryPage(page);
  const evidence = new EvidencePage(page);
  try {
    await incidents.open(web.openUrl);
    await library.open();

    // The three built-in samples, by name, each marked built-in.
    await expect(library.itemNames).toHaveText([badRelease, dbOutage, compromised]);
    await expect(library.items.getByTestId('built-in-badge')).toHaveCount(3);
    await expect(library.item(dbOutage).getByTestId('checklist-item-counts')).toHaveText('6 items · 5 required');
    await expect(library.item(compromised).getByTestId('checklist-types')).toHaveText('security');

    // A built-in read most volatile first, with the order of volatility explained.
    await library.select(dbOutage);
    await expect(library.detail.getByTestId('volatility-note')).toContainText('RFC 3227');
    await expect(library.entries.getByTestId('item-type')).toHaveText(['process', 'heap-dump', 'config', 'database', 'log', 'log']);
    await expect(library.entries.getByTestId('item-volatility')).toHaveText(['2', '3', '4', '5', '6', '6']);
    await expect(library.entries.first().getByTestId('item-what')).toHaveText('Process list, open connections and locks');
    await expect(library.entries.first().getByTestId('item-asset')).toContainText('database primary');
    await expect(library.entries.first().getByTestId('item-how').locator('code').first()).toHaveText('ps auxww');
    await expect(library.entries.nth(1).getByTestId('item-required')).toHaveText('optional');

    // A new checklist: a new row's key follows what it collects, its volatility follows its type.
    await library.newChecklist();
    await expect(library.rows).toHaveCount(1);
    await library.fill(nodeChecklist);
    await expect(library.rows).toHaveCount(3);
    await expect(library.row(0).getByTestId('item-key-input')).toHaveValue('memory-image-failed-node');
    await expect(library.row(1).getByTestId('item-key-input')).toHaveValue('kubelet-container-runtime-logs');
    await expect(library.row(1).getByTestId('item-volatility-input')).toHaveValue('6');
    await expect(library.row(2).getByTestId('item-volatility-input')).toHaveValue('4');
    await library.saveChecklist(kubernetes);

    // Listed by name, no longer built-in; read in its order of volatility.
    await expect(library.itemNames).toHaveText([badRelease, dbOutage, kubernetes, compromised]);
    await expect(library.item(kubernetes).getByTestId('built-in-badge')).toHaveCount(0);
    await expect(library.item(kubernetes).getByTestId('checklist-item-counts')).toHaveText('3 items · 2 required');
    await expect(library.item(kubernetes).getByTestId('checklist-types')).toHaveText('outagecapacitykubernetes');
    await expect(library.detail.getByTestId('built-in-badge')).toHaveCount(0);
    await expect(library.entries.getByTestId('item-type')).toHaveText(['memory', 'config', 'log']);
    await expect(library.entries.getByTestId('item-volatility')).toHaveText(['1', '4', '6']);
    await expect(library.entries.getByTestId('item-what')).toHaveText([
      'Memory image of the failed node',
      'Node object and recent events',
      'Kubelet and container runtime logs',
    ]);
    await expect(library.entries.getByTestId('item-required')).toHaveText(['required', 'optional', 'required']);
    // What was typed in How reads as typed, placeholders in angle brackets included; backticks mark code.
    await expect(library.entries.nth(1).getByTestId('item-how')).toHaveText('kubectl get node <name> -o yaml; kubectl get events -A');
    await expect(library.entries.nth(2).getByTestId('item-how').locator('code')).toHaveText('journalctl -u kubelet -u containerd --since -2h');

    // A key the engine refuses: its message is shown at the row, and nothing is saved.
    await library.newChecklist();
    await library.fill({ name: 'Broken checklist', items: [{ type: 'log', what: 'Node journal', key: 'Node Journal!' }] });
    await library.save.click();
    await expect(library.saveError).toContainText('items.0.key: must be lower-case letters, digits and dashes');
    await expect(library.row(0).getByTestId('item-problems')).toContainText('key: must be lower-case letters, digits and dashes');
    await expect(library.row(0).getByTestId('item-key-input')).toHaveAttribute('aria-invalid', 'true');
    await expect(library.editor).toBeVisible();
    await library.discard();
    await expect(library.itemNames).toHaveText([badRelease, dbOutage, kubernetes, compromised]);
    // Read again from the engine, not from what the page kept.
    await page.getByTestId('nav-incidents').click();
    await library.open();
    await expect(library.itemNames).toHaveText([badRelease, dbOutage, kubernetes, compromised]);

    // A built-in edited: saved in its place, and no longer built-in.
    await library.select(badRelease);
    await expect(library.detail.getByTestId('built-in-badge')).toBeVisible();
    await library.edit();
    await expect(library.editor.getByTestId('checklist-editor-notice')).toContainText('built in');
    const podState = await library.rowOf('Pod and ReplicaSet state');
    await podState.getByTestId('item-what-input').fill('Pod, ReplicaSet and node state');
    // An existing item keeps its key when what it collects is renamed.
    await expect(podState.getByTestId('item-key-input')).toHaveValue('pod-state');
    await library.saveChecklist(badRelease);
    await expect(library.detail.getByTestId('built-in-badge')).toHaveCount(0);
    await expect(library.item(badRelease).getByTestId('built-in-badge')).toHaveCount(0);
    await expect(library.entries.first().getByTestId('item-what')).toHaveText('Pod, ReplicaSet and node state');
    await expect(library.entries).toHaveCount(4);
    await expect(library.items.getByTestId('built-in-badge')).toHaveCount(2);

    // A copy saved as a new checklist, then removed; a built-in hidden.
    await library.select(dbOutage);
    await library.duplicate();
    await expect(library.editor.getByTestId('checklist-name-input')).toHaveValue(`${dbOutage} (copy)`);
    await library.saveChecklist(`${dbOutage} (copy)`);
    await expect(library.items).toHaveCount(5);
    await expect(library.entries).toHaveCount(6);
    await library.removeOpen();
    await expect(library.items).toHaveCount(4);
    await expect(library.item(`${dbOutage} (copy)`)).toHaveCount(0);
    await library.select(compromised);
    await library.removeOpen();
    await expect(library.itemNames).toHaveText([badRelease, dbOutage, kubernetes]);

    // In a war room, the new checklist is offered (the hidden one is not) and starts with its items.
    await page.getByTestId('nav-incidents').click();
    await incidents.declare({ title: 'Node pool worker-7 NotReady, checkout pods evicted', severity: 'SEV2', type: 'outage' });

    await evidence.panel.getByTestId('evidence-start-checklist').click();
    await expect(evidence.dialog).toBeVisible();
    const picker = evidence.dialog.getByTestId('field-template');
    await expect(picker.locator('option[value="kubernetes-node-failure"]')).toHaveText(/Kubernetes node failure — 3 items, 2 required · ✓ matches type outage/);
    await expect(picker.locator('option[value="compromised-host"]')).toHaveCount(0);
    await picker.selectOption('kubernetes-node-failure');
    await evidence.dialog.getByTestId('action-submit').click();
    await expect(evidence.dialog).toBeHidden();
    await expect(evidence.artifacts).toHaveCount(3);
    await expect(evidence.artifacts.getByTestId('artifact-type')).toHaveText(['memory', 'config', 'log']);
    await expect(evidence.artifacts.getByTestId('artifact-what')).toHaveText([
      'Memory image of the failed node',
      'Node object and recent events',
      'Kubelet and container runtime logs',
    ]);
  } finally {
    await web.stop();
  }
});
