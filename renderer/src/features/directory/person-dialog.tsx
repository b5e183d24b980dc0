// Adding or editing a person. The engine checks every field (a known time zone, dialable numbers,
// a free handle) and its message is shown as it is.
import { useMemo, useState } from 'react';
import { maxPhones, type Person, type Phone } from '@shared/domain/directory';
import { useStore } from '../../store';
import { EditorDialog } from './editor-dialog';
import { filledPhones, PhoneListField } from './phone-list-field';
import { TextField } from './text-field';

export function PersonDialog({ person, onClose }: { person: Person | null; onClose: () => void }) {
  const teams = useStore((s) => s.directory.teams);
  const savePerson = useStore((s) => s.savePerson);
  const removeFromDirectory = useStore((s) => s.removeFromDirectory);
  const [name, setName] = useState(person?.name ?? '');
  const [handle, setHandle] = useState(person?.handle ?? '');
  const [email, setEmail] = useState(person?.email ?? '');
  const [phones, setPhones] = useState<Phone[]>(person?.phones.length ? person.phones : [{ label: 'mobile', number: '' }]);
  const [teamId, setTeamId] = useState(person?.teamId ?? '');
  const [timeZone, setTimeZone] = useState(person?.timeZone ?? '');
  const [title, setTitle] = useState(person?.title ?? '');
  const [notes, setNotes] = useState(person?.notes ?? '');
  const zones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);

  const save = async () => {
    await savePerson({
      ...(person ? { id: person.id } : {}),
      name,
      handle,
      email,
      phones: filledPhones(phones),
      teamId: teamId || null,
      timeZone,
      title,
      notes,
    });
  };

  return (
    <EditorDialog
      title={person ? `Edit ${person.name}` : 'Add a person'}
      testId="person-dialog"
      onSave={save}
      onClose={onClose}
      onRemove={person ? () => removeFromDirectory('person', person.id) : undefined}
      removeQuestion={person ? `Remove ${person.name} from the directory on every replica?` : undefined}
    >
      <div className="directory-field-grid">
        <TextField label="Name" value={name} onChange={setName} testId="person-name" placeholder="Amara Okafor" isAutoFocus />
        <TextField label="Job title" value={title} onChange={setTitle} testId="person-title" placeholder="SRE lead" />
        <TextField label="Holdfast user name (optional)" value={handle} onChange={setHandle} testId="person-handle" placeholder="amara" maxLength={64} />
        <TextField label="E-mail" value={email} onChange={setEmail} testId="person-email" placeholder="amara@example.com" type="email" maxLength={320} />
        <label className="field">
          <span>Team</span>
          <select data-testid="person-team" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
            <option value="">No team</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
        <TextField label="Time zone" value={timeZone} onChange={setTimeZone} testId="person-time-zone" placeholder="Europe/London" maxLength={100} list="time-zones" />
      </div>
      <datalist id="time-zones">
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <PhoneListField legend="Phone numbers" phones={phones} max={maxPhones} labelPlaceholder="mobile" testId="person-phones" onChange={setPhones} />
      <TextField label="Notes" value={notes} onChange={setNotes} testId="person-notes" placeholder="When to call, backup contact…" maxLength={5000} isMultiline />
    </EditorDialog>
  );
}
