// Reading projection rows back: one decoder, derived from the declared columns and codecs, turns a
// row of an entity's table into its typed fields (JSON text parsed, 0/1 made booleans).
import { entityDeclarations, entitySpecs, type EntityFields, type EntityKind, type EntityName } from './index';

type NullUntilSet<E extends EntityName> = (typeof entityDeclarations)[E] extends { nullUntilSet: readonly (infer N)[] } ? N : never;

/**
 * The fields of an entity as its row holds them: every field present; NULL where the declaration
 * says a column is empty until set, and for fields an append record may leave out.
 */
export type StoredFields<E extends EntityName> = {
  [K in keyof EntityFields<E>]-?:
    | Exclude<EntityFields<E>[K], undefined>
    | (K extends NullUntilSet<E> ? null : never)
    | (EntityKind<E> extends 'append' ? (undefined extends EntityFields<E>[K] ? null : never) : never);
};

/** A record of an entity as stored: its row id and its fields. */
export type EntityRecord<E extends EntityName> = { id: string } & StoredFields<E>;
/** A row of a `set` entity: its record and when it last changed (clock time, ms). */
export type StoredRow<E extends EntityName> = EntityRecord<E> & { updatedAt: number };

type Row = Readonly<Record<string, unknown>>;

/** The declared fields of `row`, a row of `entity`'s table read with `SELECT *`. */
export function decodeFields<E extends EntityName>(entity: E, row: Row): StoredFields<E> {
  const fields: Record<string, unknown> = {};
  for (const { field, column, codec } of entitySpecs[entity].columns) {
    const value = row[column];
    fields[field] = value === null || value === undefined ? null : codec === 'json' ? (JSON.parse(value as string) as unknown) : codec === 'bool' ? value === 1 : value;
  }
  return fields as StoredFields<E>;
}

/** Decoders of `entity`'s rows, to map over query results: the record, or the record with updatedAt. */
export const recordDecoder =
  <E extends EntityName>(entity: E) =>
  (row: unknown): EntityRecord<E> => ({ id: String((row as Row).id), ...decodeFields(entity, row as Row) });
export const rowDecoder =
  <E extends EntityName>(entity: E) =>
  (row: unknown): StoredRow<E> => ({ id: String((row as Row).id), ...decodeFields(entity, row as Row), updatedAt: Number((row as Row).updated_at) });

/** `decode(row)`, or undefined when the query found no row. */
export const maybe = <T>(row: unknown, decode: (row: unknown) => T): T | undefined => (row === undefined ? undefined : decode(row));
