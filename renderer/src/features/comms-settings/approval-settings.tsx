// Who approves an update before it goes out: a second person for the audiences chosen here (never
// internal responders: they hear first and fast), from the incident commander, the deputy and the
// named approvers; and the internal domains the lint flags in text for executives and customers.
import { useState } from 'react';
import { audienceLabels } from '@shared/domain/comms';
import type { CommsSettings } from '@shared/domain/comms-api';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';
import { fieldProblems, type FieldProblem } from './field-problems';
import { ListField } from './list-field';
import { SettingsSaveBar } from './settings-save-bar';
import { sameJson, useSyncedForm } from './use-synced-form';

type ApprovalForm = Pick<CommsSettings, 'approval' | 'namedApprovers' | 'internalDomains'>;

const toForm = (settings: CommsSettings): ApprovalForm => ({
  approval: { ...settings.approval },
  namedApprovers: [...settings.namedApprovers],
  internalDomains: [...settings.internalDomains],
});

const problemsOf = (problems: FieldProblem[], root: string) =>
  problems
    .filter((p) => p.path === root || p.path.startsWith(`${root}.`))
    .map((p) => {
      const index = p.path.split('.')[1];
      return { index: index !== undefined && /^\d+$/.test(index) ? Number(index) : null, message: p.message };
    });

interface ApprovalSettingsProps {
  settings: CommsSettings;
  onSaved: (settings: CommsSettings) => void;
}

export function ApprovalSettings({ settings, onSaved }: ApprovalSettingsProps) {
  const { form, setForm, isDirty } = useSyncedForm(settings, toForm, sameJson);
  const save = useAction();
  const [isSaved, setSaved] = useState(false);
  const problems = fieldProblems(save.error, ['approval', 'namedApprovers', 'internalDomains']);
  const change = (next: ApprovalForm) => {
    setSaved(false);
    setForm(next);
  };

  const submit = async () => {
    setSaved(false);
    const answer: { saved?: CommsSettings } = {};
    const ok = await save.run(async () => {
      answer.saved = await client().call('comms.saveSettings', form);
    });
    if (ok && answer.saved) {
      setForm(toForm(answer.saved));
      onSaved(answer.saved);
      setSaved(true);
    }
  };

  return (
    <section className="panel settings-panel cs-panel" data-testid="approval-settings" aria-labelledby="approval-heading">
      <h3 id="approval-heading" className="cs-panel-head">
        Approval and wording checks
      </h3>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
        noValidate
      >
        <fieldset className="cs-approval-audiences">
          <legend className="cs-list-label">A second person approves updates to</legend>
          <p className="muted small cs-list-hint">
            The incident commander, the deputy or a named approver, never the author. Updates to internal responders go out without approval.
          </p>
          <div className="cs-checks">
            {(['executives', 'customers'] as const).map((audience) => (
              <label key={audience} className="field-check">
                <input
                  type="checkbox"
                  data-testid={`approval-${audience}`}
                  checked={form.approval[audience]}
                  onChange={(e) => change({ ...form, approval: { ...form.approval, [audience]: e.target.checked } })}
                />
                {audienceLabels[audience]}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="cs-approval-lists">
          <ListField
            label="Named approvers"
            hint="Holdfast user names who may approve any update, besides the incident commander and deputy."
            items={form.namedApprovers}
            onChange={(namedApprovers) => change({ ...form, namedApprovers })}
            testId="approvers"
            placeholder="user name, e.g. priya"
            problems={problemsOf(problems, 'namedApprovers')}
            emptyText="Nobody named: only the commander and deputy approve."
          />
          <ListField
            label="Internal domains"
            hint="Host names under these domains (and their subdomains) are flagged in updates to customers."
            items={form.internalDomains}
            onChange={(internalDomains) => change({ ...form, internalDomains })}
            testId="domains"
            placeholder="corp.example.net"
            problems={problemsOf(problems, 'internalDomains')}
            emptyText="None yet: only names ending in .internal, .local, .corp or .lan are flagged."
          />
        </div>
        <SettingsSaveBar testIdPrefix="approval" saveLabel="Save approval and checks" error={save.error} isBusy={save.isBusy} isDirty={isDirty} isSaved={isSaved} />
      </form>
    </section>
  );
}
