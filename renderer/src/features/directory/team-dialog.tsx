// Adding or editing a team and how to escalate to it.
import { useState } from 'react';
import type { Team } from '@shared/domain/directory';
import { useStore } from '../../store';
import { EditorDialog } from './editor-dialog';
import { TextField } from './text-field';

export function TeamDialog({ team, onClose }: { team: Team | null; onClose: () => void }) {
  const saveTeam = useStore((s) => s.saveTeam);
  const removeFromDirectory = useStore((s) => s.removeFromDirectory);
  const [name, setName] = useState(team?.name ?? '');
  const [description, setDescription] = useState(team?.description ?? '');
  const [escalationPhone, setEscalationPhone] = useState(team?.escalationPhone ?? '');
  const [pager, setPager] = useState(team?.pager ?? '');

  const save = async () => {
    await saveTeam({ ...(team ? { id: team.id } : {}), name, description, escalationPhone, pager });
  };

  return (
    <EditorDialog
      title={team ? `Edit ${team.name}` : 'Add a team'}
      testId="team-dialog"
      onSave={save}
      onClose={onClose}
      onRemove={team ? () => removeFromDirectory('team', team.id) : undefined}
      removeQuestion={team ? `Remove the team ${team.name}? Its people stay in the directory, without a team.` : undefined}
    >
      <TextField label="Name" value={name} onChange={setName} testId="team-name" placeholder="Platform SRE" isAutoFocus />
      <div className="directory-field-grid">
        <TextField
          label="Escalation phone"
          value={escalationPhone}
          onChange={setEscalationPhone}
          testId="team-escalation"
          placeholder="+1 415 555 0188"
          type="tel"
          maxLength={40}
        />
        <TextField label="Pager" value={pager} onChange={setPager} testId="team-pager" placeholder="platform-oncall@pager.example.com" />
      </div>
      <TextField label="What the team looks after" value={description} onChange={setDescription} testId="team-description" maxLength={2000} isMultiline />
    </EditorDialog>
  );
}
