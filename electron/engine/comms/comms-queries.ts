// Reads of an incident's stakeholder comms that the war room, the review draft and the reports
// share: the updates published, each with its deliveries and its copy as Markdown and plain text.
import type { PublishedUpdate } from '@shared/domain/comms-api';
import type { Incident } from '@shared/domain/incident';
import type { CommsStore } from './comms-store';
import { publishedView } from './update-views';

/** The incident's published updates, newest first as the store keeps them. */
export function publishedUpdates(comms: CommsStore, incident: Incident): PublishedUpdate[] {
  const deliveries = comms.deliveries(incident.id);
  return comms.published(incident.id).map((p) => publishedView(p, incident, deliveries));
}
