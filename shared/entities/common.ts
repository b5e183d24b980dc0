// Pieces the entity declarations share: field schemas and the common authority grants.
import { z } from 'zod';
import type { EntityAuthority } from './authority';

export const epochMs = z.number({ error: 'must be a number' }).int().min(0).max(8_640_000_000_000_000);
export const id = z.string().min(1).max(200);
export const userName = z.string().min(1).max(100);
export const shortText = z.string().max(2000);
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
export const directoryPhone = z.object({ label: z.string().max(40), number: z.string().min(1).max(40) }).strict();

/** What tasks and action items share, in this order: the incident, what is to be done, by whom and by when. */
export const assignedWork = {
  incidentId: id,
  title: z.string().min(1).max(500),
  ownerId: userName.nullable(),
  dueAt: epochMs.nullable(),
};

/** Written by everyone who responds to the incident (commanders, comms leads, responders). */
export const everyResponder: EntityAuthority<never> = { grants: { commander: 'any', comms: 'any', responder: 'any' } };
/** Kept by commanders (and admins) only. */
export const commandersOnly: EntityAuthority<never> = { grants: { commander: 'any', comms: 'none', responder: 'none' } };
/** The runbook library: written by the people who respond, read by comms leads. */
export const libraryWriters: EntityAuthority<never> = { grants: { commander: 'any', comms: 'none', responder: 'any' } };
/** Written by the people who publish stakeholder updates. */
export const publishers: EntityAuthority<never> = { grants: { commander: 'any', comms: 'any', responder: 'none' } };
