// Random valid writes for every entity, for property tests: one fast-check arbitrary per entity
// (a missing one is a type error, and the convergence test checks the set at run time too), and
// how a write becomes the draft a device commits, given what that device has seen so far.
import type { Database } from 'better-sqlite3';
import fc from 'fast-check';
import type { Json } from '@shared/canonical';
import { artifactStates, artifactTypes, custodyActions, custodyGenesis, custodyRecord, type CustodyEvent } from '@shared/domain/evidence';
import { audiences, deliveryStates, updateStates } from '@shared/domain/comms';
import { incidentStatuses, incidentTypes, severities } from '@shared/domain/incident';
import { incidentRoles } from '@shared/domain/incident-roles';
import { actionPriorities, actionStatuses, actionTypes, contributingFactorKeys, reviewStates } from '@shared/domain/review';
import { runStatuses, stepStates } from '@shared/domain/runbook';
import { taskStatuses } from '@shared/domain/tasks';
import { timelineKinds } from '@shared/domain/timeline';
import { incidentRowId, type EntityName } from '@shared/entities';
import { uuidv7 } from '@shared/ids';
import type { OpDraft } from '@shared/ops';
import { nativeSha256Hex } from '../../electron/engine/core/native-hash';
import { replicaIdentity } from '../../electron/engine/core/replica';

/** The incidents writes land in (a small pool, so devices write the same rows concurrently). */
export const incidentPool = ['0194f000-0000-7000-8000-000000000001', '0194f000-0000-7000-8000-000000000002', '0194f000-0000-7000-8000-000000000003'];
export const runbookPool = ['db-failover', 'cache-flush'];

/** One generated write: plain data, so fast-check prints and shrinks it. */
export interface Write {
  entity: EntityName;
  /** Index into incidentPool. */
  incident: number;
  /** Which row of the entity (a small pool: several rows per entity, same rows written concurrently). */
  row: number;
  fields: Record<string, Json>;
  /** Whether a row of an incident also names the incident in its fields (optional in set ops). */
  isIncidentNamed: boolean;
  /** Indexes into what the writer has seen: runbook parents, a custody event to follow or replay. */
  picks: number[];
}

/** What a writing device has seen: its own projections. */
export interface WriterView {
  actorId: string;
  db: Database;
}

// ---------------------------------------------------------------------------------------------
// Values

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const epochMs = fc.integer({ min: 1_795_000_000_000, max: 1_795_000_900_000 });
const orNull = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });
const user = pick(['alice', 'bob', 'carol', 'dana']);
const phrase = pick(['Login failures', 'disk full on db-2', 'Ünïcode naïve café ✓', 'rollback done', 'payments delayed']);
/** Any text: plain phrases, arbitrary strings, and UTF-16 oddities (lone surrogates) that must survive hashing and storage alike. */
const anyText = fc.oneof(phrase, fc.string({ maxLength: 30 }), fc.string({ maxLength: 8, unit: 'binary' }));
const hex = (length: number) => fc.string({ unit: pick([...'0123456789abcdef']), minLength: length, maxLength: length });
/** Base64url text of `length` characters ending in `last` (a valid final character for the byte count). */
const base64url = (length: number, last: string) =>
  fc.string({ unit: pick([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_']), minLength: length - 1, maxLength: length - 1 }).map((s) => s + last);
const phone = fc.record({ label: pick(['mobile', 'desk', '']), number: pick(['+44 20 7946 0000', '+1 555 0100', '112']) });
const idText = pick(['a', 'b', 'c']);
const shortList = <T>(arbitrary: fc.Arbitrary<T>, maxLength = 3) => fc.array(arbitrary, { maxLength });
const channelConfigs: Json[] = [
  { kind: 'webhook', url: 'https://hooks.example.com/holdfast', secretHeader: { name: 'X-Holdfast-Secret', value: 's3cret' } },
  { kind: 'slack', url: 'https://hooks.slack.com/services/T000/B000/XXXX' },
  { kind: 'email', host: 'smtp.example.com', port: 587, secure: false, from: 'ops@example.com', to: ['execs@example.com'] },
  { kind: 'statuspage', baseUrl: 'https://api.statuspage.io/v1', pageId: 'page1', apiKey: 'key1' },
];

/** A set op's fields: any non-empty subset of `shape`. */
function partial(shape: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, Json>> {
  return fc.record(shape, { requiredKeys: [] }).filter((fields) => Object.keys(fields).length > 0) as fc.Arbitrary<Record<string, Json>>;
}

/** A runbook's source: readable Markdown with front matter and steps, or text this build cannot read. */
const runbookSource = fc.oneof(
  fc
    .record({
      title: phrase,
      steps: fc.array(pick(['[check] Confirm the primary is down', '[command] Check lag', '[recovery] Promote the replica']), { minLength: 1, maxLength: 3 }),
      tag: pick(['postgres', 'redis']),
    })
    .map(
      ({ title, steps, tag }) =>
        `---\ntitle: ${title}\nservices: [orders-db]\ntags: [${tag}]\nowner: team-data\n---\n\nIntro.\n\n${steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}\n`,
    ),
  pick(['no front matter at all', '---\ntitle: unclosed front matter\n']),
);

// ---------------------------------------------------------------------------------------------
// One arbitrary per entity

const write = (entity: EntityName, fields: fc.Arbitrary<Record<string, Json>>, picks: fc.Arbitrary<number[]> = fc.constant([])): fc.Arbitrary<Write> =>
  fc.record({ entity: fc.constant(entity), incident: fc.nat(incidentPool.length - 1), row: fc.nat(2), fields, isIncidentNamed: fc.boolean(), picks });

export const writeArbitraries: Record<EntityName, fc.Arbitrary<Write>> = {
  incident: write(
    'incident',
    partial({
      title: phrase,
      severity: pick(severities),
      status: pick(incidentStatuses),
      summary: anyText,
      type: pick(incidentTypes),
      services: shortList(pick(['orders-db', 'checkout-api'])),
      isDrill: fc.boolean(),
      declaredAt: epochMs,
      startedAt: orNull(epochMs),
      detectedAt: orNull(epochMs),
      acknowledgedAt: orNull(epochMs),
      mitigatedAt: orNull(epochMs),
      resolvedAt: orNull(epochMs),
      closedAt: orNull(epochMs),
      isLegalHold: fc.boolean(),
      legalHoldReason: anyText,
      deleted: fc.boolean(),
    }),
  ),
  timeline_entry: write(
    'timeline_entry',
    fc.record(
      { kind: pick(timelineKinds), text: phrase, eventAt: epochMs, corrects: idText, source: pick(['pipeline', 'slack']) },
      { requiredKeys: ['kind', 'text', 'eventAt'] },
    ),
  ),
  timeline_pin: write('timeline_pin', fc.record({ isPinned: fc.boolean() })),
  // Seats and handoffs: an offer (offeredTo/By/At), taken (holderId, since, offer cleared).
  incident_role: write(
    'incident_role',
    fc.oneof(
      partial({ role: pick(incidentRoles), label: phrase, holderId: orNull(user), since: orNull(epochMs) }),
      fc.record({ offeredTo: user, offeredBy: user, offeredAt: epochMs }),
      fc.record({ holderId: user, since: epochMs, offeredTo: fc.constant(null), offeredBy: fc.constant(null), offeredAt: fc.constant(null) }),
    ),
  ),
  freeze: write(
    'freeze',
    partial({
      scope: pick(['all', 'orders-db']),
      reason: anyText,
      since: epochMs,
      until: orNull(epochMs),
      declaredBy: user,
      liftedAt: orNull(epochMs),
      liftedBy: orNull(user),
      liftReason: anyText,
    }),
  ),
  task: write('task', partial({ title: phrase, ownerId: orNull(user), dueAt: orNull(epochMs), status: pick(taskStatuses), createdAt: epochMs, createdBy: user })),
  org_setting: write('org_setting', fc.record({ value: anyText })),
  person: write(
    'person',
    partial({
      name: phrase,
      handle: orNull(user),
      email: pick(['a@example.com', '']),
      phones: shortList(phone),
      teamId: orNull(idText),
      timeZone: pick(['Europe/London', 'America/New_York']),
      title: anyText,
      notes: anyText,
      deleted: fc.boolean(),
    }),
  ),
  team: write('team', partial({ name: phrase, description: anyText, escalationPhone: pick(['+1 555 0100', '']), pager: anyText, deleted: fc.boolean() })),
  bridge: write(
    'bridge',
    partial({
      name: phrase,
      dialIn: shortList(phone),
      meetingUrl: pick(['https://meet.example.com/war-room', '']),
      pin: pick(['1234#', '']),
      notes: anyText,
      deleted: fc.boolean(),
    }),
  ),
  // Versions with parents picked among the versions the writer has seen: children, siblings, merges.
  runbook_version: write('runbook_version', fc.record({ source: runbookSource, note: anyText }), shortList(fc.nat(5), 2)),
  runbook: write('runbook', fc.record({ isArchived: fc.boolean() })),
  runbook_run: write(
    'runbook_run',
    partial({
      runbookId: pick(runbookPool),
      versionId: idText,
      title: phrase,
      startedAt: epochMs,
      startedBy: user,
      assignees: shortList(user),
      status: pick(runStatuses),
      stopReason: anyText,
    }),
  ),
  runbook_step: write('runbook_step', partial({ state: pick(stepStates), note: anyText, branch: orNull(pick(['yes', 'no'])), by: user, at: epochMs, override: anyText })),
  checklist_template: write(
    'checklist_template',
    partial({
      name: phrase,
      incidentTypes: shortList(pick(['security', 'data'])),
      items: shortList(
        fc.record({
          key: pick(['mem', 'disk']),
          artifactType: pick(artifactTypes),
          asset: anyText,
          what: anyText,
          how: anyText,
          isRequired: fc.boolean(),
          volatility: fc.integer({ min: 1, max: 9 }),
        }),
        2,
      ),
      deleted: fc.boolean(),
      updatedBy: user,
    }),
  ),
  artifact: write(
    'artifact',
    partial({
      templateId: orNull(idText),
      itemKey: orNull(pick(['mem', 'disk'])),
      artifactType: pick(artifactTypes),
      asset: anyText,
      what: anyText,
      isRequired: fc.boolean(),
      volatility: fc.integer({ min: 1, max: 9 }),
      state: pick(artifactStates),
      reason: anyText,
      approvedBy: orNull(user),
      collector: orNull(fc.record({ name: user, role: pick(['ops', 'forensics']), contact: pick(['x@example.com', '']) })),
      hostIds: shortList(pick(['host-1', 'host-2'])),
      acquisitionStart: orNull(epochMs),
      acquisitionEnd: orNull(epochMs),
      size: orNull(fc.nat(1_000_000)),
      sha256: orNull(hex(64)),
      md5: orNull(hex(32)),
      hashSource: orNull(pick(['holdfast', 'tool'] as const)),
      createdAt: epochMs,
      createdBy: user,
    }),
  ),
  // A new event chained to the artifact's head as the writer sees it (concurrent writers fork the
  // chain), or, with picks [n], a replay of the n-th event the writer has (same event id).
  custody_event: write(
    'custody_event',
    fc.record({
      action: pick(custodyActions),
      from: anyText,
      to: anyText,
      purpose: anyText,
      note: anyText,
      sha256: orNull(hex(64)),
      result: orNull(pick(['match', 'mismatch'] as const)),
      corrects: orNull(idText),
      at: epochMs,
    }),
    fc.oneof({ weight: 3, arbitrary: fc.constant<number[]>([]) }, { weight: 1, arbitrary: fc.tuple(fc.nat(5)).map((t): number[] => [...t]) }),
  ),
  update_template: write('update_template', partial({ audience: pick(audiences), name: phrase, title: phrase, body: anyText, deleted: fc.boolean(), updatedBy: user })),
  comms_channel: write(
    'comms_channel',
    partial({ name: phrase, config: pick(channelConfigs), audiences: fc.subarray([...audiences]), isEnabled: fc.boolean(), deleted: fc.boolean(), updatedBy: user }),
  ),
  // A laptop saying it holds (or no longer holds) a channel's secret: always its own device.
  comms_channel_holder: write('comms_channel_holder', fc.record({ held: fc.boolean(), secretId: pick(['s1', 's2']) })),
  // An update through its approval states.
  comms_update: write(
    'comms_update',
    fc.oneof(
      partial({
        audience: pick(audiences),
        templateId: orNull(idText),
        title: phrase,
        body: anyText,
        values: fc.dictionary(pick(['impact', 'status']), anyText),
        nextUpdateAt: orNull(epochMs),
        channelIds: fc.subarray(['a', 'b']),
        author: user,
        createdAt: epochMs,
        state: fc.constant('draft'),
      }),
      fc.record({ state: fc.constant('awaiting-approval'), approver: orNull(user), requestedAt: epochMs }),
      fc.record({ state: pick(['approved', 'rejected'] as const), decidedBy: user, decidedAt: epochMs, decisionComment: anyText, approvedDigest: orNull(hex(16)) }),
      fc.record({ state: pick(updateStates), publishedAt: orNull(epochMs) }),
    ),
  ),
  // Each writer publishes its own updates: a published update never changes, so a second publication
  // of the same update is ignored where one is held already, whatever its clock (docs/security.md).
  comms_published: write(
    'comms_published',
    fc.record({
      audience: pick(audiences),
      title: phrase,
      body: anyText,
      nextUpdateAt: orNull(epochMs),
      channels: shortList(fc.record({ id: idText, name: phrase, kind: pick(['slack', 'email']) }), 2),
      approvedBy: orNull(user),
      lintAcknowledged: shortList(pick(['blame', 'jargon']), 2),
      publishedAt: epochMs,
    }),
  ),
  comms_delivery: write(
    'comms_delivery',
    partial({
      channelName: phrase,
      kind: pick(['slack', 'email']),
      state: pick(deliveryStates),
      attempts: fc.nat(5),
      lastError: anyText,
      nextAttemptAt: orNull(epochMs),
      deliveredAt: orNull(epochMs),
      detail: anyText,
      remoteId: orNull(idText),
      by: user,
    }),
  ),
  review: write(
    'review',
    partial({
      body: anyText,
      generatedBody: anyText,
      isEdited: fc.boolean(),
      factors: fc.subarray(contributingFactorKeys.slice(0, 4)),
      state: pick(reviewStates),
      dueAt: orNull(epochMs),
      generatedAt: epochMs,
      updatedBy: user,
      publishedAt: orNull(epochMs),
    }),
  ),
  action_item: write(
    'action_item',
    partial({
      title: phrase,
      ownerId: orNull(user),
      dueAt: orNull(epochMs),
      priority: pick(actionPriorities),
      type: pick(actionTypes),
      status: pick(actionStatuses),
      note: anyText,
      createdAt: epochMs,
      createdBy: user,
    }),
  ),
  purge_record: write('purge_record', fc.record({ title: phrase, severity: pick(severities), closedAt: epochMs, reason: pick(['Retention policy']), purgedAt: epochMs })),
  service: write(
    'service',
    partial({
      name: phrase,
      description: anyText,
      tier: fc.integer({ min: 1, max: 4 }),
      ownerTeamId: orNull(idText),
      rtoMin: orNull(fc.nat(600)),
      rpoMin: orNull(fc.nat(600)),
      dependsOn: fc.subarray(['a', 'b', 'c']),
      runbookIds: fc.subarray(runbookPool),
      checklistIds: fc.subarray(['a', 'b']),
      deleted: fc.boolean(),
      updatedBy: user,
    }),
  ),
  // Trust records: well-formed but not really signed (convergence is about merging, not judging).
  org_key: write('org_key', fc.record({ keyId: hex(32), publicKey: base64url(43, 'A'), createdAt: epochMs })),
  device_cert: write(
    'device_cert',
    fc.record({
      body: fc.record({
        v: fc.constant(1),
        org: hex(32),
        user: user,
        role: pick(['admin', 'commander', 'responder', 'guest']),
        deviceId: hex(16),
        publicKey: base64url(43, 'A'),
        issuedAt: epochMs,
        notBefore: epochMs,
        notAfter: epochMs,
        adopts: fc.boolean(),
        aliases: shortList(user, 2),
        issuer: fc.oneof(fc.record({ kind: fc.constant('org'), keyId: hex(32) }), fc.record({ kind: fc.constant('hub'), certId: hex(32) })),
      }),
      sig: base64url(86, 'w'),
    }),
  ),
  cert_revocation: write(
    'cert_revocation',
    fc.record({
      body: fc.record({ v: fc.constant(1), org: hex(32), certId: hex(32), effectiveAt: epochMs, issuedAt: epochMs, reason: anyText }),
      sig: base64url(86, 'Q'),
    }),
  ),
  legacy_seal: write('legacy_seal', fc.record({ streamId: pick(['org', 'directory', 'library']), hashes: fc.array(hex(64), { minLength: 1, maxLength: 3 }) })),
  integration_target: write('integration_target', partial({ name: phrase, isEnabled: fc.boolean(), deleted: fc.boolean(), secretId: pick(['s1', 's2']) })),
  integration_send: write('integration_send', partial({ title: phrase, state: pick(['queued', 'delivered', 'failed']), attempts: fc.nat(5), lastError: anyText })),
  incident_mirror: write('incident_mirror', partial({ isEnabled: fc.boolean(), internalUpdates: fc.boolean(), since: epochMs })),
  // Receipts of made-up ops: two receipts for one op keep the earlier time, whatever their order.
  op_receipt: write(
    'op_receipt',
    fc.record({
      held: fc.array(fc.record({ at: epochMs, opIds: fc.subarray(['0190a000-0000-7000-8000-000000000001', '0190a000-0000-7000-8000-000000000002'], { minLength: 1 }) }), {
        minLength: 1,
        maxLength: 2,
      }),
    }),
  ),
};

/** Any write of any entity. */
export const anyWrite: fc.Arbitrary<Write> = fc.oneof(...Object.values(writeArbitraries));

// ---------------------------------------------------------------------------------------------
// From a write to the draft a device commits

const nth = <T>(values: readonly T[], index: number): T | undefined => (values.length === 0 ? undefined : values[index % values.length]);

/** The draft a device writes for `w`, given what it has seen (its projections). */
/** How many updates this writer has published: each publication is of a new update. */
const publishedCount = (view: WriterView) => view.db.prepare('SELECT count(*) FROM comms_published WHERE published_by = ?').pluck().get(view.actorId) as number;

export function draftOf(w: Write, view: WriterView): OpDraft {
  const incidentId = incidentPool[w.incident];
  const key = `r${w.row}`;
  const named = (fields: Record<string, Json>) => (w.isIncidentNamed ? { incidentId, ...fields } : fields);
  const inIncident = (rowKey: string): OpDraft => ({ entity: w.entity, rowId: incidentRowId(incidentId, rowKey), fields: named(w.fields) });
  const shared = (rowId: string): OpDraft => ({ entity: w.entity, rowId, fields: w.fields });
  const append = (fields: Record<string, Json>): OpDraft => ({ entity: w.entity, rowId: '', fields });
  switch (w.entity) {
    case 'incident':
      return shared(incidentId);
    case 'timeline_entry':
      return append({ incidentId, ...w.fields });
    case 'timeline_pin':
      return inIncident(`e${w.row}`);
    case 'incident_role':
      return inIncident(incidentRoles[w.row]);
    case 'freeze':
    case 'task':
    case 'artifact':
    case 'action_item':
    case 'runbook_run':
      return inIncident(key);
    case 'runbook_step':
      return { entity: w.entity, rowId: incidentRowId(incidentId, `run0/${w.row + 1}`), fields: named({ runId: 'run0', step: w.row + 1, ...w.fields }) };
    case 'comms_update':
      return inIncident(`u${w.row}`);
    case 'comms_channel_holder': {
      const channelId = ['a', 'b', 'c'][w.row];
      const { deviceId } = replicaIdentity(view.db);
      return { entity: w.entity, rowId: `${channelId}/${deviceId}`, fields: { channelId, deviceId, ...w.fields } };
    }
    case 'comms_delivery':
      return {
        entity: w.entity,
        rowId: incidentRowId(incidentId, `u${w.row}/c${w.row % 2}`),
        fields: named({ updateId: `u${w.row}`, channelId: `c${w.row % 2}`, ...w.fields }),
      };
    case 'review':
      return inIncident('review');
    case 'comms_published':
      return append({ incidentId, updateId: `u${w.row}-${view.actorId}-${publishedCount(view)}`, ...w.fields });
    case 'purge_record':
      return append({ incidentId, ...w.fields });
    case 'org_key':
    case 'device_cert':
    case 'cert_revocation':
    case 'legacy_seal':
      return append(w.fields);
    case 'custody_event':
      return custodyDraft(w, view);
    case 'runbook_version': {
      const runbookId = runbookPool[w.row % runbookPool.length];
      const seen = view.db.prepare('SELECT id FROM runbook_versions WHERE runbook_id = ? ORDER BY hlc, id').pluck().all(runbookId) as string[];
      const parents = [...new Set(w.picks.map((p) => nth(seen, p)).filter((p): p is string => p !== undefined))];
      return append({ runbookId, parents, ...w.fields });
    }
    case 'runbook':
      return shared(runbookPool[w.row % runbookPool.length]);
    case 'org_setting':
      return shared(`setting-${key}`);
    case 'person':
    case 'team':
    case 'bridge':
    case 'checklist_template':
    case 'update_template':
    case 'comms_channel':
    case 'service':
    case 'integration_target':
      return shared(['a', 'b', 'c'][w.row]);
    case 'integration_send':
      return inIncident(`int-p${w.row}/t${w.row % 2}`);
    case 'incident_mirror':
      return inIncident(`t${w.row}`);
    case 'op_receipt':
      return append({ incidentId, ...w.fields });
  }
}

/** A custody event the way the engine writes one: its record hashed, chained to the artifact's head as this writer sees it. */
function custodyDraft(w: Write, view: WriterView): OpDraft {
  const incidentId = incidentPool[w.incident];
  const artifactId = incidentRowId(incidentId, `r${w.row}`);
  if (w.picks.length > 0) {
    const seen = view.db.prepare("SELECT fields FROM ops WHERE entity = 'custody_event' ORDER BY hlc, op_id").pluck().all() as string[];
    const replayed = nth(seen, w.picks[0]);
    if (replayed !== undefined) return { entity: 'custody_event', rowId: '', fields: JSON.parse(replayed) as Record<string, Json> };
  }
  const head = view.db.prepare('SELECT hash FROM custody_events WHERE artifact_id = ? ORDER BY hlc DESC, id DESC LIMIT 1').pluck().get(artifactId) as string | undefined;
  const f = w.fields as Pick<CustodyEvent, 'action' | 'from' | 'to' | 'purpose' | 'note' | 'sha256' | 'result' | 'corrects' | 'at'>;
  const record: Omit<CustodyEvent, 'hash'> = { ...f, id: uuidv7(f.at), incidentId, artifactId, actorId: view.actorId, prevHash: head ?? custodyGenesis };
  const { id, actorId: _actor, ...fields } = record;
  return { entity: 'custody_event', rowId: '', fields: { eventId: id, ...fields, hash: nativeSha256Hex(custodyRecord(record)) } };
}
