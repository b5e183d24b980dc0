// The three things the organisation side of stakeholder communications edits, each read again when
// the stream it lives in changes: update templates (library), comms settings (org) and delivery
// channels (comms: only commanders, comms leads and admins receive that stream, secrets and all).
import type { ChannelView, CommsSettings, UpdateTemplateView } from '@shared/domain/comms-api';
import { libraryStream, orgStream } from '@shared/entities';
import { commsStream } from '@shared/roles';
import { useEngineValue } from '../../lib/use-engine-value';
import { client } from '../../store/client-ref';

const libraryStreams = [libraryStream];
const orgStreams = [orgStream];
const commsStreams = [commsStream];

export const useUpdateTemplates = () => useEngineValue<UpdateTemplateView[]>(() => client().call('comms.templates', {}), libraryStreams);
export const useCommsSettings = () => useEngineValue<CommsSettings>(() => client().call('comms.settings', {}), orgStreams);
export const useChannels = () => useEngineValue<ChannelView[]>(() => client().call('comms.channels', {}), commsStreams);
