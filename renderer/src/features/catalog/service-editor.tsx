// The service editor: name, tier (with what each tier means), owner team from the directory,
// recovery objectives as typed ("15", "4h"), description, and pickers for what it depends on (a
// service that already depends on it cannot be picked: that would be a cycle), its runbooks and its
// evidence checklists. Saving sends the form to the engine; what it refuses is shown as it says it.
import { blastRadius, parseMinutes, serviceTiers, tierInfo, formatMinutes, type ServiceView } from '@shared/domain/catalog';
import { useEngineQuery } from '../../data/use-engine-query';
import { client } from '../../store/client-ref';
import { LibraryEditor, NameField } from '../library-shared/library-editor';
import { useEditorSave } from '../shell/editor-save';
import { useServicesView } from './catalog-view-store';
import { IdPicker } from './id-picker';
import { isChanged, saveRequest, type ServiceDraft } from './service-draft';
import { TierBadge } from './tier-badge';

interface ServiceEditorProps {
  services: ServiceView[];
  takenIds: ReadonlySet<string>;
  onCancel: () => void;
  onSaved: (service: ServiceView) => void;
}

function ObjectiveField({ label, hint, testId, value, onChange }: { label: string; hint: string; testId: string; value: string; onChange: (value: string) => void }) {
  const parsed = parseMinutes(value);
  return (
    <label className="field service-objective-field">
      <span title={hint}>{label}</span>
      <input
        type="text"
        data-testid={testId}
        placeholder="e.g. 15, 30m, 4h, 1d"
        autoComplete="off"
        maxLength={40}
        value={value}
        aria-invalid={'problem' in parsed ? true : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      <small className={'problem' in parsed ? 'lib-field-problem' : 'muted small'}>
        {'problem' in parsed ? parsed.problem : value.trim() === '' ? `${hint}; not set` : `= ${formatMinutes(parsed.minutes)}`}
      </small>
    </label>
  );
}

export function ServiceEditor({ services, takenIds, onCancel, onSaved }: ServiceEditorProps) {
  const draft = useServicesView((s) => s.draft);
  const initial = useServicesView((s) => s.initialDraft);
  const { updateDraft } = useServicesView.getState();
  const directory = useEngineQuery('directory.list', {});
  const runbooks = useEngineQuery('runbooks.list', { includeArchived: false });
  const checklists = useEngineQuery('evidence.templates', {});
  const editor = useEditorSave({
    isDirty: draft !== null && initial !== null && isChanged(draft, initial),
    canSave: draft !== null,
    request: async () => client().call('catalog.save', saveRequest(draft as ServiceDraft, takenIds)),
    onSaved,
    onCancel,
  });
  if (!draft) return null;

  const set = <K extends keyof ServiceDraft>(field: K, value: ServiceDraft[K]) => updateDraft((d) => ({ ...d, [field]: value }));
  const teams = directory.value?.teams ?? [];
  const people = directory.value?.people ?? [];
  const members = people.filter((p) => p.teamId === draft.ownerTeamId).length;
  // What already depends on this service cannot become its dependency: that would be a cycle.
  const dependents = new Set(draft.serviceId ? blastRadius(services, draft.serviceId).map((e) => e.id) : []);
  const nameProblem = editor.save.error?.match(/(?:^|: )name: ([^;]+)/)?.[1] ?? (editor.save.error?.includes('already named') ? editor.save.error : undefined);

  return (
    <LibraryEditor kind="service" heading={draft.heading} replacesId={draft.serviceId} editor={editor} bodyClassName="service-editor-body">
      <div className="service-editor-grid">
        <div className="service-editor-main">
          <NameField
            kind="service"
            className="service-name-field"
            placeholder="Checkout API"
            isNew={draft.serviceId === null}
            problem={nameProblem}
            value={draft.name}
            onChange={(name) => set('name', name)}
          />
          <fieldset className="field">
            <legend>Tier</legend>
            <div className="tier-picker" role="radiogroup" aria-label="Tier">
              {serviceTiers.map((tier) => (
                <label key={tier} className={`tier-option tier-${tier}`} title={tierInfo[tier].meaning}>
                  <input type="radio" name="service-tier" data-testid={`service-tier-${tier}`} checked={draft.tier === tier} onChange={() => set('tier', tier)} />
                  <span className="tier-option-name">{tierInfo[tier].label}</span>
                </label>
              ))}
            </div>
            <small className="muted small" data-testid="service-tier-help">
              {tierInfo[draft.tier].meaning}
            </small>
          </fieldset>
          <div className="field-row service-editor-row">
            <label className="field">
              <span>Owner team</span>
              <select data-testid="service-owner" value={draft.ownerTeamId} onChange={(e) => set('ownerTeamId', e.target.value)}>
                <option value="">(no owner)</option>
                {teams.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
                {draft.ownerTeamId !== '' && !teams.some((t) => t.id === draft.ownerTeamId) && (
                  <option value={draft.ownerTeamId}>{draft.ownerTeamId} (not in the directory)</option>
                )}
              </select>
              <small className="muted small">
                {teams.length === 0
                  ? 'The directory has no teams yet: add them under Directory.'
                  : draft.ownerTeamId === ''
                    ? 'Whom the war room calls when it breaks.'
                    : `${members} ${members === 1 ? 'person' : 'people'} to call, from the directory.`}
              </small>
            </label>
            <ObjectiveField label="RTO" hint="How long it may be down" testId="service-rto-input" value={draft.rto} onChange={(value) => set('rto', value)} />
            <ObjectiveField label="RPO" hint="How much recent data may be lost" testId="service-rpo-input" value={draft.rpo} onChange={(value) => set('rpo', value)} />
          </div>
          <label className="field">
            <span>Description</span>
            <textarea
              data-testid="service-description-input"
              rows={3}
              maxLength={2000}
              placeholder="What it does, for whom, where it runs"
              value={draft.description}
              onChange={(e) => set('description', e.target.value)}
            />
          </label>
        </div>
        <div className="service-editor-pickers">
          <IdPicker
            testId="deps"
            legend="Depends on"
            empty="No other services in the catalog yet."
            chosen={draft.dependsOn}
            onChange={(ids) => set('dependsOn', ids)}
            options={services
              .filter((s) => s.id !== draft.serviceId)
              .map((s) => ({
                id: s.id,
                label: s.name,
                badge: <TierBadge tier={s.tier} />,
                disabledReason: dependents.has(s.id) ? `${s.name} depends on this service already: depending on it would make a cycle` : undefined,
              }))}
          />
          <IdPicker
            testId="runbooks"
            legend="Runbooks"
            empty="No runbooks in the library yet."
            chosen={draft.runbookIds}
            onChange={(ids) => set('runbookIds', ids)}
            options={(runbooks.value ?? []).map((r) => ({ id: r.id, label: r.title }))}
          />
          <IdPicker
            testId="checklists"
            legend="Evidence checklists"
            empty="No evidence checklists in the library yet."
            chosen={draft.checklistIds}
            onChange={(ids) => set('checklistIds', ids)}
            options={(checklists.value ?? []).map((c) => ({ id: c.id, label: c.name }))}
          />
        </div>
      </div>
    </LibraryEditor>
  );
}
