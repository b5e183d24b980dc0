// A bundle is evidence, read-only: its delivery records (delivery rows, claims, settlements) are
// stored refused on import so they never become outbox work. The rule lives here, in the core, so
// that evidence import imposes it and the verdict proof recognises it in the same words.
import type { Op } from '@shared/ops';

const refusalText = 'imported from an evidence bundle: a delivery record is evidence of what was sent, never work for this replica’s outbox';

const isDeliveryWork = (entity: string) => entity.startsWith('comms_delivery') || /claim|settle/.test(entity);

/** Why an op of a bundle is stored refused on import, or null: delivery state, claims and settlements never become work. */
export function refuseDeliveryWork(op: Pick<Op, 'entity'>): string | null {
  return isDeliveryWork(String(op.entity)) ? refusalText : null;
}

/** Whether `refusal` is the one import imposes on this entity: any replica may hold it, whatever the judge says. */
export const isImposedOnImport = (entity: string, refusal: string | null) =>
  refusal !== null && refusal.startsWith('imported from an evidence bundle:') && isDeliveryWork(entity);
