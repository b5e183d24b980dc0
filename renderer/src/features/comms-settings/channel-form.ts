// What the channel dialog works on: every field of every kind as typed (so switching the kind of a
// new channel keeps what was written), turned into `comms.saveChannel` only on save. Secrets come
// from the engine as '••••'; sent back exactly as shown, the engine keeps the stored value. Before
// it is sent, the request is checked with the engine's own schemas (the request's and the channel
// configuration's), so the dialog names every wrong field in the engine's words.
import { z } from 'zod';
import type { Request } from '@shared/contract';
import { channelConfig, channelKinds, redacted, type ChannelConfig, type ChannelKind } from '@shared/domain/channels';
import { audiences, type Audience } from '@shared/domain/comms';
import { saveChannelRequest as saveChannelSchema, type ChannelView } from '@shared/domain/comms-api';
import type { FormProblem } from '../../lib/form-problems';

export const kindLabels: Record<ChannelKind, string> = {
  webhook: 'Webhook',
  slack: 'Slack',
  email: 'E-mail (SMTP)',
  statuspage: 'Status page',
};

export const kindHints: Record<ChannelKind, string> = {
  webhook: 'POSTs each update as JSON to an address you run, with an optional secret header the receiver checks.',
  slack: 'Posts each update to a Slack channel through an incoming webhook.',
  email: 'Sends each update by e-mail through your SMTP server.',
  statuspage: 'Opens or updates an incident on a Statuspage-compatible status page.',
};

export interface ChannelForm {
  /** The channel saving overwrites; null saves a new one. */
  id: string | null;
  name: string;
  kind: ChannelKind;
  audiences: Audience[];
  isEnabled: boolean;
  url: string;
  secretName: string;
  secretValue: string;
  host: string;
  port: string;
  secure: boolean;
  user: string;
  password: string;
  from: string;
  /** Recipients, one a line or comma-separated. */
  to: string;
  baseUrl: string;
  pageId: string;
  apiKey: string;
  incidentId: string;
  /** Comma-separated. */
  componentIds: string;
  /** The secret header as the engine showed it, to tell when its saved secret can be kept. */
  shownSecretName: string | null;
  /** The address (url or baseUrl) as the engine showed it, with any token as '••••'. */
  shownAddress: string | null;
}

export function newChannelForm(kind: ChannelKind = 'webhook'): ChannelForm {
  return {
    id: null,
    name: '',
    kind,
    audiences: [],
    isEnabled: true,
    url: '',
    secretName: '',
    secretValue: '',
    host: '',
    port: '587',
    secure: false,
    user: '',
    password: '',
    from: '',
    to: '',
    baseUrl: 'https://api.statuspage.io/v1',
    pageId: '',
    apiKey: '',
    incidentId: '',
    componentIds: '',
    shownSecretName: null,
    shownAddress: null,
  };
}

export function editChannelForm(channel: ChannelView): ChannelForm {
  const form: ChannelForm = { ...newChannelForm(channel.kind), id: channel.id, name: channel.name, audiences: [...channel.audiences], isEnabled: channel.isEnabled };
  const config = channel.config;
  switch (config.kind) {
    case 'webhook':
      return {
        ...form,
        url: config.url,
        secretName: config.secretHeader?.name ?? '',
        secretValue: config.secretHeader?.value ?? '',
        shownSecretName: config.secretHeader?.name ?? null,
        shownAddress: config.url,
      };
    case 'slack':
      return { ...form, url: config.url, shownAddress: config.url };
    case 'email':
      return {
        ...form,
        host: config.host,
        port: String(config.port),
        secure: config.secure,
        user: config.user ?? '',
        password: config.password ?? '',
        from: config.from,
        to: config.to.join(', '),
      };
    case 'statuspage':
      return {
        ...form,
        baseUrl: config.baseUrl,
        shownAddress: config.baseUrl,
        pageId: config.pageId,
        apiKey: config.apiKey,
        incidentId: config.incidentId ?? '',
        componentIds: (config.componentIds ?? []).join(', '),
      };
  }
}

const listOf = (text: string) =>
  text
    .split(/[\n,;]+/)
    .map((t) => t.trim())
    .filter((t) => t !== '');

/** A port as a number when it is one; otherwise as typed, for the engine to say what to write. */
const portOf = (text: string): number => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : (text.trim() as unknown as number));

/** The configuration as the engine reads it; empty optional fields are left out. */
export function configOf(form: ChannelForm): ChannelConfig {
  switch (form.kind) {
    case 'webhook':
      return {
        kind: 'webhook',
        url: form.url.trim(),
        // The engine keeps a stored secret header only when it comes back exactly as shown: name, then value.
        ...(form.secretName.trim() !== '' || form.secretValue !== '' ? { secretHeader: { name: form.secretName.trim(), value: form.secretValue } } : {}),
      };
    case 'slack':
      return { kind: 'slack', url: form.url.trim() };
    case 'email':
      return {
        kind: 'email',
        host: form.host.trim(),
        port: portOf(form.port),
        secure: form.secure,
        ...(form.user.trim() !== '' ? { user: form.user.trim() } : {}),
        ...(form.password !== '' ? { password: form.password } : {}),
        from: form.from.trim(),
        to: listOf(form.to),
      };
    case 'statuspage':
      return {
        kind: 'statuspage',
        baseUrl: form.baseUrl.trim(),
        pageId: form.pageId.trim(),
        apiKey: form.apiKey.trim(),
        ...(form.incidentId.trim() !== '' ? { incidentId: form.incidentId.trim() } : {}),
        ...(listOf(form.componentIds).length > 0 ? { componentIds: listOf(form.componentIds) } : {}),
      };
  }
}

export function saveChannelRequest(form: ChannelForm): Request<'comms.saveChannel'> {
  return { ...(form.id ? { id: form.id } : {}), name: form.name, audiences: form.audiences, isEnabled: form.isEnabled, config: configOf(form) };
}

/**
 * Why the form cannot be sent as it is, when the engine would take it wrongly: a stored secret is
 * kept only while its field comes back exactly as shown, so a renamed header needs its secret again,
 * and an address changed around its '••••' needs to be typed in full.
 */
export function formRefusal(form: ChannelForm): { path: string; message: string } | null {
  const addressPath = form.kind === 'statuspage' ? 'baseUrl' : form.kind === 'email' ? null : 'url';
  const address = form.kind === 'statuspage' ? form.baseUrl.trim() : form.url.trim();
  if (addressPath && address.includes(redacted) && address !== form.shownAddress) {
    return { path: addressPath, message: `must be typed in full: the saved address is kept only while it stays exactly as shown (${form.shownAddress ?? 'with ••••'})` };
  }
  if (form.kind === 'webhook' && form.secretValue === redacted && form.shownSecretName !== null && form.secretName.trim() !== form.shownSecretName) {
    return { path: 'secretHeader.value', message: `type the secret again: the saved one is kept only under its header name ${form.shownSecretName}` };
  }
  return null;
}

/** The form as typed, read into `comms.saveChannel` and checked as the engine checks it. */
export const channelFormSchema = z
  .object({
    id: z.string().nullable(),
    name: z.string(),
    kind: z.enum(channelKinds),
    audiences: z.array(z.enum(audiences)),
    isEnabled: z.boolean(),
    url: z.string(),
    secretName: z.string(),
    secretValue: z.string(),
    host: z.string(),
    port: z.string(),
    secure: z.boolean(),
    user: z.string(),
    password: z.string(),
    from: z.string(),
    to: z.string(),
    baseUrl: z.string(),
    pageId: z.string(),
    apiKey: z.string(),
    incidentId: z.string(),
    componentIds: z.string(),
    shownSecretName: z.string().nullable(),
    shownAddress: z.string().nullable(),
  })
  .superRefine((form, ctx) => {
    const refused = formRefusal(form);
    if (refused) ctx.addIssue({ code: 'custom', path: ['config', ...refused.path.split('.')], message: refused.message });
  })
  .transform(saveChannelRequest)
  .pipe(saveChannelSchema.extend({ config: channelConfig }));

/**
 * The problems as the engine words them when it refuses a channel: "The channel cannot be saved:
 * url is not a web address: …; name: name the channel." Paths are the form's (`url`, not `config.url`).
 */
export function channelProblems(problems: readonly FormProblem[]): { message: string; fields: FormProblem[] } | null {
  if (problems.length === 0) return null;
  const fields = problems.map(({ path, message }) => ({ path: path.replace(/^config\./, ''), message }));
  const parts = problems.map(({ path, message }) => (path.startsWith('config.') ? `${path.slice('config.'.length)} ${message}` : `${path}: ${message}`));
  return { message: `The channel cannot be saved: ${parts.join('; ')}.`, fields };
}

/** One line saying where a channel delivers, secrets as the engine shows them ('••••'). */
export function configSummary(config: ChannelConfig): string[] {
  switch (config.kind) {
    case 'webhook':
      return [config.url, config.secretHeader ? `${config.secretHeader.name}: ${config.secretHeader.value}` : 'no secret header'];
    case 'slack':
      return [config.url];
    case 'email':
      return [
        `${config.user ? `${config.user}@` : ''}${config.host}:${config.port} (${config.secure ? 'TLS' : 'STARTTLS'})`,
        ...(config.password !== undefined ? [`password ${config.password}`] : []),
        `from ${config.from}`,
        `to ${config.to.join(', ')}`,
      ];
    case 'statuspage':
      return [
        config.baseUrl,
        `page ${config.pageId}`,
        `API key ${config.apiKey}`,
        config.incidentId ? `incident ${config.incidentId}` : 'opens a new incident',
        ...(config.componentIds && config.componentIds.length > 0 ? [`components ${config.componentIds.join(', ')}`] : []),
      ];
  }
}
