// The three things the organisation side of stakeholder communications edits, each read again when
// the stream it lives in changes (data/invalidation.ts): update templates (library), comms settings
// (org) and delivery channels (comms: only commanders, comms leads and admins receive that stream,
// secrets and all).
import { useEngineQuery } from '../../data/use-engine-query';

export const useUpdateTemplates = () => useEngineQuery('comms.templates', {});
export const useCommsSettings = () => useEngineQuery('comms.settings', {});
export const useChannels = () => useEngineQuery('comms.channels', {});
