// What a stakeholder update is made of: its audiences, the states an update and its deliveries
// pass through, the fields every update answers, and how an update states a time.
import { format } from 'date-fns';
import { UTCDate } from '@date-fns/utc';

export const audiences = ['internal', 'executives', 'customers'] as const;
export type Audience = (typeof audiences)[number];

export const audienceLabels: Record<Audience, string> = {
  internal: 'Internal responders',
  executives: 'Executives',
  customers: 'Customers',
};

/** Where an update stands: written, waiting for a second person, decided, out, or dropped. */
export const updateStates = ['draft', 'awaiting-approval', 'approved', 'rejected', 'published', 'discarded'] as const;
export type UpdateState = (typeof updateStates)[number];

/** Where the delivery of a published update to one channel stands. */
export const deliveryStates = ['queued', 'sending', 'delivered', 'failed', 'retrying'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

export const maxUpdateTitleChars = 500;
export const maxUpdateBodyChars = 20_000;

/** The fields every update answers, whatever its audience. */
export const updateFields = ['impact', 'status', 'actions', 'nextUpdate'] as const;
export type UpdateField = (typeof updateFields)[number];

/** What the composer calls each field. */
export const updateFieldLabels: Record<UpdateField, string> = {
  impact: 'Impact',
  status: 'Current status',
  actions: 'What we are doing',
  nextUpdate: 'Next update at',
};

/** A time as updates state it: UTC, to the minute ("2025-03-01 14:05 UTC"). */
export function formatUpdateTime(ms: number): string {
  return `${format(new UTCDate(ms), 'yyyy-MM-dd HH:mm')} UTC`;
}
