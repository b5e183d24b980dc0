// Setting up evidence scenarios through the engine's API (as a script would), so each focused test
// starts where its behaviour begins: a running `holdfast web` with the sample runbooks and evidence
// checklists imported, an orders-database outage declared, optionally its database checklist
// started, and the war room open in the page. Also the files the engine hashes, written by the test.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { tempDir } from '../../support/temp';
import { importRunbooks, startHoldfastWeb, tempDataDir, type RunningWeb } from '../holdfast-web';
import { callApi } from './comms-room';
import { IncidentsPage } from './incidents-page';

export const incidentTitle = 'Orders database primary not accepting writes';
/** The items of the "Database outage: before failover or restart" checklist, as the tests name them. */
export const config = 'Configuration snapshot';
export const serverLog = 'Server log since the incident began';
export const coreDump = 'Core dump of the hung or crashing server process';

export interface EvidenceRoom {
  web: RunningWeb;
  incidentId: string;
}

/**
 * Starts `holdfast web` with the sample library, declares the outage through the API (SEV1, type
 * outage, service orders-db, the declarer taking command as in the dialog), starts the database
 * checklist unless `checklist` is false, and opens the incident's war room in `page`.
 */
export async function openOutageWarRoom(page: Page, options: { checklist?: boolean } = {}): Promise<EvidenceRoom> {
  const dataDir = tempDataDir();
  importRunbooks(dataDir);
  const web = await startHoldfastWeb(dataDir);
  // Until the test holds it (and stops it in its finally), a failed setup stops the process itself.
  try {
    const incident = await callApi(web, 'incidents.create', { title: incidentTitle, severity: 'SEV1', type: 'outage', services: ['orders-db'] });
    if (options.checklist !== false) await callApi(web, 'evidence.startChecklist', { incidentId: incident.id, templateId: 'database-outage' });
    const incidents = new IncidentsPage(page);
    await incidents.open(web.openUrl);
    await incidents.row(incidentTitle).click();
    await expect(page.getByTestId('war-title')).toHaveText(incidentTitle);
    return { web, incidentId: incident.id };
  } catch (error) {
    await web.stop();
    throw error;
  }
}

/** Waives a checklist item through the API, as another responder would. */
export async function waive(room: EvidenceRoom, what: string, reason: string, approvedBy: string): Promise<void> {
  const { artifacts } = await callApi(room.web, 'evidence.list', { incidentId: room.incidentId });
  const artifact = artifacts.find((a) => a.what.includes(what));
  if (!artifact) throw new Error(`no artifact "${what}" in ${artifacts.map((a) => a.what).join(', ')}`);
  await callApi(room.web, 'evidence.waive', { artifactId: artifact.id, reason, approvedBy });
}

/** A file of random bytes in a new temp folder (removed with the test's temp folders). */
export function evidenceFile(name: string, size: number): { path: string; bytes: Buffer } {
  const path = join(tempDir('holdfast-evidence-'), name);
  const bytes = randomBytes(size);
  writeFileSync(path, bytes);
  return { path, bytes };
}
