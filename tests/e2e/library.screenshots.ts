// Refreshes docs/screenshots/library-checklists.png (`npm run screenshots`): the Library's evidence
// checklists with the editor open on a new checklist for a Kubernetes node failure, its rows
// written in the order someone thinks of them, one volatility set by hand.
import { expect, test } from '@playwright/test';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { IncidentsPage } from './pages/incidents-page';
import { LibraryPage } from './pages/library-page';

test('screenshot of the evidence checklist editor', async ({ page }) => {
  test.setTimeout(120_000);
  const dataDir = tempDataDir('holdfast-docs-');
  const web = await startHoldfastWeb(dataDir);
  const library = new LibraryPage(page);
  try {
    await new IncidentsPage(page).open(web.openUrl);
    await library.open();
    await expect(library.items).toHaveCount(3);

    await library.newChecklist();
    await library.fill({
      name: 'Kubernetes node failure: before the node is drained',
      types: ['outage', 'capacity'],
      otherTypes: 'kubernetes',
      items: [
        { type: 'memory', asset: 'failed node', what: 'Memory image of the failed node', how: 'avml /mnt/evidence/$(hostname).lime  (external disk, never the node)' },
        { type: 'log', asset: 'failed node', what: 'Kubelet and container runtime logs', how: 'journalctl -u kubelet -u containerd --since -2h > node-journal.txt' },
        { type: 'process', asset: 'failed node', what: 'Running containers and their processes', how: 'crictl ps -a; crictl inspect <id>; ps -eo pid,ppid,cmd' },
        {
          type: 'config',
          asset: 'cluster',
          what: 'Node object and recent events',
          how: 'kubectl get node <name> -o yaml; kubectl get events -A --sort-by=.lastTimestamp',
          isRequired: false,
        },
        {
          type: 'cloud',
          asset: 'cloud console',
          what: 'Instance status checks and console output',
          how: 'aws ec2 get-console-output --instance-id <id>',
          volatility: 3,
          isRequired: false,
        },
      ],
    });
    await expect(library.rows).toHaveCount(5);
    await library.editor.getByTestId('checklist-name-input').focus();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'docs/screenshots/library-checklists.png' });
  } finally {
    await web.stop();
  }
});
