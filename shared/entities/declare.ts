// The shape of one entity's declaration, and what is derived from it: the projection column of
// each field (snake_case of its name unless declared otherwise) and how a value is stored there
// (JSON text for lists and objects, 0/1 for booleans, as is otherwise; read from the zod type).
import { z } from 'zod';
import type { EntityAuthority } from './authority';
import type { Placement } from './streams';

export type Kind = 'set' | 'append';
export type FieldsSchema = z.ZodObject<z.ZodRawShape>;
export type FieldOf<S extends FieldsSchema> = keyof S['shape'] & string;

/** How a field's value sits in its SQLite column. */
export type Codec = 'plain' | 'json' | 'bool';

export interface EntityDeclaration<K extends Kind = Kind, S extends FieldsSchema = FieldsSchema, N extends string = string> {
  /** `set`: last writer wins per field; `append`: an immutable record. */
  kind: K;
  fields: S;
  /** The stream its ops go to. */
  stream: Placement;
  /** Its projection table. */
  table: string;
  /** Columns that are not the snake_case of their field. */
  columns?: { readonly [F in FieldOf<S>]?: string };
  /** Codecs that are not the one the field's zod type implies. */
  codecs?: { readonly [F in FieldOf<S>]?: Codec };
  /** Fields whose column is NULL until an op sets them, whatever their declared type. */
  nullUntilSet?: readonly N[];
  /** Who may write it. */
  authority: EntityAuthority<FieldOf<S>>;
}

/** Declares an entity; the identity function is there so every declaration is checked and its types kept. */
export const declareEntity = <K extends Kind, S extends FieldsSchema, N extends FieldOf<S> = never>(declaration: EntityDeclaration<K, S, N>) => declaration;

export const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The codec a zod type implies, looking through optional, nullable and default wrappers. */
export function codecOf(schema: z.ZodType): Codec {
  let def = schema.def as { type: string; innerType?: z.ZodType; options?: z.ZodType[] };
  while (def.innerType) def = def.innerType.def;
  if (def.type === 'boolean') return 'bool';
  // A union (e.g. channel configurations of several kinds) is stored as its options are.
  if (def.type === 'union' && def.options) {
    const codecs = new Set(def.options.map(codecOf));
    if (codecs.size !== 1) throw new Error('a union field whose options are stored differently needs an explicit codec');
    return [...codecs][0];
  }
  return ['array', 'object', 'record', 'tuple', 'intersection'].includes(def.type) ? 'json' : 'plain';
}

/** One projected field: its column and codec. */
export interface Column {
  field: string;
  column: string;
  codec: Codec;
}

export function columnsOf(declaration: EntityDeclaration): Column[] {
  const overrides: Readonly<Record<string, string | undefined>> = declaration.columns ?? {};
  const codecs: Readonly<Record<string, Codec | undefined>> = declaration.codecs ?? {};
  return Object.entries(declaration.fields.shape).map(([field, schema]) => ({
    field,
    column: overrides[field] ?? snakeCase(field),
    codec: codecs[field] ?? codecOf(schema as z.ZodType),
  }));
}
