// Comms calls: update templates (library), the organisation's cadence, approval and lint settings,
// delivery channels (the comms stream), and each incident's updates from draft through approval to
// published, with one delivery row per channel for the outbox to send. Published updates are
// appended, never changed, and every step that matters goes on the timeline in the same commit.
import { createHash } from 'node:crypto';
import type { Handlers } from '../../../shared/contract';
import { channelConfig, channelConfigProblems, redactConfig, redacted } from '../../../shared/domain/channels';
import {
  approvalRefusal,
  asMarkdown,
  asPlainText,
  audienceLabels,
  audiences,
  builtInUpdateTemplates,
  cadenceSetting,
  cadenceStatus,
  defaultApprovalSetting,
  defaultCadence,
  lintUpdate,
  needsApproval,
  nextUpdateSuggestion,
  renderTemplate,
  templateValues,
  type ApprovalSetting,
  type Audience,
  type Cadence,
  type CadenceStatus,
  type LintFinding,
} from '../../../shared/domain/comms';
import type { ChannelView, CommsRoom, CommsSettings, DeliveryView, OutboxStatus, PublishedUpdate, UpdateDraft, UpdateDue, UpdateTemplateView } from '../../../shared/domain/comms-api';
import { commandOf } from '../../../shared/domain/incident-roles';
import type { Person } from '../../../shared/domain/directory';
import type { Incident } from '../../../shared/domain/incident';
import { runbookSlug } from '../../../shared/domain/runbook-format';
import { ApiError } from '../../../shared/errors';
import { uuidv7 } from '../../../shared/ids';
import type { OpDraft } from '../../../shared/ops';
import type { CommsStore, StoredChannel, StoredDelivery, StoredPublished, StoredUpdate } from './comms-store';
import { deliveryRowId, updateRowId } from './comms-store';
import type { DirectoryStore } from '../directory/directory-store';
import type { IncidentStore } from '../incidents/incident-store';
import type { Replica } from '../core/replica';
import { mustGetIncident, mustGetOpenIncident, severityMeanings, systemEntry } from '../incidents/incident-handlers';

type CommsHandlers = Pick<
  Handlers,
  | 'comms.templates'
  | 'comms.saveTemplate'
  | 'comms.removeTemplate'
  | 'comms.settings'
  | 'comms.saveSettings'
  | 'comms.channels'
  | 'comms.saveChannel'
  | 'comms.removeChannel'
  | 'comms.room'
  | 'comms.start'
  | 'comms.save'
  | 'comms.discard'
  | 'comms.requestApproval'
  | 'comms.decide'
  | 'comms.publish'
  | 'comms.retry'
>;

export interface CommsDeps {
  replica: Replica;
  incidents: IncidentStore;
  directory: DirectoryStore;
  comms: CommsStore;
  now: () => number;
  /** How the outbox stands (who coordinates, whether deliveries wait). */
  outboxStatus: () => OutboxStatus;
  /** Something was queued: look at the outbox soon. */
  nudgeOutbox: () => void;
}

// Organisation settings, one row each so commanders changing different ones at once both keep theirs.
const settingKeys = {
  cadence: 'comms:cadence',
  approval: 'comms:approval',
  namedApprovers: 'comms:approvers',
  internalDomains: 'comms:internal-domains',
} as const;
const maxSettingChars = 2000;

function readJson<T>(text: string | undefined, fallback: T, check: (value: unknown) => value is T): T {
  if (!text) return fallback;
  try {
    const value: unknown = JSON.parse(text);
    return check(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

const isCadence = (value: unknown): value is Cadence => cadenceSetting.safeParse(value).success;
const isApproval = (value: unknown): value is ApprovalSetting =>
  typeof value === 'object' && value !== null && typeof (value as ApprovalSetting).customers === 'boolean' && typeof (value as ApprovalSetting).executives === 'boolean';
const isNames = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

export function commsSettings(incidents: IncidentStore): CommsSettings {
  return {
    cadence: readJson(incidents.setting(settingKeys.cadence), defaultCadence, isCadence),
    approval: readJson(incidents.setting(settingKeys.approval), defaultApprovalSetting, isApproval),
    namedApprovers: readJson(incidents.setting(settingKeys.namedApprovers), [], isNames),
    internalDomains: readJson(incidents.setting(settingKeys.internalDomains), [], isNames),
  };
}

/** The stored templates over the built-ins: the same id replaces a built-in, a removed one is hidden. */
export function templateViews(comms: CommsStore): UpdateTemplateView[] {
  const stored = new Map(comms.templates().map((t) => [t.id, t]));
  const views: UpdateTemplateView[] = [];
  for (const builtIn of builtInUpdateTemplates) {
    const own = stored.get(builtIn.id);
    if (own?.deleted) continue;
    views.push(own ? { ...builtIn, ...pickTemplate(own), isBuiltIn: true, isCustomised: true, updatedBy: own.updatedBy } : { ...builtIn, isBuiltIn: true, isCustomised: false, updatedBy: null });
  }
  for (const own of stored.values()) {
    if (own.deleted || builtInUpdateTemplates.some((b) => b.id === own.id)) continue;
    views.push({ ...pickTemplate(own), isBuiltIn: false, isCustomised: false, updatedBy: own.updatedBy });
  }
  return views.sort((a, b) => audiences.indexOf(a.audience) - audiences.indexOf(b.audience) || Number(b.isBuiltIn) - Number(a.isBuiltIn) || a.name.localeCompare(b.name));
}

const pickTemplate = (t: { id: string; audience: Audience; name: string; title: string; body: string }) => ({ id: t.id, audience: t.audience, name: t.name, title: t.title, body: t.body });

function channelView(channel: StoredChannel): ChannelView | null {
  if (!channel.config || !channel.kind) return null;
  return {
    id: channel.id,
    name: channel.name,
    kind: channel.kind,
    audiences: channel.audiences,
    isEnabled: channel.isEnabled,
    config: redactConfig(channel.config),
    updatedBy: channel.updatedBy,
  };
}

/**
 * A configuration sent back from an edit form: any field exactly as it was shown redacted (also
 * inside an object, such as the secret header's value) is the stored secret, kept; everything else
 * is what the person typed.
 */
function restoreSecrets(next: unknown, shown: unknown, original: unknown): unknown {
  if (JSON.stringify(next) === JSON.stringify(shown) && JSON.stringify(shown) !== JSON.stringify(original)) return original;
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject(next) || !isObject(shown) || !isObject(original)) return next;
  return Object.fromEntries(Object.entries(next).map(([key, value]) => [key, key in shown ? restoreSecrets(value, shown[key], original[key]) : value]));
}

/** Field paths still holding the redaction mark: a secret that was edited around, not retyped. */
function redactedLeft(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return value.includes(redacted) ? [path || 'config'] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => redactedLeft(item, `${path}[${index}]`));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => redactedLeft(item, path ? `${path}.${key}` : key));
  return [];
}

const digestOf = (audience: Audience, title: string, body: string) => createHash('sha256').update(JSON.stringify([audience, title, body])).digest('hex');

const describeLint = (findings: LintFinding[]) =>
  findings
    .slice(0, 5)
    .map((f) => `"${f.excerpt}" (${f.rule}): ${f.message.replace(/\.$/, '')}`)
    .join('; ') + (findings.length > 5 ? `; and ${findings.length - 5} more` : '');

/** Where each audience's update clock stands; none once the incident is resolved. */
export function incidentCadence(incident: Incident, cadence: Cadence, comms: CommsStore, at: number): CadenceStatus[] {
  if (incident.status === 'resolved' || incident.status === 'closed') return [];
  return audiences.map((audience) => {
    const last = comms.lastPublished(incident.id, audience);
    return cadenceStatus({
      severity: incident.severity,
      audience,
      cadence,
      declaredAt: incident.declaredAt,
      lastPublishedAt: last?.publishedAt ?? null,
      nextUpdateAt: last?.nextUpdateAt ?? null,
      now: at,
    });
  });
}

/**
 * Watches the update clocks of open incidents and says once when an audience's update turns due
 * soon and once when it turns overdue (per due time: a new update starts a new clock).
 */
export function createCadenceWatch(deps: { incidents: IncidentStore; comms: CommsStore; now: () => number; onDue: (due: UpdateDue) => void; intervalMs?: number }) {
  const said = new Set<string>();
  const check = () => {
    const at = deps.now();
    const { cadence } = commsSettings(deps.incidents);
    for (const incident of deps.incidents.list(1000)) {
      for (const status of incidentCadence(incident, cadence, deps.comms, at)) {
        if ((status.level !== 'soon' && status.level !== 'overdue') || status.dueAt === null) continue;
        const key = `${incident.id}\n${status.audience}\n${status.level}\n${status.dueAt}`;
        if (said.has(key)) continue;
        said.add(key);
        deps.onDue({ incidentId: incident.id, incidentTitle: incident.title, audience: status.audience, level: status.level, dueAt: status.dueAt });
      }
    }
  };
  const timer = setInterval(check, deps.intervalMs ?? 30_000);
  timer.unref();
  return {
    check,
    close: () => clearInterval(timer),
  };
}

export function commsHandlers(deps: CommsDeps): CommsHandlers {
  const { replica, incidents, directory, comms, now } = deps;

  const usableChannels = (): StoredChannel[] => comms.channels().filter((c) => !c.deleted && c.config !== null);

  /** What rendering, linting and approving an incident's updates read: read once per call, not per update. */
  interface DraftContext {
    incident: Incident;
    settings: CommsSettings;
    people: Person[];
    command: ReturnType<typeof commandOf>;
    severityMeanings: ReturnType<typeof severityMeanings>;
  }
  const contextOf = (incident: Incident): DraftContext => ({
    incident,
    settings: commsSettings(incidents),
    people: directory.list().people,
    command: commandOf(incidents.seats(incident.id)),
    severityMeanings: severityMeanings(incidents),
  });

  /** A person as people know them: their directory name, else the user name. */
  const nameOf = (context: DraftContext, userName: string) => context.people.find((p) => p.handle === userName)?.name ?? userName;

  const renderOf = (update: Pick<StoredUpdate, 'title' | 'body' | 'values' | 'nextUpdateAt'>, context: DraftContext) => {
    const commanderId = context.command.commanderId;
    const values = templateValues({
      incident: context.incident,
      severityMeanings: context.severityMeanings,
      commander: commanderId ? nameOf(context, commanderId) : null,
      fields: update.values,
      nextUpdateAt: update.nextUpdateAt,
    });
    const title = renderTemplate(update.title, values);
    const body = renderTemplate(update.body, values);
    return { title: title.text, body: body.text, unresolved: [...new Set([...title.unresolved, ...body.unresolved])] };
  };

  const approvalRefusalFor = (update: StoredUpdate, approver: string, context: DraftContext): string | null => {
    const { commanderId, deputyId } = context.command;
    // Who is asked does not widen who may approve: the commander, the deputy and the organisation's approvers.
    return approvalRefusal({ author: update.author, approver, commanderId, deputyId, namedApprovers: context.settings.namedApprovers });
  };

  const draftView = (update: StoredUpdate, context: DraftContext): UpdateDraft => {
    const { incident, settings } = context;
    const rendered = renderOf(update, context);
    const findings = lintUpdate(`${rendered.title}\n\n${rendered.body}`, {
      audience: update.audience,
      people: context.people,
      internalDomains: settings.internalDomains,
    });
    const mustApprove = needsApproval(update.audience, settings.approval);
    const digest = digestOf(update.audience, rendered.title, rendered.body);
    const isApproved = update.state === 'approved' && update.approvedDigest === digest;
    let publishRefusal: string | null = null;
    if (update.state === 'published') publishRefusal = 'This update is published already.';
    else if (update.state === 'discarded') publishRefusal = 'This update was discarded.';
    else if (incident.status === 'closed') publishRefusal = `"${incident.title}" is closed: its record is final.`;
    else if (rendered.title.trim() === '' || rendered.body.trim() === '') publishRefusal = 'Write a title and a body first.';
    else if (mustApprove && !isApproved) {
      publishRefusal =
        update.state === 'approved'
          ? 'The update changed after it was approved: ask for approval again.'
          : `${audienceLabels[update.audience]} updates need a second person's approval before they go out.`;
    }
    const { rowId: _rowId, approvedDigest: _digest, publishedAt: _publishedAt, ...record } = update;
    return {
      ...record,
      digest,
      rendered,
      findings,
      needsApproval: mustApprove,
      isApproved,
      publishRefusal,
    };
  };

  const deliveryView = (d: StoredDelivery): DeliveryView => ({
    channelId: d.channelId,
    channelName: d.channelName,
    kind: d.kind,
    state: d.state,
    attempts: d.attempts,
    lastError: d.lastError,
    nextAttemptAt: d.nextAttemptAt,
    deliveredAt: d.deliveredAt,
    detail: d.detail,
  });

  const publishedView = (p: StoredPublished, incident: Incident, deliveries: StoredDelivery[]): PublishedUpdate => {
    const copy = { title: p.title, body: p.body, audience: p.audience, publishedAt: p.publishedAt, incidentTitle: incident.title };
    return {
      updateId: p.updateId,
      incidentId: p.incidentId,
      audience: p.audience,
      title: p.title,
      body: p.body,
      nextUpdateAt: p.nextUpdateAt,
      approvedBy: p.approvedBy,
      lintAcknowledged: p.lintAcknowledged,
      publishedAt: p.publishedAt,
      publishedBy: p.publishedBy,
      deliveries: deliveries.filter((d) => d.updateId === p.updateId).map(deliveryView),
      markdown: asMarkdown(copy),
      plainText: asPlainText(copy),
    };
  };

  const mustGetUpdate = (incidentId: string, updateId: string): StoredUpdate => {
    const update = comms.update(incidentId, updateId);
    if (!update) throw new ApiError('not_found', `No update ${updateId} in incident ${incidentId} on this replica; it may not have synced here yet.`);
    return update;
  };

  /** An update that may still change: not published, not discarded, in an incident still open. */
  const mustGetEditable = (incidentId: string, updateId: string) => {
    const incident = mustGetOpenIncident(incidents, incidentId);
    const update = mustGetUpdate(incidentId, updateId);
    if (update.state === 'published') throw new ApiError('conflict', 'This update is published and cannot change; start a new update to correct it.');
    if (update.state === 'discarded') throw new ApiError('conflict', 'This update was discarded; start a new one.');
    return { incident, update };
  };

  const viewOf = (incidentId: string, updateId: string) => draftView(mustGetUpdate(incidentId, updateId), contextOf(mustGetIncident(incidents, incidentId)));

  const writeUpdate = (incidentId: string, updateId: string, fields: Record<string, unknown>, extra: OpDraft[] = []) => {
    replica.commitLocal([{ entity: 'comms_update', rowId: updateRowId(incidentId, updateId), fields: { incidentId, ...fields } }, ...extra]);
  };

  const channelNames = (ids: string[]) => {
    const byId = new Map(usableChannels().map((c) => [c.id, c.name]));
    return ids.map((id) => byId.get(id) ?? id);
  };

  const label = (update: Pick<StoredUpdate, 'audience'>, title: string) => `${audienceLabels[update.audience]} update "${title.length > 80 ? `${title.slice(0, 79)}…` : title}"`;

  return {
    'comms.templates': () => templateViews(comms),
    'comms.saveTemplate': (request) => {
      const id = request.id ?? runbookSlug(request.name);
      if (!id) throw new ApiError('bad_request', 'Give the template an id: its name has no letters or digits to make one from.');
      const existing = templateViews(comms).find((t) => t.id === id);
      // Without an id this is a new template: it never silently replaces another one.
      if (request.id === undefined && (existing || comms.template(id))) {
        throw new ApiError('conflict', `A template with id "${id}" exists already: edit it, or give this one another name.`);
      }
      if (existing && existing.isBuiltIn && existing.audience !== request.audience) {
        throw new ApiError('bad_request', `"${existing.name}" is the built-in ${audienceLabels[existing.audience]} template; its audience cannot change. Duplicate it instead.`);
      }
      replica.commitLocal([
        {
          entity: 'update_template',
          rowId: id,
          fields: { audience: request.audience, name: request.name, title: request.title, body: request.body, deleted: false, updatedBy: replica.actorId },
        },
      ]);
      return templateViews(comms).find((t) => t.id === id)!;
    },
    'comms.removeTemplate': (request) => {
      if (!templateViews(comms).some((t) => t.id === request.id)) throw new ApiError('not_found', `No update template ${request.id}.`);
      replica.commitLocal([{ entity: 'update_template', rowId: request.id, fields: { deleted: true, updatedBy: replica.actorId } }]);
      return templateViews(comms);
    },

    'comms.settings': () => commsSettings(incidents),
    'comms.saveSettings': (request) => {
      const drafts: OpDraft[] = [];
      const put = (key: string, value: unknown, what: string) => {
        const text = JSON.stringify(value);
        if (text.length > maxSettingChars) throw new ApiError('bad_request', `${what} is too long to keep (${text.length} characters, at most ${maxSettingChars}); list fewer.`);
        drafts.push({ entity: 'org_setting', rowId: key, fields: { value: text } });
      };
      if (request.cadence) put(settingKeys.cadence, request.cadence, 'The cadence');
      if (request.approval) put(settingKeys.approval, request.approval, 'The approval setting');
      if (request.namedApprovers) put(settingKeys.namedApprovers, [...new Set(request.namedApprovers)], 'The list of approvers');
      if (request.internalDomains) put(settingKeys.internalDomains, [...new Set(request.internalDomains)], 'The list of internal domains');
      if (drafts.length > 0) replica.commitLocal(drafts);
      return commsSettings(incidents);
    },

    'comms.channels': () => usableChannels().map(channelView).filter((v): v is ChannelView => v !== null),
    'comms.saveChannel': (request) => {
      const stored = request.id ? comms.channel(request.id) : null;
      if (request.id && (!stored || stored.deleted)) throw new ApiError('not_found', `No delivery channel ${request.id}; it may have been removed.`);
      const storedConfig = stored?.config ?? null;
      const isSameKind = storedConfig !== null && (request.config as { kind?: unknown } | null)?.kind === storedConfig.kind;
      const input = isSameKind ? restoreSecrets(request.config, redactConfig(storedConfig), storedConfig) : request.config;
      const left = redactedLeft(input);
      if (left.length > 0) {
        throw new ApiError('bad_request', `The channel cannot be saved: ${left.join(', ')} still ${left.length === 1 ? 'holds' : 'hold'} "${redacted}" where a secret was hidden; type the secret (or the whole address) again, or leave the field exactly as shown to keep it.`);
      }
      const parsed = channelConfig.safeParse(input);
      if (!parsed.success) throw new ApiError('bad_request', `The channel cannot be saved: ${channelConfigProblems(parsed.error).join('; ')}.`);
      let id = request.id;
      if (!id) {
        const base = runbookSlug(request.name) || parsed.data.kind;
        id = base;
        for (let n = 2; comms.channel(id); n += 1) id = `${base}-${n}`;
      }
      replica.commitLocal([
        {
          entity: 'comms_channel',
          rowId: id,
          fields: { name: request.name, config: parsed.data, audiences: [...new Set(request.audiences)], isEnabled: request.isEnabled, deleted: false, updatedBy: replica.actorId },
        },
      ]);
      return channelView(comms.channel(id)!)!;
    },
    'comms.removeChannel': (request) => {
      const stored = comms.channel(request.id);
      if (!stored || stored.deleted) throw new ApiError('not_found', `No delivery channel ${request.id}.`);
      replica.commitLocal([{ entity: 'comms_channel', rowId: request.id, fields: { deleted: true, updatedBy: replica.actorId } }]);
      return usableChannels().map(channelView).filter((v): v is ChannelView => v !== null);
    },

    'comms.room': (request): CommsRoom => {
      const incident = mustGetIncident(incidents, request.incidentId);
      const published = comms.published(incident.id);
      const cadence = incidentCadence(incident, commsSettings(incidents).cadence, comms, now());
      const deliveries = comms.deliveries(incident.id);
      const context = contextOf(incident);
      return {
        incidentId: incident.id,
        cadence,
        drafts: comms
          .updates(incident.id)
          .filter((u) => u.state !== 'published' && u.state !== 'discarded')
          .map((u) => draftView(u, context)),
        published: published.map((p) => publishedView(p, incident, deliveries)),
        channels: usableChannels()
          .filter((c) => c.isEnabled)
          .map(channelView)
          .filter((v): v is ChannelView => v !== null),
        outbox: deps.outboxStatus(),
      };
    },

    'comms.start': (request) => {
      const incident = mustGetOpenIncident(incidents, request.incidentId);
      const templates = templateViews(comms);
      const last = comms.updates(incident.id).find((u) => u.audience === request.audience && u.state === 'published') ?? null;
      let template = request.templateId ? templates.find((t) => t.id === request.templateId) : undefined;
      if (request.templateId && !template) throw new ApiError('not_found', `No update template ${request.templateId}; pick one from the library.`);
      if (template && template.audience !== request.audience) {
        throw new ApiError('bad_request', `"${template.name}" is a template for ${audienceLabels[template.audience]}, not ${audienceLabels[request.audience]}.`);
      }
      // A new update starts from the last one this audience read, unless a template is asked for.
      const base = template ?? (last ? null : templates.find((t) => t.audience === request.audience));
      if (!template && !last && !base) throw new ApiError('not_found', `There is no template for ${audienceLabels[request.audience]}; add one in the library.`);
      template = template ?? base ?? undefined;
      const settings = commsSettings(incidents);
      const status = cadenceStatus({ severity: incident.severity, audience: request.audience, cadence: settings.cadence, declaredAt: incident.declaredAt, lastPublishedAt: null, now: now() });
      const enabled = usableChannels().filter((c) => c.isEnabled && c.audiences.includes(request.audience));
      const updateId = uuidv7();
      const { nextUpdate: _dropped, ...carried } = last?.values ?? {};
      writeUpdate(incident.id, updateId, {
        audience: request.audience,
        templateId: template?.id ?? last?.templateId ?? null,
        title: template?.title ?? last!.title,
        body: template?.body ?? last!.body,
        values: carried,
        nextUpdateAt: nextUpdateSuggestion(status, now()),
        channelIds: last ? last.channelIds.filter((id) => enabled.some((c) => c.id === id)) : enabled.map((c) => c.id),
        approver: last?.approver ?? null,
        author: replica.actorId,
        createdAt: now(),
        state: 'draft',
        requestedAt: null,
        approvedDigest: null,
        decidedBy: null,
        decidedAt: null,
        decisionComment: '',
        publishedAt: null,
      });
      return viewOf(incident.id, updateId);
    },

    'comms.save': (request) => {
      const { incident, update } = mustGetEditable(request.incidentId, request.updateId);
      const fields: Record<string, unknown> = {};
      if (request.title !== undefined) fields.title = request.title;
      if (request.body !== undefined) fields.body = request.body;
      if (request.values !== undefined) fields.values = Object.fromEntries(Object.entries(request.values).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== ''));
      if (request.nextUpdateAt !== undefined) fields.nextUpdateAt = request.nextUpdateAt;
      if (request.approver !== undefined) fields.approver = request.approver;
      if (request.channelIds !== undefined) {
        const known = new Set(usableChannels().map((c) => c.id));
        const unknown = request.channelIds.filter((id) => !known.has(id));
        if (unknown.length > 0) throw new ApiError('bad_request', `No delivery channel ${unknown.join(', ')}: pick channels from the list.`);
        fields.channelIds = [...new Set(request.channelIds)];
      }
      const context = contextOf(incident);
      if (Object.keys(fields).length === 0) return draftView(update, context);
      // An approval covers the text that was approved: a change to it needs a new approval.
      const after = { ...update, ...fields } as StoredUpdate;
      const before = renderOf(update, context);
      const next = renderOf(after, context);
      // A change while approval is asked withdraws the request too: nobody approves wording they have not seen.
      const isDecided = update.state === 'approved' || update.state === 'rejected' || update.state === 'awaiting-approval';
      if (isDecided && (before.title !== next.title || before.body !== next.body)) fields.state = 'draft';
      writeUpdate(incident.id, update.id, fields);
      return viewOf(incident.id, update.id);
    },

    'comms.discard': (request) => {
      const { incident, update } = mustGetEditable(request.incidentId, request.updateId);
      writeUpdate(incident.id, update.id, { state: 'discarded' });
      return viewOf(incident.id, update.id);
    },

    'comms.requestApproval': (request) => {
      const { incident, update } = mustGetEditable(request.incidentId, request.updateId);
      const context = contextOf(incident);
      if (update.state === 'awaiting-approval' && update.approver === request.approver) return draftView(update, context);
      const asked = { ...update, approver: request.approver };
      if (request.approver) {
        const refusal = approvalRefusalFor(asked, request.approver, context);
        if (refusal) throw new ApiError('bad_request', `${request.approver} cannot approve this update: ${refusal}`);
      } else {
        // Someone must be able to approve it, or the request waits for nobody.
        const { commanderId, deputyId } = context.command;
        const candidates = [commanderId, deputyId, ...context.settings.namedApprovers].filter((p): p is string => Boolean(p) && p !== update.author);
        if (candidates.length === 0) throw new ApiError('conflict', 'Nobody else can approve this update yet: assign an incident commander or deputy, or name an approver.');
      }
      const rendered = renderOf(asked, context);
      const to = request.approver ? ` from ${nameOf(context, request.approver)}` : '';
      writeUpdate(incident.id, update.id, { state: 'awaiting-approval', approver: request.approver, requestedAt: now(), decidedBy: null, decidedAt: null, decisionComment: '', approvedDigest: null }, [
        systemEntry(incident.id, `${replica.actorId} asked for approval${to} of the ${label(update, rendered.title)}.`, now()),
      ]);
      return viewOf(incident.id, update.id);
    },

    'comms.decide': (request) => {
      const { incident, update } = mustGetEditable(request.incidentId, request.updateId);
      if (update.state !== 'awaiting-approval') {
        throw new ApiError('conflict', update.state === 'draft' ? 'Nobody has asked for approval of this update (or it changed since they did): there is nothing to decide yet.' : `This update is ${update.state} already; its author asks again after changing it.`);
      }
      const context = contextOf(incident);
      const refusal = approvalRefusalFor(update, replica.actorId, context);
      if (refusal) throw new ApiError('conflict', refusal);
      const rendered = renderOf(update, context);
      if (request.digest !== undefined && request.digest !== digestOf(update.audience, rendered.title, rendered.body)) {
        throw new ApiError('conflict', 'The update changed since you read it: read it again before you decide.');
      }
      const approved = request.decision === 'approve';
      const comment = request.comment ? `: ${request.comment}` : '.';
      writeUpdate(
        incident.id,
        update.id,
        {
          state: approved ? 'approved' : 'rejected',
          approvedDigest: approved ? digestOf(update.audience, rendered.title, rendered.body) : null,
          decidedBy: replica.actorId,
          decidedAt: now(),
          decisionComment: request.comment,
        },
        [systemEntry(incident.id, `${replica.actorId} ${approved ? 'approved' : 'rejected'} the ${label(update, rendered.title)}${comment}`, now())],
      );
      return viewOf(incident.id, update.id);
    },

    'comms.publish': (request) => {
      const { incident, update } = mustGetEditable(request.incidentId, request.updateId);
      const view = draftView(update, contextOf(incident));
      if (view.publishRefusal) throw new ApiError('conflict', view.publishRefusal);
      if (view.findings.length > 0 && !request.acknowledgeLint) {
        throw new ApiError(
          'conflict',
          `The update has ${view.findings.length} lint finding${view.findings.length === 1 ? '' : 's'}: ${describeLint(view.findings)}. Fix them, or publish anyway.`,
        );
      }
      const channels = usableChannels().filter((c) => c.isEnabled && update.channelIds.includes(c.id));
      const missing = update.channelIds.filter((id) => !channels.some((c) => c.id === id));
      if (missing.length > 0) throw new ApiError('conflict', `Channel ${channelNames(missing).join(', ')} is disabled or removed: untick it, or enable it in Settings.`);
      const at = now();
      const approvedBy = view.needsApproval ? update.decidedBy : null;
      const via = channels.length > 0 ? ` via ${channels.map((c) => c.name).join(', ')}` : ' (no channel: copied out by hand)';
      const acknowledged = [...new Set(view.findings.map((f) => f.rule))];
      replica.commitLocal([
        {
          entity: 'comms_published',
          rowId: '',
          fields: {
            incidentId: incident.id,
            updateId: update.id,
            audience: update.audience,
            title: view.rendered.title,
            body: view.rendered.body,
            nextUpdateAt: update.nextUpdateAt,
            channels: channels.map((c) => ({ id: c.id, name: c.name, kind: c.kind ?? 'unknown' })),
            approvedBy,
            lintAcknowledged: acknowledged,
            publishedAt: at,
          },
        },
        { entity: 'comms_update', rowId: updateRowId(incident.id, update.id), fields: { incidentId: incident.id, state: 'published', publishedAt: at } },
        ...channels.map(
          (c): OpDraft => ({
            entity: 'comms_delivery',
            rowId: deliveryRowId(incident.id, update.id, c.id),
            fields: {
              incidentId: incident.id,
              updateId: update.id,
              channelId: c.id,
              channelName: c.name,
              kind: c.kind ?? 'unknown',
              state: 'queued',
              attempts: 0,
              lastError: '',
              nextAttemptAt: null,
              deliveredAt: null,
              detail: '',
              remoteId: null,
              by: '',
            },
          }),
        ),
        systemEntry(
          incident.id,
          `${replica.actorId} published the ${label(update, view.rendered.title)}${via}${approvedBy ? `, approved by ${approvedBy}` : ''}${acknowledged.length > 0 ? `, with lint findings acknowledged (${acknowledged.join(', ')})` : ''}.`,
          at,
        ),
      ]);
      deps.nudgeOutbox();
      return publishedView(comms.publishedOne(incident.id, update.id)!, incident, comms.deliveries(incident.id));
    },

    'comms.retry': (request) => {
      const incident = mustGetIncident(incidents, request.incidentId);
      const published = comms.publishedOne(incident.id, request.updateId);
      if (!published) throw new ApiError('not_found', `Update ${request.updateId} is not published in this incident.`);
      const rowId = deliveryRowId(incident.id, request.updateId, request.channelId);
      const delivery = comms.delivery(rowId);
      if (!delivery) throw new ApiError('not_found', `Update ${request.updateId} was not sent to channel ${request.channelId}.`);
      if (delivery.state !== 'failed') {
        throw new ApiError('conflict', `The delivery to ${delivery.channelName} is ${delivery.state}${delivery.state === 'retrying' ? ': it is retried automatically' : ''}; only a failed delivery is retried by hand.`);
      }
      replica.commitLocal([
        { entity: 'comms_delivery', rowId, fields: { incidentId: incident.id, state: 'queued', nextAttemptAt: null } },
        systemEntry(incident.id, `${replica.actorId} asked to send the ${label(published, published.title)} to ${delivery.channelName} again.`, now()),
      ]);
      deps.nudgeOutbox();
      return publishedView(published, incident, comms.deliveries(incident.id));
    },
  };
}

