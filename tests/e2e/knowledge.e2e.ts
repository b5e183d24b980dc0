// What each responder could know, in Chromium against a real `holdfast web`: the review flags the
// split war room in words, and shows the timeline as hana held it when she decided to fail over
// (bob's observation had not reached her), then as bob held it at his own decision.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { knowledgeSeed } from './pages/knowledge-values';
import { openSplitWarRoom } from './pages/knowledge';

const e = knowledgeSeed.entries;

test('the review shows the timeline as each responder held it, and flags the split war room', async ({ page }) => {
  const { web, panel } = await openSplitWarRoom(page);
  try {
    await expect(panel.splits).toHaveCount(1);
    await expect(panel.splits.first()).toContainText(`Split war room: hana (with carol) decided "${e.failover}"`);
    await expect(panel.splits.first()).toContainText(`without bob's entries, and bob decided "${e.restart}"`);
    await expect(panel.decisions.filter({ hasText: 'When hana decided' })).toContainText("bob's observation from");
    await expect(panel.decisions.filter({ hasText: 'When hana decided' })).toContainText('had not reached hana.');

    // hana decided first: the panel looks from her, at the end; then from her decision.
    await expect(panel.person).toHaveValue('hana');
    await expect(panel.entry(e.lag)).toHaveAttribute('data-state', 'seen');
    await panel.moments.filter({ hasText: 'Fail over' }).click();
    await expect(panel.moments.filter({ hasText: 'Fail over' })).toHaveAttribute('aria-pressed', 'true');
    await expect(panel.entry(e.lag)).toHaveAttribute('data-state', 'unseen');
    await expect(panel.entry(e.lag).getByTestId('knowledge-entry-state')).toHaveText('Had not reached them');
    await expect(panel.entry(e.paged)).toHaveAttribute('data-state', 'seen');
    await expect(panel.entry(e.restart)).toHaveCount(0);
    await expect(page.getByTestId('knowledge-counts')).toHaveText(/4 held · 1 had not reached hana/);

    // bob at his decision: hana's and carol's entries since he was cut off had not reached him.
    await panel.person.selectOption('bob');
    await panel.moments.filter({ hasText: 'Restart' }).click();
    await expect(panel.title).toContainText('As seen by bob at');
    await expect(panel.entry(e.failover)).toHaveAttribute('data-state', 'unseen');
    await expect(panel.entry(e.pings)).toHaveAttribute('data-state', 'unseen');
    await expect(panel.entry(e.errors)).toHaveAttribute('data-state', 'seen');
    await expect(panel.entry(e.lag).getByTestId('knowledge-entry-state')).toHaveText('Theirs');
    await page.screenshot({ path: test.info().outputPath('knowledge.png') });

    // No serious or critical accessibility violation in the panel.
    const axe = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .include('[data-testid="knowledge-panel"]')
      .analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  } finally {
    await web.stop();
  }
});
