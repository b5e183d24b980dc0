// What the checklist editor works on: a new checklist, an edit of one in the library (a built-in one
// included: saving keeps the edited copy under the same id), or a copy saved as a new checklist.
// Rows keep what was typed (the volatility as text), and turn into `evidence.saveTemplate` only on
// save, so the engine's checks, not the form's, decide what is valid.
import { artifactTypes, volatilityOf, type ArtifactType, type ChecklistTemplate } from '@shared/domain/evidence';
import { incidentTypes } from '@shared/domain/incident';
import { runbookSlug } from '@shared/domain/runbook-format';
import type { Request } from '@shared/contract';
import { firstFree, idFromName } from '../library-shared/new-id';

export interface ItemDraft {
  /** Identity of the row on screen (React key), never saved. */
  rowId: string;
  key: string;
  /** The key follows `what` until it is typed by hand (new rows only). */
  isKeyAuto: boolean;
  artifactType: ArtifactType;
  asset: string;
  what: string;
  how: string;
  isRequired: boolean;
  /** As typed: 1–9, or empty for the type's default. */
  volatility: string;
}

export interface ChecklistDraft {
  /** The checklist saving overwrites; null saves a new one. */
  templateId: string | null;
  heading: string;
  /** Said above the form when saving does more than the heading says (replacing a built-in). */
  notice: string | null;
  name: string;
  /** The known incident types ticked. */
  types: string[];
  /** Other incident types, comma-separated. */
  otherTypes: string;
  items: ItemDraft[];
}

/** A built-in sample that nobody has saved: it lives in the code, not in the library's data. */
export const isBuiltIn = (template: ChecklistTemplate) => template.updatedBy === 'holdfast' && template.updatedAt === 0;

const knownTypes: readonly string[] = incidentTypes;

let rowCount = 0;
const nextRowId = () => `row-${++rowCount}`;

export function blankItem(artifactType: ArtifactType = 'log'): ItemDraft {
  return { rowId: nextRowId(), key: '', isKeyAuto: true, artifactType, asset: '', what: '', how: '', isRequired: true, volatility: String(volatilityOf[artifactType]) };
}

function itemsOf(template: ChecklistTemplate): ItemDraft[] {
  return template.items.map((item) => ({
    rowId: nextRowId(),
    key: item.key,
    isKeyAuto: false,
    artifactType: artifactTypes.includes(item.artifactType) ? item.artifactType : 'other',
    asset: item.asset,
    what: item.what,
    how: item.how,
    isRequired: item.isRequired,
    volatility: String(item.volatility),
  }));
}

function typesOf(template: ChecklistTemplate): Pick<ChecklistDraft, 'types' | 'otherTypes'> {
  return {
    types: template.incidentTypes.filter((t) => knownTypes.includes(t)),
    otherTypes: template.incidentTypes.filter((t) => !knownTypes.includes(t)).join(', '),
  };
}

export function newChecklistDraft(): ChecklistDraft {
  return { templateId: null, heading: 'New evidence checklist', notice: null, name: '', types: [], otherTypes: '', items: [blankItem('memory')] };
}

export function editChecklistDraft(template: ChecklistTemplate): ChecklistDraft {
  return {
    templateId: template.id,
    heading: `Edit “${template.name}”`,
    notice: isBuiltIn(template) ? 'This checklist is built in to Holdfast. Saving keeps your version in the library in its place (same id), on every replica.' : null,
    name: template.name,
    ...typesOf(template),
    items: itemsOf(template),
  };
}

export function duplicateChecklistDraft(template: ChecklistTemplate): ChecklistDraft {
  return {
    templateId: null,
    heading: `New checklist from “${template.name}”`,
    notice: null,
    name: `${template.name} (copy)`,
    ...typesOf(template),
    items: itemsOf(template),
  };
}

const stopWords = new Set(['a', 'an', 'and', 'the', 'of', 'to', 'from', 'for', 'in', 'on', 'at', 'by', 'with', 'its', 'their', 'every', 'all']);

/** A key from what is collected: `Memory image of the failed node` → `memory-image-failed-node`, unique among `taken`. */
export function deriveKey(what: string, taken: ReadonlySet<string>): string {
  const words = runbookSlug(what)
    .split('-')
    .filter((w) => w !== '');
  const kept = words.filter((w) => !stopWords.has(w));
  let base = '';
  for (const word of kept.length > 0 ? kept : words) {
    const next = base === '' ? word : `${base}-${word}`;
    if (next.length > 40) break;
    base = next;
  }
  if (base === '' && words.length > 0) base = words[0].slice(0, 40);
  return base === '' ? '' : firstFree(base, (key) => taken.has(key));
}

/** Gives every row whose key follows its `what` the key it derives, in order. */
export function withDerivedKeys(items: ItemDraft[]): ItemDraft[] {
  const taken = new Set(items.filter((i) => !i.isKeyAuto).map((i) => i.key));
  return items.map((item) => {
    if (!item.isKeyAuto) return item;
    const key = deriveKey(item.what, taken);
    if (key) taken.add(key);
    return key === item.key ? item : { ...item, key };
  });
}

/** A row with another artifact type: a volatility left at the old type's default follows the new type. */
export function withType(item: ItemDraft, artifactType: ArtifactType): ItemDraft {
  const isDefault = item.volatility.trim() === '' || item.volatility.trim() === String(volatilityOf[item.artifactType]);
  return { ...item, artifactType, volatility: isDefault ? String(volatilityOf[artifactType]) : item.volatility };
}

/** The volatility a row is listed by (its own, else its type's). */
export function volatilityOfRow(item: ItemDraft): number {
  const typed = Number(item.volatility);
  return item.volatility.trim() !== '' && Number.isFinite(typed) ? typed : volatilityOf[item.artifactType];
}

/** Most volatile first; rows with the same volatility keep their order. */
export function sortedByVolatility(items: ItemDraft[]): ItemDraft[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => volatilityOfRow(a.item) - volatilityOfRow(b.item) || a.index - b.index)
    .map(({ item }) => item);
}

export function incidentTypesOf(draft: ChecklistDraft): string[] {
  const others = draft.otherTypes
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const ticked = knownTypes.filter((t) => draft.types.includes(t));
  return [...new Set([...ticked, ...others])];
}

/**
 * The save request. A new checklist gets its id from its name as the engine would, with a number
 * added when a checklist in the library already has it, so a new one never overwrites another.
 */
export function saveRequest(draft: ChecklistDraft, takenIds: ReadonlySet<string>): Request<'evidence.saveTemplate'> {
  const id = draft.templateId ?? idFromName(draft.name, (candidate) => takenIds.has(candidate));
  return {
    ...(id === undefined ? {} : { id }),
    name: draft.name,
    incidentTypes: incidentTypesOf(draft),
    items: draft.items.map((item) => {
      const volatility = item.volatility.trim() === '' ? undefined : Number(item.volatility);
      return {
        key: item.key.trim(),
        artifactType: item.artifactType,
        asset: item.asset,
        what: item.what,
        how: item.how,
        isRequired: item.isRequired,
        ...(volatility === undefined ? {} : { volatility }),
      };
    }),
  };
}

/** Whether the draft differs from what it was opened with (row ids aside). */
export function isChanged(draft: ChecklistDraft, initial: ChecklistDraft): boolean {
  const plain = (d: ChecklistDraft) => JSON.stringify({ ...d, items: d.items.map(({ rowId: _rowId, ...rest }) => rest) });
  return plain(draft) !== plain(initial);
}

export interface FieldProblem {
  /** The row (in the order sent), or null for a field of the checklist itself. */
  row: number | null;
  field: string;
  message: string;
}

/**
 * The fields an engine error names (`Invalid request for evidence.saveTemplate: items.2.key: must
 * be…; name: name the checklist`), so the form can mark them.
 */
export function fieldProblems(error: string | null): FieldProblem[] {
  if (!error) return [];
  const body = error.replace(/^Invalid request for [\w.]+: /, '');
  return body
    .split('; ')
    .map((part) => /^([\w.]+): ([\s\S]+)$/.exec(part))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => {
      const path = match[1].split('.');
      if (path[0] === 'items' && path.length >= 3 && /^\d+$/.test(path[1])) return { row: Number(path[1]), field: path[2], message: match[2] };
      if (path[0] === 'items' && path.length === 1) return { row: null, field: 'items', message: match[2] };
      return { row: null, field: path[0], message: match[2] };
    });
}
