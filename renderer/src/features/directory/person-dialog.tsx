// Adding or editing a person. The engine's own field rules check the form before it is sent (a
// known time zone, dialable numbers, a well-formed e-mail) and name each problem beside its
// field; the engine's refusal (a handle someone else has) is shown as it is.
import { useMemo } from 'react';
import { maxPhones, type Person, type Phone } from '@shared/domain/directory';
import { removeFromDirectory, savePerson, useDirectoryTeams } from './directory-queries';
import { personForm, personFormOf } from './directory-forms';
import { EditorDialog } from './editor-dialog';
import { FieldProblem } from './field-problem';
import { PhoneListField } from './phone-list-field';
import { TextField } from './text-field';
import { useEditorForm } from './use-editor-form';

export function PersonDialog({ person, onClose }: { person: Person | null; onClose: () => void }) {
  const teams = useDirectoryTeams();
  const editor = useEditorForm(personForm, personFormOf(person), (request) => savePerson({ ...(person ? { id: person.id } : {}), ...request }), onClose);
  const { register, watch, setValue, clearErrors } = editor.form;
  const { problemOf } = editor;
  const zones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);
  const setPhones = (phones: Phone[]) => {
    clearErrors('phones');
    setValue('phones', phones);
  };

  return (
    <EditorDialog
      title={person ? `Edit ${person.name}` : 'Add a person'}
      testId="person-dialog"
      editor={editor}
      onClose={onClose}
      onRemove={person ? () => removeFromDirectory('person', person.id) : undefined}
      removeQuestion={person ? `Remove ${person.name} from the directory on every replica?` : undefined}
    >
      <div className="directory-field-grid">
        <TextField label="Name" field={register('name')} problem={problemOf('name')} testId="person-name" placeholder="Amara Okafor" isAutoFocus />
        <TextField label="Job title" field={register('title')} problem={problemOf('title')} testId="person-title" placeholder="SRE lead" />
        <TextField
          label="Holdfast user name (optional)"
          field={register('handle')}
          problem={problemOf('handle')}
          testId="person-handle"
          placeholder="amara"
          maxLength={64}
        />
        <TextField
          label="E-mail"
          field={register('email')}
          problem={problemOf('email')}
          testId="person-email"
          placeholder="amara@example.com"
          type="email"
          maxLength={320}
        />
        <label className="field">
          <span>Team</span>
          <select data-testid="person-team" aria-invalid={problemOf('teamId') ? true : undefined} {...register('teamId')}>
            <option value="">No team</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
          <FieldProblem problem={problemOf('teamId')} testId="person-team" />
        </label>
        <TextField
          label="Time zone"
          field={register('timeZone')}
          problem={problemOf('timeZone')}
          testId="person-time-zone"
          placeholder="Europe/London"
          maxLength={100}
          list="time-zones"
        />
      </div>
      <datalist id="time-zones">
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <PhoneListField
        legend="Phone numbers"
        phones={watch('phones')}
        max={maxPhones}
        labelPlaceholder="mobile"
        testId="person-phones"
        onChange={setPhones}
        problemOf={(index, part) => problemOf(`phones.${index}.${part}`)}
      />
      <TextField
        label="Notes"
        field={register('notes')}
        problem={problemOf('notes')}
        testId="person-notes"
        placeholder="When to call, backup contact…"
        maxLength={5000}
        isMultiline
      />
    </EditorDialog>
  );
}
