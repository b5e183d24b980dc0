// Adding or editing a conference bridge: dial-in numbers, PIN and meeting link.
import { useState } from 'react';
import { maxDialIns, type Bridge, type Phone } from '@shared/domain/directory';
import { useStore } from '../../store';
import { EditorDialog } from './editor-dialog';
import { filledPhones, PhoneListField } from './phone-list-field';
import { TextField } from './text-field';

export function BridgeDialog({ bridge, onClose }: { bridge: Bridge | null; onClose: () => void }) {
  const saveBridge = useStore((s) => s.saveBridge);
  const removeFromDirectory = useStore((s) => s.removeFromDirectory);
  const [name, setName] = useState(bridge?.name ?? '');
  const [dialIn, setDialIn] = useState<Phone[]>(bridge?.dialIn.length ? bridge.dialIn : [{ label: '', number: '' }]);
  const [pin, setPin] = useState(bridge?.pin ?? '');
  const [meetingUrl, setMeetingUrl] = useState(bridge?.meetingUrl ?? '');
  const [notes, setNotes] = useState(bridge?.notes ?? '');

  const save = async () => {
    await saveBridge({ ...(bridge ? { id: bridge.id } : {}), name, dialIn: filledPhones(dialIn), pin, meetingUrl, notes });
  };

  return (
    <EditorDialog
      title={bridge ? `Edit ${bridge.name}` : 'Add a bridge'}
      testId="bridge-dialog"
      onSave={save}
      onClose={onClose}
      onRemove={bridge ? () => removeFromDirectory('bridge', bridge.id) : undefined}
      removeQuestion={bridge ? `Remove the bridge ${bridge.name} on every replica?` : undefined}
    >
      <TextField label="Name" value={name} onChange={setName} testId="bridge-name" placeholder="Major incident bridge" isAutoFocus />
      <PhoneListField legend="Dial-in numbers" phones={dialIn} max={maxDialIns} labelPlaceholder="US" testId="bridge-dial-in" onChange={setDialIn} />
      <div className="directory-field-grid">
        <TextField label="PIN" value={pin} onChange={setPin} testId="bridge-pin-input" placeholder="482 913#" maxLength={40} />
        <TextField
          label="Meeting link"
          value={meetingUrl}
          onChange={setMeetingUrl}
          testId="bridge-url"
          placeholder="https://meet.example.com/major-incident"
          type="url"
          maxLength={2000}
        />
      </div>
      <TextField
        label="Notes"
        value={notes}
        onChange={setNotes}
        testId="bridge-notes"
        placeholder="Who opens it, fallback when it is full…"
        maxLength={5000}
        isMultiline
      />
    </EditorDialog>
  );
}
