// Setting up runbook scenarios through the engine's API (as a script would), so each focused test
// starts where its behaviour begins: a `holdfast web` whose library was filled by the real
// `holdfast runbooks import` of docs/runbooks, an orders-database outage declared (SEV1, type
// outage, service orders-db, the declarer taking command as in the dialog), optionally the database
// failover runbook started and followed some way along one path, and the war room open in the page.
import { expect, type Page } from '@playwright/test';
import type { RunbookRun } from '@shared/domain/runbook';
import { importRunbooks, startHoldfastWeb, tempDataDir, type RunningWeb } from '../holdfast-web';
import { callApi } from './comms-room';
import { IncidentsPage } from './incidents-page';
import { RunbookRunPage } from './runbook-run';

export const failover = 'Fail over the orders database to a streaming replica';
export const skipReason = 'Patroni list shows orders-db-2 streaming with 0 MB lag; no need to compare LSNs';
export const failNote = 'ssh to orders-db-1 timed out: no logs captured, dashboard screenshot only';

/**
 * The path the tests follow through the failover runbook, in order: step 1 done, 2 skipped with a
 * reason, 3 failed with a note, the decision at 4 answered "manual" (passing over step 5), and
 * step 7 done while step 6 is still open.
 */
const path = [
  { step: 1, state: 'done' },
  { step: 2, state: 'skipped', note: skipReason },
  { step: 3, state: 'failed', note: failNote },
  { step: 4, state: 'done', branch: 'manual' },
  { step: 7, state: 'done' },
] as const;

/** Imports docs/runbooks with the real CLI into a new data folder and starts `holdfast web` on it; answers the import's output too. */
export async function startLibraryWeb(): Promise<{ web: RunningWeb; imported: string }> {
  const dataDir = tempDataDir('holdfast-runbooks-');
  const imported = importRunbooks(dataDir);
  return { web: await startHoldfastWeb(dataDir), imported };
}

export interface OutageRoom {
  incidentId: string;
  /** The failover run, when started. */
  runId?: string;
}

/**
 * Declares the outage titled `title` through the API and opens its war room in `page`. With `follow`,
 * the failover runbook is started and the first `follow` moves of the path are made (0: just started).
 */
export async function openOutage(page: Page, web: RunningWeb, title: string, options: { follow?: number } = {}): Promise<OutageRoom> {
  const incident = await callApi(web, 'incidents.create', { title, severity: 'SEV1', type: 'outage', services: ['orders-db'] });
  let run: RunbookRun | undefined;
  if (options.follow !== undefined) {
    run = await callApi(web, 'runs.start', { incidentId: incident.id, runbookId: 'database-failover' });
    for (const move of path.slice(0, options.follow)) run = await callApi(web, 'runs.setStep', { runId: run.id, ...move });
    expect(run.steps.filter((s) => s.state !== 'pending')).toHaveLength(options.follow);
  }
  await new IncidentsPage(page).openIncident(web.openUrl, title);
  return { incidentId: incident.id, runId: run?.id };
}

/** As openOutage with the run started and followed `follow` moves, and its drawer open. */
export async function openFailoverRun(page: Page, web: RunningWeb, title: string, follow: number): Promise<RunbookRunPage> {
  await openOutage(page, web, title, { follow });
  const runbooks = new RunbookRunPage(page);
  await runbooks.open(failover);
  return runbooks;
}
