// The fields a person types for each kind of integration target, in the order the form shows them,
// and the draft → configuration step the form validates with the shared schema (targetConfig).
import { redacted, secretFields, targetConfig, targetConfigProblems, type TargetConfig, type TargetKind } from '@shared/domain/integrations';

export interface TargetField {
  name: string;
  label: string;
  optional?: boolean;
  placeholder?: string;
}

export const targetFields: Record<TargetKind, TargetField[]> = {
  pagerduty: [
    { name: 'routingKey', label: 'Routing key (Events API v2 integration key)' },
    { name: 'url', label: 'Events API address', optional: true, placeholder: 'https://events.pagerduty.com/v2/enqueue' },
  ],
  opsgenie: [
    { name: 'apiKey', label: 'API key' },
    { name: 'team', label: 'Responder team', optional: true },
    { name: 'baseUrl', label: 'API address', optional: true, placeholder: 'https://api.opsgenie.com' },
  ],
  'grafana-oncall': [{ name: 'url', label: 'Formatted webhook URL' }],
  'page-webhook': [
    { name: 'url', label: 'Webhook URL' },
    { name: 'secret', label: 'Signing secret' },
  ],
  slack: [{ name: 'url', label: 'Incoming webhook URL' }],
  teams: [{ name: 'url', label: 'Workflow webhook URL' }],
  mattermost: [
    { name: 'url', label: 'Incoming webhook URL' },
    { name: 'channel', label: 'Channel', optional: true },
  ],
  jira: [
    { name: 'baseUrl', label: 'Site address', placeholder: 'https://example.atlassian.net' },
    { name: 'email', label: 'Account e-mail' },
    { name: 'apiToken', label: 'API token' },
    { name: 'projectKey', label: 'Project key' },
    { name: 'issueType', label: 'Issue type', optional: true, placeholder: 'Task' },
  ],
  linear: [
    { name: 'apiKey', label: 'API key' },
    { name: 'teamId', label: 'Team id' },
    { name: 'url', label: 'GraphQL address', optional: true, placeholder: 'https://api.linear.app/graphql' },
  ],
  github: [
    { name: 'owner', label: 'Owner' },
    { name: 'repo', label: 'Repository' },
    { name: 'token', label: 'Token' },
    { name: 'apiUrl', label: 'API address', optional: true, placeholder: 'https://api.github.com' },
  ],
};

export const isSecretField = (kind: TargetKind, field: string) => secretFields[kind].includes(field);

/** The form's values from a shown configuration: secrets left empty to be typed again. */
export function draftOf(config: TargetConfig): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [field, value] of Object.entries(config))
    if (field !== 'kind' && typeof value === 'string') values[field] = isSecretField(config.kind, field) || value.includes(redacted) ? '' : value;
  return values;
}

/** The configuration the form describes, or each problem in words. Empty optional fields are left out. */
export function configOf(kind: TargetKind, values: Record<string, string>): { config: TargetConfig } | { problems: string[] } {
  const raw: Record<string, unknown> = { kind };
  const missing: string[] = [];
  for (const field of targetFields[kind]) {
    const value = (values[field.name] ?? '').trim();
    if (value !== '') raw[field.name] = value;
    else if (!field.optional) missing.push(`${field.label}: fill it in`);
  }
  if (missing.length > 0) return { problems: missing };
  const parsed = targetConfig.safeParse(raw);
  if (!parsed.success) {
    const labels = new Map(targetFields[kind].map((f) => [f.name, f.label]));
    return { problems: targetConfigProblems(parsed.error).map((p) => p.replace(/^(\w+):/, (whole, name: string) => `${labels.get(name) ?? name}:`)) };
  }
  return { config: parsed.data };
}
