// Comms calls: update templates (library), the organisation's cadence, approval and lint settings,
// delivery channels (the comms stream), and each incident's updates from draft through approval to
// published. Each call is registered here; the work lives in the module named beside it.
import type { Handlers, ParsedRequest } from '@shared/contract';
import type { CommsRoom } from '@shared/domain/comms-api';
import { mustGetIncident } from '../incidents/incident-handlers';
import { incidentCadence } from './cadence-watch';
import { channelViews, forgetChannelSecret, removeChannel, saveChannel, setChannelSecret, usableChannels } from './channel-settings';
import type { CommsDeps } from './comms-deps';
import { publishedUpdates } from './comms-queries';
import { commsSettings, saveCommsSettings } from './comms-settings';
import { decideUpdate, requestApproval } from './update-approval';
import { discardUpdate, saveUpdate, startUpdate } from './update-drafts';
import { publishUpdate, retryDelivery } from './update-publishing';
import { removeTemplate, saveTemplate, templateViews } from './update-templates';
import { contextOf, draftView } from './update-views';

// The engine wires the comms calls and the cadence watch from here.
export { createCadenceWatch } from './cadence-watch';
export type { CommsDeps } from './comms-deps';

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
  | 'comms.setChannelSecret'
  | 'comms.forgetChannelSecret'
  | 'comms.room'
  | 'comms.start'
  | 'comms.save'
  | 'comms.discard'
  | 'comms.requestApproval'
  | 'comms.decide'
  | 'comms.publish'
  | 'comms.retry'
>;

export function commsHandlers(deps: CommsDeps): CommsHandlers {
  return {
    'comms.templates': () => templateViews(deps.comms),
    'comms.saveTemplate': (request) => saveTemplate(deps, request),
    'comms.removeTemplate': (request) => removeTemplate(deps, request),

    'comms.settings': () => commsSettings(deps.incidents),
    'comms.saveSettings': (request) => saveCommsSettings(deps, request),

    'comms.channels': () => channelViews(usableChannels(deps.comms), deps.comms, deps.replica.deviceId),
    'comms.saveChannel': (request) => saveChannel(deps, request),
    'comms.removeChannel': (request) => removeChannel(deps, request),
    'comms.setChannelSecret': (request) => setChannelSecret(deps, request),
    'comms.forgetChannelSecret': (request) => forgetChannelSecret(deps, request),

    'comms.room': (request) => commsRoom(deps, request),
    'comms.start': (request) => startUpdate(deps, request),
    'comms.save': (request) => saveUpdate(deps, request),
    'comms.discard': (request) => discardUpdate(deps, request),
    'comms.requestApproval': (request) => requestApproval(deps, request),
    'comms.decide': (request) => decideUpdate(deps, request),
    'comms.publish': (request) => publishUpdate(deps, request),
    'comms.retry': (request) => retryDelivery(deps, request),
  };
}

/** Everything the war room's comms panel shows for one incident, read in one call. */
function commsRoom(deps: CommsDeps, request: ParsedRequest<'comms.room'>): CommsRoom {
  const { incidents, comms, now } = deps;
  const incident = mustGetIncident(incidents, request.incidentId);
  const cadence = incidentCadence(incident, commsSettings(incidents).cadence, comms, now());
  const context = contextOf(deps, incident);
  return {
    incidentId: incident.id,
    cadence,
    drafts: comms
      .updates(incident.id)
      .filter((u) => u.state !== 'published' && u.state !== 'discarded')
      .map((u) => draftView(u, context)),
    published: publishedUpdates(comms, incident),
    channels: channelViews(
      usableChannels(comms).filter((c) => c.isEnabled),
      comms,
      deps.replica.deviceId,
    ),
    outbox: deps.outboxStatus(),
  };
}
