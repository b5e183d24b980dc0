// Reads of reviews and action items that the review calls and the reports share: an incident's
// review with its due date and whether it is late, and action items with whether they are overdue.
import type { Incident } from '@shared/domain/incident';
import { defaultReviewDueHours, isActionOverdue, isReviewLate, reviewDueAt, type ActionItem, type ContributingFactor, type Review } from '@shared/domain/review';
import type { IncidentStore } from '../incidents/incident-store';
import type { ActionFilter, ReviewRow, ReviewStore, StoredAction } from './review-store';

export interface ReviewReads {
  reviews: ReviewStore;
  incidents: IncidentStore;
  now: () => number;
}

const reviewDueHoursKey = 'review:due-hours';

/** How long after resolution a review is due: the organisation's setting, else the default. */
export function reviewDueHours(incidents: IncidentStore): number {
  const value = Number(incidents.setting(reviewDueHoursKey));
  return Number.isInteger(value) && value > 0 ? value : defaultReviewDueHours;
}

/**
 * The text a review shows: what people wrote once edited, else the generated draft. A review
 * written before schema 15 kept all its text in `body` and has no generated draft, so its body
 * is what it shows (rebuilding from ops written then gives the same row).
 */
export function shownBody(row: Pick<ReviewRow, 'body' | 'generated_body' | 'is_edited'>): string {
  return row.is_edited === 1 || row.generated_body === '' ? row.body : row.generated_body;
}

export function toReview({ incidents, now }: Omit<ReviewReads, 'reviews'>, row: ReviewRow, incident: Incident): Review {
  const dueAt = row.due_at ?? reviewDueAt(incident, reviewDueHours(incidents));
  return {
    incidentId: row.incident_id,
    body: shownBody(row),
    factors: JSON.parse(row.factors) as ContributingFactor[],
    state: row.state,
    dueAt,
    isLate: isReviewLate({ dueAt, state: row.state }, now()),
    generatedAt: row.generated_at,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    publishedAt: row.published_at,
  };
}

/** The incident's review, or null when none was started. */
export function reviewOf(reads: ReviewReads, incident: Incident): Review | null {
  const row = reads.reviews.review(incident.id);
  return row ? toReview(reads, row, incident) : null;
}

export const toAction = (now: () => number, item: StoredAction): ActionItem => ({ ...item, isOverdue: isActionOverdue(item, now()) });

/** Action items across incidents, open first, then by due date and priority. */
export function actionItems({ reviews, now }: Pick<ReviewReads, 'reviews' | 'now'>, filter: ActionFilter): ActionItem[] {
  return reviews.actions(filter).map((item) => toAction(now, item));
}

/** An incident's action items in the order they were added. */
export function actionsAsAdded({ reviews, now }: Pick<ReviewReads, 'reviews' | 'now'>, incidentId: string): ActionItem[] {
  return reviews.actionsOfIncident(incidentId).map((item) => toAction(now, item));
}
