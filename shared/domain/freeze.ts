// Deployment freezes: declared by an incident's commander, shown in the war room header, lifted on
// the record. A freeze is active until it is lifted or its `until` time passes.
import { z } from 'zod';
import type { EntityRecord } from '../entities/rows';
import { utcMs } from './common';

/** A freeze as its entity declares it (shared/entities/incident.ts). */
export type Freeze = EntityRecord<'freeze'>;

export const isFreezeActive = (freeze: Freeze, now: number) => freeze.liftedAt === null && (freeze.until === null || freeze.until > now);

export const declareFreezeRequest = z
  .object({
    incidentId: z.string({ error: 'must be an incident id' }).min(1).max(100, { error: 'must be at most 100 characters' }),
    scope: z
      .string({ error: 'must be text' })
      .trim()
      .min(1, { error: 'say what is frozen (e.g. "all production" or a service)' })
      .max(200, { error: 'must be at most 200 characters' }),
    reason: z.string({ error: 'must be text' }).trim().min(3, { error: 'say why deployments are frozen' }).max(2000, { error: 'must be at most 2000 characters' }),
    until: utcMs.nullable().default(null),
  })
  .strict();

export const liftFreezeRequest = z
  .object({
    freezeId: z.string({ error: 'must be a freeze id' }).min(1).max(100, { error: 'must be at most 100 characters' }),
    reason: z.string({ error: 'must be text' }).trim().max(2000, { error: 'must be at most 2000 characters' }).default(''),
  })
  .strict();
