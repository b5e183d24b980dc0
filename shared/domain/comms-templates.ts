// Update templates: the placeholders a template may use, the built-in template of each audience,
// the values a composer fills them with, and the one-pass renderer.
import { severityMeaning, type Incident, type Severity } from './incident';
import { formatUpdateTime, type Audience } from './comms-update';

/** A reusable shape of update for one audience; `title` and `body` hold `{{placeholders}}`. */
export interface UpdateTemplate {
  id: string;
  audience: Audience;
  name: string;
  title: string;
  /** Markdown: only bold, italics, links and `- ` bullets are used (see markdownToPlainText). */
  body: string;
}

/** Every placeholder a template may use, with what it is replaced by (templateValues fills them). */
export const templatePlaceholders = {
  'incident.title': "The incident title, in responders' words: not for customers",
  'incident.severity': 'SEV1 to SEV4: not for customers, who do not know the scale',
  'incident.severityMeaning': 'What the severity means in this organisation (e.g. "Critical: customer-facing outage or data at risk")',
  'incident.status': 'Where the incident stands: investigating, identified, mitigated, resolved or closed',
  'incident.services': 'The affected services, comma-separated',
  'incident.declaredAt': 'When the incident was declared (e.g. 2025-03-01 14:05 UTC)',
  'incident.commander': 'Who commands the incident',
  headline: 'One sentence on what customers notice, in their words (e.g. "Some card payments are failing")',
  impact: 'Who or what is affected, and how badly',
  status: 'Where the response stands now',
  actions: 'What the team is doing next',
  eta: 'When service is expected back, or "Not known yet": never a guess',
  nextUpdate: 'When the next update will be published (e.g. 2025-03-01 14:35 UTC)',
} as const satisfies Record<string, string>;
export type TemplatePlaceholder = keyof typeof templatePlaceholders;

/**
 * The templates every organisation starts with, one per audience. Responders get the technical
 * picture; executives the business impact and an honest recovery estimate; customers plain words
 * about what they notice, with no severities, systems, names or causes.
 */
export const builtInUpdateTemplates: UpdateTemplate[] = [
  {
    id: 'builtin-internal',
    audience: 'internal',
    name: 'Responder update',
    title: '{{incident.severity}} {{incident.status}}: {{incident.title}}',
    body: [
      '- **Severity:** {{incident.severity}} ({{incident.severityMeaning}})',
      '- **Services:** {{incident.services}}',
      '- **Incident commander:** {{incident.commander}}',
      '',
      '**Impact:** {{impact}}',
      '',
      '**Current status:** {{status}}',
      '',
      '**What we are doing:** {{actions}}',
      '',
      '**Next update:** {{nextUpdate}}',
    ].join('\n'),
  },
  {
    id: 'builtin-executives',
    audience: 'executives',
    name: 'Executive briefing',
    title: '{{incident.severity}}: {{incident.title}}',
    body: [
      '**Business impact:** {{impact}}',
      '',
      '**Current status:** {{status}}',
      '',
      '**What we are doing:** {{actions}}',
      '',
      '**Expected recovery:** {{eta}}',
      '',
      '**Next update:** {{nextUpdate}}',
      '',
      '_Incident commander: {{incident.commander}}. Declared {{incident.declaredAt}}._',
    ].join('\n'),
  },
  {
    id: 'builtin-customers',
    audience: 'customers',
    name: 'Customer status update',
    title: '{{headline}}',
    body: [
      '**What is affected:** {{impact}}',
      '',
      '**Current status:** {{status}}',
      '',
      '**What we are doing:** {{actions}}',
      '',
      'We are sorry for the disruption. We will post the next update by {{nextUpdate}}, or sooner if anything changes.',
    ].join('\n'),
  },
];

/** What a composer knows when it fills a template. */
export interface TemplateContext {
  incident: Pick<Incident, 'title' | 'severity' | 'status' | 'services' | 'declaredAt'>;
  /** The organisation's wording of the severities; the defaults otherwise. */
  severityMeanings?: Record<Severity, string>;
  /** The incident commander, as people know them (a name, else a user name). */
  commander?: string | null;
  /** What the author wrote: headline, impact, status, actions, eta (and nextUpdate, as text). */
  fields?: Partial<Record<TemplatePlaceholder, string>>;
  /** The promised next update (UTC ms): fills `{{nextUpdate}}` unless `fields.nextUpdate` is given. */
  nextUpdateAt?: number | null;
}

/** The values for renderTemplate; anything unknown or not written yet is left out, so it stays a placeholder. */
export function templateValues(context: TemplateContext): Record<string, string> {
  const { incident } = context;
  const values: Record<string, string> = {
    'incident.title': incident.title,
    'incident.severity': incident.severity,
    'incident.severityMeaning': (context.severityMeanings ?? severityMeaning)[incident.severity],
    'incident.status': incident.status,
    // An incident declared before anyone named the services still reads as a sentence.
    'incident.services': incident.services.length > 0 ? incident.services.join(', ') : 'not named yet',
    'incident.declaredAt': formatUpdateTime(incident.declaredAt),
  };
  if (context.commander) values['incident.commander'] = context.commander;
  if (context.nextUpdateAt != null) values.nextUpdate = formatUpdateTime(context.nextUpdateAt);
  for (const [name, value] of Object.entries(context.fields ?? {})) if (value !== undefined && value.trim() !== '') values[name] = value;
  return values;
}

const placeholderName = '[A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z][A-Za-z0-9_]*)*';
// `{{{name}}}` (Handlebars' unescaped form) is read as `{{name}}`: there is no escaping to opt out of.
const placeholderPattern = new RegExp(`\\{\\{\\{\\s*(${placeholderName})\\s*\\}\\}\\}|\\{\\{\\s*(${placeholderName})\\s*\\}\\}`, 'g');

/**
 * Fills `{{name}}` placeholders (spaces inside the braces allowed) in one pass. A placeholder with no
 * value, or only whitespace, is written back as `{{name}}` and listed in `unresolved` (once each, in
 * order of first appearance), so rendering the result again with more values completes it. Values are
 * inserted as written (trimmed), never rescanned and never HTML-escaped: the output is plain text or
 * Markdown.
 */
export function renderTemplate(template: string, values: Record<string, string>): { text: string; unresolved: string[] } {
  const unresolved: string[] = [];
  const text = template.replace(placeholderPattern, (_match, triple: string | undefined, double: string | undefined) => {
    const name = (triple ?? double) as string;
    const value = Object.hasOwn(values, name) && typeof values[name] === 'string' ? values[name].trim() : '';
    if (value !== '') return value;
    if (!unresolved.includes(name)) unresolved.push(name);
    return `{{${name}}}`;
  });
  return { text, unresolved };
}
