// Adding or editing a team and how to escalate to it, checked with the engine's own field rules
// before it is sent (each problem beside its field).
import type { Team } from '@shared/domain/directory';
import { removeFromDirectory, saveTeam } from './directory-queries';
import { teamForm, teamFormOf } from './directory-forms';
import { EditorDialog } from './editor-dialog';
import { TextField } from './text-field';
import { useEditorForm } from './use-editor-form';

export function TeamDialog({ team, onClose }: { team: Team | null; onClose: () => void }) {
  const editor = useEditorForm(teamForm, teamFormOf(team), (request) => saveTeam({ ...(team ? { id: team.id } : {}), ...request }), onClose);
  const { register } = editor.form;
  const { problemOf } = editor;

  return (
    <EditorDialog
      title={team ? `Edit ${team.name}` : 'Add a team'}
      testId="team-dialog"
      editor={editor}
      onClose={onClose}
      onRemove={team ? () => removeFromDirectory('team', team.id) : undefined}
      removeQuestion={team ? `Remove the team ${team.name}? Its people stay in the directory, without a team.` : undefined}
    >
      <TextField label="Name" field={register('name')} problem={problemOf('name')} testId="team-name" placeholder="Platform SRE" isAutoFocus />
      <div className="directory-field-grid">
        <TextField
          label="Escalation phone"
          field={register('escalationPhone')}
          problem={problemOf('escalationPhone')}
          testId="team-escalation"
          placeholder="+1 415 555 0188"
          type="tel"
          maxLength={40}
        />
        <TextField label="Pager" field={register('pager')} problem={problemOf('pager')} testId="team-pager" placeholder="platform-oncall@pager.example.com" />
      </div>
      <TextField
        label="What the team looks after"
        field={register('description')}
        problem={problemOf('description')}
        testId="team-description"
        maxLength={2000}
        isMultiline
      />
    </EditorDialog>
  );
}
