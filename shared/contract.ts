// The one API contract between the UI and the engine. Every call is one entry in `calls`: its
// request schema and (as a type) its response. Preload, Electron main, the web bridge and the
// renderer's client are all typed from this file, so adding a call means adding one entry here
// and its handler in the engine.
import { z } from 'zod';
import { importBundleRequest, type BundleImportReport } from './domain/bundle-import';
import {
  exportCatalogRequest,
  importCatalogRequest,
  incidentServicesRequest,
  saveServiceRequest,
  serviceIdRequest,
  type CatalogExport,
  type CatalogImportReport,
  type IncidentCatalog,
  type ServiceDetail,
  type ServiceView,
} from './domain/catalog';
import {
  importDirectoryRequest,
  removeDirectoryEntryRequest,
  saveBridgeRequest,
  savePersonRequest,
  saveTeamRequest,
  type Bridge,
  type Directory,
  type ImportReport,
  type Person,
  type Team,
} from './domain/directory';
import {
  addArtifactRequest,
  addCustodyRequest,
  artifactIdRequest,
  exportEvidenceRequest,
  failArtifactRequest,
  hashFileRequest,
  hashJobRequest,
  listArtifactsRequest,
  recordCollectionRequest,
  saveTemplateRequest,
  startChecklistRequest,
  startCollectingRequest,
  templateIdRequest,
  waiveArtifactRequest,
  type Artifact,
  type ChecklistTemplate,
  type CustodyEvent,
  type EvidenceView,
  type ExportedFile,
  type HashJob,
} from './domain/evidence';
import {
  channelIdRequest,
  commsRoomRequest,
  decideUpdateRequest,
  publishUpdateRequest,
  requestApprovalRequest,
  retryDeliveryRequest,
  saveChannelRequest,
  setChannelSecretRequest,
  saveCommsSettingsRequest,
  saveUpdateRequest,
  saveUpdateTemplateRequest,
  startUpdateRequest,
  updateRefRequest,
  updateTemplateIdRequest,
  type ChannelView,
  type CommsRoom,
  type CommsSettings,
  type PublishedUpdate,
  type UpdateDraft,
  type UpdateDue,
  type UpdateTemplateView,
} from './domain/comms-api';
import { declareFreezeRequest, liftFreezeRequest, type Freeze } from './domain/freeze';
import {
  correctMilestoneRequest,
  createIncidentRequest,
  getIncidentRequest,
  listIncidentsRequest,
  setStatusRequest,
  severityMeaningsRequest,
  updateIncidentRequest,
  type Incident,
  type Severity,
  type WarRoom,
} from './domain/incident';
import { addExpertRequest, answerOfferRequest, assignRoleRequest, offerRoleRequest, releaseRoleRequest, seatRequest, type RoleSeat } from './domain/incident-roles';
import {
  archiveRunbookRequest,
  assignRunRequest,
  getRunbookRequest,
  importRunbooksRequest,
  listRunbooksRequest,
  listRunsRequest,
  saveRunbookRequest,
  searchRunbooksRequest,
  setStepRequest,
  startRunRequest,
  stopRunRequest,
  suggestRunbooksRequest,
  type RunbookDetail,
  type RunbookExportFile,
  type RunbookImportReport,
  type RunbookRun,
  type RunbookSearchHit,
  type RunbookSummary,
} from './domain/runbook';
import { createTaskRequest, updateTaskRequest, type Task } from './domain/tasks';
import { metricsRequest, type MetricsReport } from './domain/metrics';
import {
  addActionRequest,
  legalHoldRequest,
  listActionsRequest,
  purgeRequest,
  reportRequest,
  retentionSettingRequest,
  reviewRequest,
  saveReviewRequest,
  updateActionRequest,
  type ActionItem,
  type RetentionView,
  type Review,
  type ReviewSummary,
} from './domain/review';
import { searchRequest, type SearchHit } from './domain/search';
import { knowledgeRequest, type KnowledgeView } from './domain/knowledge';
import { integrationCalls } from './domain/integrations-api';
import { outageCalls, type OutageStatus } from './domain/outage-api';
import { pinOrgKeyRequest, type TrustStatus } from './trust/api';
import { scopeSettings, type ReplicaScopeView } from './replica-scope';
import { connectRequest, joinHubRequest, peerRequest, startHubRequest, type HubStatus, type SyncStatus } from './domain/sync-status';
import {
  addTimelineEntryRequest,
  correctTimelineEntryRequest,
  listTimelineRequest,
  locateTimelineEntryRequest,
  pinTimelineEntryRequest,
  timelineAuthorsRequest,
  timelineWindowRequest,
  type TimelineEntry,
  type TimelinePage,
  type TimelineWindow,
} from './domain/timeline';

/** Declares a call: a request schema now, the response type through `returns<T>()`. */
function call<S extends z.ZodType>(request: S) {
  return {
    returns<R>(): CallSpec<S, R> {
      return { request };
    },
  };
}

export interface CallSpec<S extends z.ZodType, R> {
  request: S;
  /** Type-level only: the value a successful call resolves to. */
  readonly response?: R;
}

const noArgs = z.object({}).strict();

export interface AppInfo {
  name: string;
  version: string;
  /** Where this replica keeps its data. */
  dataDir: string;
  schemaVersion: number;
  /** This replica's device id (owner of its clock and hash chains). */
  deviceId: string;
  /** The person this replica writes as. */
  actorId: string;
  /** Which shell hosts the engine. */
  host: 'desktop' | 'web';
}

export const calls = {
  'app.info': call(noArgs).returns<AppInfo>(),
  'incidents.create': call(createIncidentRequest).returns<Incident>(),
  'incidents.list': call(listIncidentsRequest).returns<Incident[]>(),
  'incidents.get': call(getIncidentRequest).returns<Incident>(),
  'incidents.update': call(updateIncidentRequest).returns<Incident>(),
  'incidents.setStatus': call(setStatusRequest).returns<Incident>(),
  'incidents.correctMilestone': call(correctMilestoneRequest).returns<Incident>(),
  'incidents.room': call(getIncidentRequest).returns<WarRoom>(),
  'org.severityMeanings': call(noArgs).returns<Record<Severity, string>>(),
  'org.setSeverityMeanings': call(severityMeaningsRequest).returns<Record<Severity, string>>(),
  'roles.assign': call(assignRoleRequest).returns<RoleSeat[]>(),
  'roles.addExpert': call(addExpertRequest).returns<RoleSeat[]>(),
  'roles.offer': call(offerRoleRequest).returns<RoleSeat[]>(),
  'roles.answer': call(answerOfferRequest).returns<RoleSeat[]>(),
  'roles.withdraw': call(seatRequest).returns<RoleSeat[]>(),
  'roles.release': call(releaseRoleRequest).returns<RoleSeat[]>(),
  'freeze.declare': call(declareFreezeRequest).returns<Freeze[]>(),
  'freeze.lift': call(liftFreezeRequest).returns<Freeze[]>(),
  'tasks.create': call(createTaskRequest).returns<Task>(),
  'tasks.update': call(updateTaskRequest).returns<Task>(),
  'timeline.add': call(addTimelineEntryRequest).returns<TimelineEntry>(),
  'timeline.correct': call(correctTimelineEntryRequest).returns<TimelineEntry>(),
  'timeline.pin': call(pinTimelineEntryRequest).returns<TimelineEntry>(),
  'timeline.list': call(listTimelineRequest).returns<TimelinePage>(),
  'timeline.window': call(timelineWindowRequest).returns<TimelineWindow>(),
  'timeline.locate': call(locateTimelineEntryRequest).returns<{ position: number | null }>(),
  'timeline.authors': call(timelineAuthorsRequest).returns<string[]>(),
  'directory.list': call(noArgs).returns<Directory>(),
  'directory.savePerson': call(savePersonRequest).returns<Person>(),
  'directory.saveTeam': call(saveTeamRequest).returns<Team>(),
  'directory.saveBridge': call(saveBridgeRequest).returns<Bridge>(),
  'directory.remove': call(removeDirectoryEntryRequest).returns<Directory>(),
  'directory.import': call(importDirectoryRequest).returns<ImportReport>(),
  'search.query': call(searchRequest).returns<SearchHit[]>(),
  'catalog.list': call(noArgs).returns<ServiceView[]>(),
  'catalog.get': call(serviceIdRequest).returns<ServiceDetail>(),
  'catalog.save': call(saveServiceRequest).returns<ServiceView>(),
  /** Refused while other services depend on it; answers with the services left. */
  'catalog.remove': call(serviceIdRequest).returns<ServiceView[]>(),
  /** All of the file or none of it: `isImported` is false when it has errors (listed by line). */
  'catalog.import': call(importCatalogRequest).returns<CatalogImportReport>(),
  'catalog.export': call(exportCatalogRequest).returns<CatalogExport>(),
  'catalog.forIncident': call(incidentServicesRequest).returns<IncidentCatalog>(),
  'runbooks.list': call(listRunbooksRequest).returns<RunbookSummary[]>(),
  'runbooks.get': call(getRunbookRequest).returns<RunbookDetail>(),
  'runbooks.save': call(saveRunbookRequest).returns<RunbookDetail>(),
  'runbooks.archive': call(archiveRunbookRequest).returns<RunbookSummary>(),
  'runbooks.search': call(searchRunbooksRequest).returns<RunbookSearchHit[]>(),
  'runbooks.suggest': call(suggestRunbooksRequest).returns<RunbookSummary[]>(),
  'runbooks.import': call(importRunbooksRequest).returns<RunbookImportReport>(),
  'runbooks.export': call(noArgs).returns<RunbookExportFile[]>(),
  'runs.start': call(startRunRequest).returns<RunbookRun>(),
  'runs.list': call(listRunsRequest).returns<RunbookRun[]>(),
  'runs.setStep': call(setStepRequest).returns<RunbookRun>(),
  'runs.assign': call(assignRunRequest).returns<RunbookRun>(),
  'runs.stop': call(stopRunRequest).returns<RunbookRun>(),
  'evidence.templates': call(noArgs).returns<ChecklistTemplate[]>(),
  'evidence.saveTemplate': call(saveTemplateRequest).returns<ChecklistTemplate>(),
  'evidence.removeTemplate': call(templateIdRequest).returns<ChecklistTemplate[]>(),
  'evidence.startChecklist': call(startChecklistRequest).returns<EvidenceView>(),
  'evidence.list': call(listArtifactsRequest).returns<EvidenceView>(),
  'evidence.add': call(addArtifactRequest).returns<Artifact>(),
  'evidence.startCollecting': call(startCollectingRequest).returns<Artifact>(),
  'evidence.hashFile': call(hashFileRequest).returns<HashJob>(),
  'evidence.hashJob': call(hashJobRequest).returns<HashJob>(),
  'evidence.cancelHash': call(hashJobRequest).returns<HashJob>(),
  'evidence.recordCollection': call(recordCollectionRequest).returns<Artifact>(),
  'evidence.waive': call(waiveArtifactRequest).returns<Artifact>(),
  'evidence.fail': call(failArtifactRequest).returns<Artifact>(),
  'evidence.addCustody': call(addCustodyRequest).returns<CustodyEvent>(),
  'evidence.custody': call(artifactIdRequest).returns<CustodyEvent[]>(),
  'evidence.export': call(exportEvidenceRequest).returns<ExportedFile>(),
  'evidence.importBundle': call(importBundleRequest).returns<BundleImportReport>(),
  'comms.templates': call(noArgs).returns<UpdateTemplateView[]>(),
  'comms.saveTemplate': call(saveUpdateTemplateRequest).returns<UpdateTemplateView>(),
  'comms.removeTemplate': call(updateTemplateIdRequest).returns<UpdateTemplateView[]>(),
  'comms.settings': call(noArgs).returns<CommsSettings>(),
  'comms.saveSettings': call(saveCommsSettingsRequest).returns<CommsSettings>(),
  'comms.channels': call(noArgs).returns<ChannelView[]>(),
  'comms.saveChannel': call(saveChannelRequest).returns<ChannelView>(),
  'comms.removeChannel': call(channelIdRequest).returns<ChannelView[]>(),
  /** Keeps a channel's secret on this laptop too (never synced), so it can deliver from here. */
  'comms.setChannelSecret': call(setChannelSecretRequest).returns<ChannelView>(),
  /** Removes a channel's secret from this laptop; other laptops holding it keep delivering. */
  'comms.forgetChannelSecret': call(channelIdRequest).returns<ChannelView>(),
  'comms.room': call(commsRoomRequest).returns<CommsRoom>(),
  'comms.start': call(startUpdateRequest).returns<UpdateDraft>(),
  'comms.save': call(saveUpdateRequest).returns<UpdateDraft>(),
  'comms.discard': call(updateRefRequest).returns<UpdateDraft>(),
  'comms.requestApproval': call(requestApprovalRequest).returns<UpdateDraft>(),
  'comms.decide': call(decideUpdateRequest).returns<UpdateDraft>(),
  'comms.publish': call(publishUpdateRequest).returns<PublishedUpdate>(),
  'comms.retry': call(retryDeliveryRequest).returns<PublishedUpdate>(),
  'incidents.setLegalHold': call(legalHoldRequest).returns<Incident>(),
  'reviews.list': call(noArgs).returns<ReviewSummary[]>(),
  /** `review` is null until someone generates the draft. */
  'reviews.get': call(reviewRequest).returns<{ review: Review | null }>(),
  'reviews.generate': call(reviewRequest).returns<Review>(),
  'reviews.save': call(saveReviewRequest).returns<Review>(),
  /** What a person could have known at a moment, every decision checked, split war rooms (docs/knowledge.md). */
  'reviews.knowledge': call(knowledgeRequest).returns<KnowledgeView>(),
  'actions.list': call(listActionsRequest).returns<ActionItem[]>(),
  'actions.add': call(addActionRequest).returns<ActionItem>(),
  'actions.update': call(updateActionRequest).returns<ActionItem>(),
  'metrics.report': call(metricsRequest).returns<MetricsReport>(),
  'reports.render': call(reportRequest).returns<ExportedFile>(),
  'retention.get': call(noArgs).returns<RetentionView>(),
  'retention.set': call(retentionSettingRequest).returns<RetentionView>(),
  'retention.purge': call(purgeRequest).returns<RetentionView>(),
  'sync.status': call(noArgs).returns<SyncStatus>(),
  'sync.connect': call(connectRequest).returns<SyncStatus>(),
  'sync.join': call(joinHubRequest).returns<SyncStatus>(),
  'sync.disconnect': call(peerRequest).returns<SyncStatus>(),
  'sync.now': call(noArgs).returns<SyncStatus>(),
  /** Which incidents this laptop holds (docs/replica-scope.md) and what its last eviction did. */
  'sync.scope': call(noArgs).returns<ReplicaScopeView>(),
  /** Sets the scope; the next pass with the service pulls what came into it and evicts what left. */
  'sync.setScope': call(scopeSettings).returns<ReplicaScopeView>(),
  'hub.start': call(startHubRequest).returns<HubStatus>(),
  'hub.stop': call(noArgs).returns<HubStatus>(),
  'hub.status': call(noArgs).returns<HubStatus>(),
  /** Replaces the war room's join code: links and codes given out before stop working. */
  'hub.rotateCode': call(noArgs).returns<HubStatus>(),
  'trust.status': call(noArgs).returns<TrustStatus>(),
  /** Pins the organisation's public key (checked against `fingerprint` when given); answers with the new status. */
  'trust.pin': call(pinOrgKeyRequest).returns<TrustStatus>(),
  ...integrationCalls,
  ...outageCalls,
};

/** Events the engine pushes to every connected UI. */
export interface Events {
  'incidents.changed': { incidentId: string };
  'timeline.changed': { incidentId: string };
  /** A shared stream (org settings, directory, library) changed. */
  'stream.changed': { streamId: string };
  'sync.status': SyncStatus;
  /** An audience's next update turned due soon or overdue (once per level per due time). */
  'comms.due': UpdateDue;
  /** A hashing job moved on (sent at most a few times a second) or ended. */
  'evidence.hashProgress': HashJob;
  /** Outage mode began or ended, or a health check changed. */
  'outage.changed': OutageStatus;
}

export type CallName = keyof typeof calls;
export type EventName = keyof Events;
export type Request<K extends CallName> = z.input<(typeof calls)[K]['request']>;
export type ParsedRequest<K extends CallName> = z.output<(typeof calls)[K]['request']>;
export type Response<K extends CallName> = NonNullable<(typeof calls)[K]['response']>;

export const callNames = Object.keys(calls) as CallName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

/** What the engine implements: one handler per call, given an already validated request. */
export type Handlers = {
  [K in CallName]: (request: ParsedRequest<K>) => Response<K> | Promise<Response<K>>;
};

/** Listener for engine events, as the engine and its hosts see them. */
export type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

/** IPC channel names, shared by preload and main. */
export const ipcChannels = {
  call: (name: CallName) => `holdfast:call:${name}`,
  event: 'holdfast:event',
  /** Desktop shell only, not an engine call: prints a custody form or an incident report to a PDF and saves it where the user says. */
  printPdf: 'holdfast:print-pdf',
} as const;

/**
 * What `printPdf` prints: an artifact's custody form (`artifactId`), or a report of the incident
 * (`report`: the incident report or the audit evidence report), one of the two. Main makes the HTML
 * from the engine itself (`evidence.export` format custody-html, or `reports.render` format html),
 * so the renderer never hands main HTML to render.
 */
export type PrintPdfRequest =
  { incidentId: string; artifactId: string; report?: undefined } | { incidentId: string; report: { kind: import('./domain/review').ReportKind }; artifactId?: undefined };

/** Where the PDF was written, or `path: null` when the user cancelled the save dialog. */
export interface PrintPdfSaved {
  path: string | null;
}

/** What the desktop preload offers beyond the transport (`holdfast web` has none of it). */
export interface DesktopApi {
  printPdf(request: PrintPdfRequest): Promise<import('./errors').Result<PrintPdfSaved>>;
}

/** Largest request body any transport accepts: room for a directory CSV import (2 MB of text, JSON-escaped). */
export const maxRequestBytes = 4 * 1024 * 1024;

/**
 * The object the desktop preload exposes as `window.holdfast` (and the shape every transport
 * offers): one function per call returning a result envelope, and `on` for events.
 */
export type TransportApi = {
  [K in CallName]: (request: Request<K>) => Promise<import('./errors').Result<Response<K>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
};

/** Builds the per-call functions of a transport from one generic invoker (preload, web bridge). */
export function transportCalls(invoke: (name: CallName, request: unknown) => Promise<import('./errors').Result<unknown>>): Omit<TransportApi, 'on'> {
  const entries = callNames.map((name) => [name, (request: unknown) => invoke(name, request)] as const);
  // Object.fromEntries cannot carry the per-key types; the entries are built from callNames above.
  return Object.fromEntries(entries) as unknown as Omit<TransportApi, 'on'>;
}
