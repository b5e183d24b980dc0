// Small pieces of an update template shown in the list, the detail and the editor: its badges
// (built-in, customised), its text with the placeholders marked, and a preview filled with example
// values so a comms lead sees how an update reads before writing one under pressure.
import { Fragment } from 'react';
import { renderTemplate, templatePlaceholders, type Audience } from '@shared/domain/comms';
import type { UpdateTemplateView } from '@shared/domain/comms-api';
import { severityMeaning } from '@shared/domain/incident';

export const isKnownPlaceholder = (name: string): name is keyof typeof templatePlaceholders => Object.hasOwn(templatePlaceholders, name);

/** Placeholders whose description says customers must not see them. */
export const notForCustomers = (name: string) => isKnownPlaceholder(name) && /not for customers/i.test(templatePlaceholders[name]);

export function TemplateBadges({ template }: { template: UpdateTemplateView }) {
  if (template.isCustomised) {
    return (
      <span className="lib-badge cs-badge-customised" data-testid="template-badge" title="A built-in template your organisation has changed">
        Customised
      </span>
    );
  }
  if (template.isBuiltIn) {
    return (
      <span className="lib-badge" data-testid="template-badge" title="Comes with Holdfast. Edit it to keep your own version in its place.">
        Built-in
      </span>
    );
  }
  return null;
}

const placeholderSplit = /(\{\{\{?\s*[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*\s*\}?\}\})/;

/** Template text as written, each `{{placeholder}}` marked (an unknown one, or one customers must not see, in warning colours). */
export function PlaceholderText({ text, audience }: { text: string; audience: Audience }) {
  return (
    <>
      {text.split(placeholderSplit).map((part, index) => {
        if (index % 2 === 0) return <Fragment key={index}>{part}</Fragment>;
        const name = part.replace(/[{}\s]/g, '');
        const isUnknown = !isKnownPlaceholder(name);
        const isWrongAudience = audience === 'customers' && notForCustomers(name);
        const className = `cs-ph${isUnknown ? ' cs-ph-unknown' : isWrongAudience ? ' cs-ph-warn' : ''}`;
        const title = isUnknown ? 'Not a placeholder Holdfast fills: it stays as typed' : isWrongAudience ? `${templatePlaceholders[name]}` : templatePlaceholders[name];
        return (
          <span key={index} className={className} title={title} data-testid="template-placeholder">
            {part}
          </span>
        );
      })}
    </>
  );
}

/** What the placeholders read as in the preview: a SEV1 on checkout, partway through. */
export const exampleValues: Record<keyof typeof templatePlaceholders, string> = {
  'incident.title': 'Checkout API 502s after release 2025.03.1',
  'incident.severity': 'SEV1',
  'incident.severityMeaning': severityMeaning.SEV1,
  'incident.status': 'identified',
  'incident.services': 'checkout, payments',
  'incident.declaredAt': '2025-03-01 14:05 UTC',
  'incident.commander': 'Amara Okafor',
  headline: 'Some card payments are failing',
  impact: 'About one in five card payments fails at checkout.',
  status: 'We have found the cause and are undoing a recent change.',
  actions: 'Rolling the change back, then watching payment success rates.',
  eta: 'Not known yet',
  nextUpdate: '2025-03-01 14:35 UTC',
};

export function renderExample(text: string) {
  return renderTemplate(text, exampleValues);
}
