// Delivery channels for published stakeholder updates as an organisation configures them: a generic
// webhook, a Slack incoming webhook, e-mail over SMTP and a Statuspage-compatible API. The schema
// names every wrong field and says what to write; redactConfig is what people who may not see the
// secrets are shown. Delivering lives in the engine (electron/engine/comms/channels.ts).
import { z } from 'zod';

// ─── Configuration ────────────────────────────────────────────────────────────────────────────────

export const channelKinds = ['webhook', 'slack', 'email', 'statuspage'] as const;
export type ChannelKind = (typeof channelKinds)[number];

/** A header carrying a shared secret, so the receiver can tell the update came from us. */
export interface SecretHeader {
  name: string;
  value: string;
}

export interface WebhookChannel {
  kind: 'webhook';
  /** http(s) address that receives the update as JSON (see deliver). */
  url: string;
  secretHeader?: SecretHeader;
}

export interface SlackChannel {
  kind: 'slack';
  /** The incoming webhook URL Slack gives (https://hooks.slack.com/services/…): the path is the token. */
  url: string;
}

export interface EmailChannel {
  kind: 'email';
  host: string;
  port: number;
  /** TLS from the first byte (usually port 465); false uses STARTTLS when the server offers it (587, 25). */
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  to: string[];
}

export interface StatuspageChannel {
  kind: 'statuspage';
  /** The API root, e.g. https://api.statuspage.io/v1. */
  baseUrl: string;
  pageId: string;
  apiKey: string;
  /** An existing status-page incident to update; without it, each delivery opens a new incident. */
  incidentId?: string;
  /** Components the new incident affects. */
  componentIds?: string[];
}

export type ChannelConfig = WebhookChannel | SlackChannel | EmailChannel | StatuspageChannel;

const missingOr = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? `is missing: give ${what}` : `must be ${what}`);

const text = (what: string) =>
  z
    .string({ error: missingOr(what) })
    .trim()
    .min(1, { error: `is empty: give ${what}` });

const httpUrl = (example: string) =>
  z
    .string({ error: missingOr(`an address like ${example}`) })
    .trim()
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: `is not a web address: give one like ${example}` });
        return;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        ctx.addIssue({ code: 'custom', message: `must start with https:// (or http://), not ${url.protocol}//: give an address like ${example}` });
      }
    });

const emailAddress = z.email({
  error: (issue) => (issue.input === undefined ? 'is missing: give an e-mail address like ops@example.com' : 'must be an e-mail address like ops@example.com'),
});

// RFC 9110 token characters; the headers we set ourselves may not be overridden.
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const reservedHeaders = ['content-type', 'content-length', 'host', 'idempotency-key', 'connection', 'transfer-encoding'];

const secretHeader = z.strictObject(
  {
    name: text('a header name like X-Holdfast-Secret')
      .regex(headerName, { error: 'must be a header name like X-Holdfast-Secret: letters, digits and dashes, no spaces or colons' })
      .refine((name) => !reservedHeaders.includes(name.toLowerCase()), {
        error: `must not be one Holdfast sets itself (${reservedHeaders.join(', ')}): use e.g. X-Holdfast-Secret`,
      }),
    value: z
      .string({ error: missingOr('the shared secret') })
      .min(1, { error: 'is empty: give the shared secret the receiver checks' })
      .refine((value) => !/[\r\n\0]/.test(value), { error: 'must be on one line: remove line breaks from the secret' }),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `has no field ${issue.keys.join(', ')}: use name and value` : 'must be { name, value }') },
);

const strictKeys = (fields: string) => (issue: { code?: string; keys?: string[] }) =>
  issue.code === 'unrecognized_keys' ? `has no field ${(issue.keys ?? []).join(', ')}: use ${fields}` : `must be an object with ${fields}`;

/** A channel as an organisation configures it; errors name the field and say what to write. */
export const channelConfig = z.discriminatedUnion(
  'kind',
  [
    z.strictObject(
      { kind: z.literal('webhook'), url: httpUrl('https://hooks.example.com/holdfast'), secretHeader: secretHeader.optional() },
      { error: strictKeys('kind, url, secretHeader') },
    ),
    z.strictObject({ kind: z.literal('slack'), url: httpUrl('https://hooks.slack.com/services/T000/B000/XXXX') }, { error: strictKeys('kind, url') }),
    z.strictObject(
      {
        kind: z.literal('email'),
        host: text('the SMTP server name, like smtp.example.com'),
        port: z
          .number({ error: missingOr('the SMTP port: 465 with secure, 587 or 25 without') })
          .int({ error: 'must be a whole number: 465 with secure, 587 or 25 without' })
          .min(1, { error: 'must be between 1 and 65535: 465 with secure, 587 or 25 without' })
          .max(65535, { error: 'must be between 1 and 65535: 465 with secure, 587 or 25 without' }),
        secure: z.boolean({ error: missingOr('true for TLS from the start (port 465), false for STARTTLS (587, 25)') }),
        user: z.string({ error: 'must be the SMTP user name' }).optional(),
        password: z.string({ error: 'must be the SMTP password' }).optional(),
        from: emailAddress,
        to: z
          .array(emailAddress, { error: missingOr('a list of recipients, like ["execs@example.com"]') })
          .min(1, { error: 'has no recipients: give at least one address' })
          .max(100, { error: 'has more than 100 recipients: send to a mailing list instead' }),
      },
      { error: strictKeys('kind, host, port, secure, user, password, from, to') },
    ),
    z.strictObject(
      {
        kind: z.literal('statuspage'),
        baseUrl: httpUrl('https://api.statuspage.io/v1'),
        pageId: text('the page id from the status page API settings'),
        apiKey: text('an API key of the status page'),
        incidentId: text('the id of an existing status-page incident').optional(),
        componentIds: z.array(text('a component id'), { error: 'must be a list of component ids' }).optional(),
      },
      { error: strictKeys('kind, baseUrl, pageId, apiKey, incidentId, componentIds') },
    ),
  ],
  {
    error: (issue) => {
      const kind = typeof issue.input === 'object' && issue.input !== null ? (issue.input as { kind?: unknown }).kind : undefined;
      if (typeof issue.input !== 'object' || issue.input === null) return `must be an object like { kind: ${channelKinds.join(' | ')}, … }`;
      // Zod reports these at the path `kind`, so they read "kind is missing: …".
      return kind === undefined ? `is missing: use ${channelKinds.join(', ')}` : `must be ${channelKinds.join(', ')}, not ${JSON.stringify(kind)}`;
    },
  },
);

/** The problems of a rejected configuration, one line each, e.g. "port must be between 1 and 65535: …". */
export function channelConfigProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')} ${issue.message}` : `The channel ${issue.message}`));
}

// ─── Showing a configuration ──────────────────────────────────────────────────────────────────────

export const redacted = '••••';

/** An address without credentials or query, and with its path hidden when it may hold a token. */
function redactUrl(value: string, hidePath: boolean): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return redacted;
  }
  const hasCredentials = url.username !== '' || url.password !== '';
  // A query or fragment may carry a key (?api_key=…) on any address: it is hidden on all of them.
  const hasQuery = url.search !== '' || url.hash !== '';
  const hasToken = hidePath && (url.pathname.replace(/\/+$/, '') !== '' || hasQuery);
  if (!hasCredentials && !hasToken && !hasQuery) return value;
  return `${url.protocol}//${hasCredentials ? `${redacted}@` : ''}${url.host}${hasToken ? `/${redacted}` : url.pathname + (hasQuery ? `?${redacted}` : '')}`;
}

/**
 * The configuration as it may be shown to people who may not see secrets: passwords, API keys and
 * secret header values become '••••', and so do the paths (and queries) of Slack and webhook
 * addresses, which often are the token. Host names, ports and recipients stay readable.
 */
export function redactConfig(config: ChannelConfig): ChannelConfig {
  switch (config.kind) {
    case 'webhook':
      return {
        ...config,
        url: redactUrl(config.url, true),
        ...(config.secretHeader ? { secretHeader: { name: config.secretHeader.name, value: redacted } } : {}),
      };
    case 'slack':
      return { ...config, url: redactUrl(config.url, true) };
    case 'email':
      return { ...config, to: [...config.to], ...(config.password !== undefined ? { password: redacted } : {}) };
    case 'statuspage':
      return { ...config, baseUrl: redactUrl(config.baseUrl, false), apiKey: redacted, ...(config.componentIds ? { componentIds: [...config.componentIds] } : {}) };
  }
}
