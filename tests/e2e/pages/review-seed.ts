// Setting up review scenarios through the engine's API (as a script would), so each focused test
// starts where its behaviour begins: a resolved incident, with or without its review generated,
// its war room open on the review pane; and, for the reviews page, two incidents with action items,
// one of them overdue, one done, and a published review; for retention, incidents closed months ago.
import type { Page } from '@playwright/test';
import { tempDataDir, type RunningWeb } from '../holdfast-web';
import { startShiftedWeb, type ShiftedWeb } from '../shifted-clock';
import { callApi } from './comms-room';
import { IncidentsPage } from './incidents-page';
import { seedIncidents } from './metrics-seed';
import { RetentionSettings, ReviewPane } from './review';

export const day = 86_400_000;

/** Declares an incident through the API (the declarer taking command) and resolves it; answers its id. */
export async function resolvedIncident(web: RunningWeb, title: string, options: { review?: 'draft' | 'published' } = {}): Promise<string> {
  const incident = await callApi(web, 'incidents.create', { title, severity: 'SEV2', services: ['orders-api'] });
  await callApi(web, 'incidents.setStatus', { id: incident.id, status: 'resolved' });
  if (options.review !== undefined) await callApi(web, 'reviews.generate', { incidentId: incident.id });
  if (options.review === 'published') await callApi(web, 'reviews.save', { incidentId: incident.id, state: 'published' });
  return incident.id;
}

/** Opens the incident's war room in `page`, on the review pane. */
export async function openReview(page: Page, web: RunningWeb, title: string): Promise<ReviewPane> {
  await new IncidentsPage(page).openIncident(web.openUrl, title);
  const review = new ReviewPane(page);
  await review.open();
  return review;
}

/** The incidents and action items the reviews page tests read. */
export const acrossIncidents = {
  reviewed: 'Orders API returning 503s',
  unresolved: 'Cache stampede on product pages',
  overdue: 'Alert on a 5xx rate above 2% for 2 minutes',
  onTime: 'Raise the connection pool limit and load-test it',
  done: 'Runbook: shed load from orders-api',
  otherIncident: 'Coalesce requests in the product cache',
} as const;

/**
 * The orders incident resolved with its review published and three action items (one overdue, one
 * on time, one done); the cache incident still open with one item of its own. Answers the ids.
 */
export async function seedActionsAcrossIncidents(web: RunningWeb): Promise<{ reviewed: string; unresolved: string }> {
  const a = acrossIncidents;
  const unresolved = await callApi(web, 'incidents.create', { title: a.unresolved, severity: 'SEV3', services: ['catalog'] });
  await callApi(web, 'actions.add', {
    incidentId: unresolved.id,
    title: a.otherIncident,
    ownerId: 'priya',
    dueAt: Date.now() + 7 * day,
    priority: 'P2',
    type: 'prevent',
  });
  const reviewed = await resolvedIncident(web, a.reviewed, { review: 'published' });
  await callApi(web, 'actions.add', { incidentId: reviewed, title: a.overdue, ownerId: 'dmitri', dueAt: Date.now() - 2 * day, priority: 'P1', type: 'detect' });
  await callApi(web, 'actions.add', { incidentId: reviewed, title: a.onTime, ownerId: 'sam', dueAt: Date.now() + 14 * day, priority: 'P2', type: 'prevent' });
  const done = await callApi(web, 'actions.add', { incidentId: reviewed, title: a.done, ownerId: 'sam', dueAt: Date.now() + 30 * day, priority: 'P3', type: 'mitigate' });
  await callApi(web, 'actions.update', { id: done.id, status: 'done' });
  return { reviewed, unresolved: unresolved.id };
}

/** For retention: incidents closed a day after they were resolved, 199, 149 and 4 days ago; the 149-day one on legal hold. */
export const retentionSeed = { old: 'Old DNS outage', held: 'Old data export incident', recent: 'Recent cache incident', holdReason: 'Regulator inquiry 7731' } as const;

export async function seedClosedIncidents(web: ShiftedWeb): Promise<void> {
  const r = retentionSeed;
  const now = Date.now();
  const ids = await seedIncidents(web, now, [
    { title: r.old, severity: 'SEV2', services: ['dns'], daysAgo: 200, detectedBefore: 0, mitigatedAfter: 20, resolvedAfter: 60 },
    { title: r.held, severity: 'SEV1', services: ['exports'], daysAgo: 150, detectedBefore: 0, mitigatedAfter: 30, resolvedAfter: 90 },
    { title: r.recent, severity: 'SEV3', services: ['cache'], daysAgo: 5, detectedBefore: 0, mitigatedAfter: 10, resolvedAfter: 20 },
  ]);
  for (const [title, daysAgo] of [
    [r.old, 199],
    [r.held, 149],
    [r.recent, 4],
  ] as const) {
    await web.setClock(now - daysAgo * day);
    await callApi(web, 'incidents.setStatus', { id: ids[title], status: 'closed' });
  }
  await web.realClock();
  await callApi(web, 'incidents.setLegalHold', { incidentId: ids[r.held], isHeld: true, reason: r.holdReason });
}

/**
 * Starts a `holdfast web` with a clock the test sets, lays down the closed incidents, sets the
 * retention period through the API when `keepDays` is given, and opens the retention settings.
 */
export async function openRetention(page: Page, keepDays?: number): Promise<{ web: ShiftedWeb; retention: RetentionSettings }> {
  const web = await startShiftedWeb(tempDataDir('holdfast-retention-'));
  // Until the test holds it (and stops it in its finally), a failed setup stops the process itself.
  try {
    await seedClosedIncidents(web);
    if (keepDays !== undefined) await callApi(web, 'retention.set', { keepDays });
    const retention = new RetentionSettings(page);
    await new IncidentsPage(page).open(web.openUrl);
    await retention.open();
    return { web, retention };
  } catch (error) {
    await web.stop();
    throw error;
  }
}
