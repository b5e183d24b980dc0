// The organisation's comms settings (cadence, approval rule, named approvers, internal domains),
// kept as one org setting row each so commanders changing different ones at once both keep theirs.
import type { ParsedRequest } from '@shared/contract';
import { cadenceSetting, defaultApprovalSetting, defaultCadence, type ApprovalSetting, type Cadence } from '@shared/domain/comms';
import type { CommsSettings } from '@shared/domain/comms-api';
import { ApiError } from '@shared/errors';
import type { OpDraft } from '@shared/ops';
import type { Replica } from '../core/replica';
import type { IncidentStore } from '../incidents/incident-store';

const settingKeys = {
  cadence: 'comms:cadence',
  approval: 'comms:approval',
  namedApprovers: 'comms:approvers',
  internalDomains: 'comms:internal-domains',
} as const;
const maxSettingChars = 2000;

export function commsSettings(incidents: IncidentStore): CommsSettings {
  return {
    cadence: readJson(incidents.setting(settingKeys.cadence), defaultCadence, isCadence),
    approval: readJson(incidents.setting(settingKeys.approval), defaultApprovalSetting, isApproval),
    namedApprovers: readJson(incidents.setting(settingKeys.namedApprovers), [], isNames),
    internalDomains: readJson(incidents.setting(settingKeys.internalDomains), [], isNames),
  };
}

export function saveCommsSettings(deps: { replica: Replica; incidents: IncidentStore }, request: ParsedRequest<'comms.saveSettings'>): CommsSettings {
  const drafts: OpDraft[] = [];
  const put = (key: string, value: unknown, what: string) => {
    const text = JSON.stringify(value);
    if (text.length > maxSettingChars)
      throw new ApiError('bad_request', `${what} is too long to keep (${text.length} characters, at most ${maxSettingChars}); list fewer.`);
    drafts.push({ entity: 'org_setting', rowId: key, fields: { value: text } });
  };
  if (request.cadence) put(settingKeys.cadence, request.cadence, 'The cadence');
  if (request.approval) put(settingKeys.approval, request.approval, 'The approval setting');
  if (request.namedApprovers) put(settingKeys.namedApprovers, [...new Set(request.namedApprovers)], 'The list of approvers');
  if (request.internalDomains) put(settingKeys.internalDomains, [...new Set(request.internalDomains)], 'The list of internal domains');
  if (drafts.length > 0) deps.replica.commitLocal(drafts);
  return commsSettings(deps.incidents);
}

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
