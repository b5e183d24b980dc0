// Words the updates pane uses for states, lint rules and the values an author fills in.
import type { DeliveryState, LintRule, UpdateState } from '@shared/domain/comms';
import { templatePlaceholders, updateFieldLabels } from '@shared/domain/comms';

export const updateStateLabels: Record<UpdateState, string> = {
  draft: 'Draft',
  'awaiting-approval': 'Awaiting approval',
  approved: 'Approved',
  rejected: 'Rejected',
  published: 'Published',
  discarded: 'Discarded',
};

export const lintRuleLabels: Record<LintRule, string> = {
  speculation: 'Guess',
  blame: 'Blame',
  'person-name': 'Staff name',
  'internal-host': 'Internal host',
  placeholder: 'Not filled in',
  'internal-jargon': 'Internal jargon',
};

export const deliveryStateLabels: Record<DeliveryState, string> = {
  queued: 'Queued',
  sending: 'Sending',
  delivered: 'Delivered',
  failed: 'Failed',
  retrying: 'Retrying',
};

/** The values an author writes, in the order the composer asks for them. */
export const valueFields = ['headline', 'impact', 'status', 'actions', 'eta'] as const;
export type ValueField = (typeof valueFields)[number];

export const valueLabels: Record<ValueField, string> = {
  headline: 'Headline',
  impact: updateFieldLabels.impact,
  status: updateFieldLabels.status,
  actions: updateFieldLabels.actions,
  eta: 'Expected recovery',
};

export const valueHints: Record<ValueField, string> = {
  headline: templatePlaceholders.headline,
  impact: templatePlaceholders.impact,
  status: templatePlaceholders.status,
  actions: templatePlaceholders.actions,
  eta: templatePlaceholders.eta,
};
