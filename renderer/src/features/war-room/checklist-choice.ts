// Which evidence checklist the picker offers first for an incident: one made for its type, and among
// those the one whose name and items share the most words with the incident's title, services and
// summary (a database outage gets "Database outage", not the first "outage" checklist by name).
import type { Incident } from '@shared/domain/incident';
import type { ChecklistTemplate } from '@shared/domain/evidence';

type Template = Pick<ChecklistTemplate, 'id' | 'name' | 'incidentTypes' | 'items'>;
type Described = Pick<Incident, 'type' | 'title' | 'services' | 'summary'>;

/** Spellings of one thing: "db", "postgres" and "database" are the same word here. */
const synonyms: Record<string, string> = {
  db: 'database',
  dbs: 'database',
  databases: 'database',
  postgres: 'database',
  postgresql: 'database',
  mysql: 'database',
  sql: 'database',
  replica: 'database',
  replicas: 'database',
  deploy: 'release',
  deployment: 'release',
  deploys: 'release',
  rollout: 'release',
  rollback: 'release',
  releases: 'release',
  hacked: 'compromise',
  compromised: 'compromise',
  breach: 'compromise',
  malware: 'compromise',
};
const ignored = new Set(['the', 'a', 'an', 'of', 'on', 'in', 'for', 'and', 'or', 'to', 'is', 'are', 'before', 'after', 'down', 'outage', 'incident']);

function wordsOf(text: string): Set<string> {
  const words = new Set<string>();
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length < 2 || ignored.has(raw)) continue;
    words.add(synonyms[raw] ?? raw);
  }
  return words;
}

/** How well a checklist fits: 0 when made for other types; type match, then shared words. */
export function checklistScore(template: Template, incident: Described): number {
  const isForType = template.incidentTypes.length === 0 || template.incidentTypes.includes(incident.type);
  if (!isForType) return 0;
  const about = wordsOf(`${incident.title} ${incident.services.join(' ')} ${incident.summary}`);
  const own = wordsOf(`${template.name} ${template.items.map((i) => `${i.asset} ${i.what}`).join(' ')}`);
  const nameWords = wordsOf(template.name);
  let shared = 0;
  for (const word of about) if (own.has(word)) shared += nameWords.has(word) ? 3 : 1;
  // A checklist made for this very type comes before one for any type.
  return 1 + (template.incidentTypes.length > 0 ? 1 : 0) + shared * 2;
}

/** The checklists, best fit first (ties keep their order); the picker selects the first. */
export function orderChecklists<T extends Template>(templates: T[], incident: Described): T[] {
  return templates
    .map((template, index) => ({ template, index, score: checklistScore(template, incident) }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((entry) => entry.template);
}
