// Entities of the shared org and directory streams: organisation settings and the people
// directory (people, teams, conference bridges), kept by commanders.
//
// Ops check shape only; what a person may type (a time zone this runtime knows, a dialable number)
// is checked by the request schemas, so a replica whose time-zone database is older never refuses
// what a newer one wrote.
import { z } from 'zod';
import { maxDialIns, maxPhones } from '../domain/directory';
import { commandersOnly, directoryPhone, id, shortText, userName } from './common';
import { declareEntity } from './declare';
import { placements } from './streams';

/** Organisation settings (row id: the setting's name), e.g. `severity:SEV1`, what SEV1 means here. */
export const org_setting = declareEntity({
  kind: 'set',
  fields: z.object({ value: z.string().max(2000) }).strict(),
  stream: placements.org,
  table: 'org_settings',
  authority: commandersOnly,
});

export const person = declareEntity({
  kind: 'set',
  fields: z
    .object({
      name: z.string().min(1).max(200),
      /** Their Holdfast user name, the id incident roles are held by; null when they have none. */
      handle: userName.nullable(),
      email: z.string().max(320),
      phones: z.array(directoryPhone).max(maxPhones),
      teamId: id.nullable(),
      /** IANA name (e.g. Europe/Berlin), or '' when unknown. */
      timeZone: z.string().max(100),
      title: z.string().max(200),
      notes: z.string().max(5000),
      deleted: z.boolean(),
    })
    .partial()
    .strict(),
  stream: placements.directory,
  table: 'people',
  authority: commandersOnly,
});

export const team = declareEntity({
  kind: 'set',
  fields: z
    .object({
      name: z.string().min(1).max(200),
      description: shortText,
      /** The number that reaches whoever is on call for the team. */
      escalationPhone: z.string().max(40),
      /** A pager address or service name, for teams paged rather than called. */
      pager: z.string().max(200),
      /** The integration targets (shared/entities/integrations) that page this team. */
      pagingTargetIds: z.array(id).max(10),
      deleted: z.boolean(),
    })
    .partial()
    .strict(),
  stream: placements.directory,
  table: 'teams',
  authority: commandersOnly,
});

/** A conference bridge the war room dials into when chat is down. */
export const bridge = declareEntity({
  kind: 'set',
  fields: z
    .object({
      name: z.string().min(1).max(200),
      dialIn: z.array(directoryPhone).max(maxDialIns),
      meetingUrl: z.string().max(2000),
      pin: z.string().max(40),
      notes: z.string().max(5000),
      deleted: z.boolean(),
    })
    .partial()
    .strict(),
  stream: placements.directory,
  table: 'bridges',
  authority: commandersOnly,
});
