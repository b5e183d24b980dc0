// Adding or editing a conference bridge: dial-in numbers, PIN and meeting link, checked with the
// engine's own field rules before it is sent (each problem beside its field).
import { maxDialIns, type Bridge, type Phone } from '@shared/domain/directory';
import { removeFromDirectory, saveBridge } from './directory-queries';
import { bridgeForm, bridgeFormOf } from './directory-forms';
import { EditorDialog } from './editor-dialog';
import { PhoneListField } from './phone-list-field';
import { TextField } from './text-field';
import { useEditorForm } from './use-editor-form';

export function BridgeDialog({ bridge, onClose }: { bridge: Bridge | null; onClose: () => void }) {
  const editor = useEditorForm(bridgeForm, bridgeFormOf(bridge), (request) => saveBridge({ ...(bridge ? { id: bridge.id } : {}), ...request }), onClose);
  const { register, watch, setValue, clearErrors } = editor.form;
  const { problemOf } = editor;
  const setDialIn = (dialIn: Phone[]) => {
    clearErrors('dialIn');
    setValue('dialIn', dialIn);
  };

  return (
    <EditorDialog
      title={bridge ? `Edit ${bridge.name}` : 'Add a bridge'}
      testId="bridge-dialog"
      editor={editor}
      onClose={onClose}
      onRemove={bridge ? () => removeFromDirectory('bridge', bridge.id) : undefined}
      removeQuestion={bridge ? `Remove the bridge ${bridge.name} on every replica?` : undefined}
    >
      <TextField label="Name" field={register('name')} problem={problemOf('name')} testId="bridge-name" placeholder="Major incident bridge" isAutoFocus />
      <PhoneListField
        legend="Dial-in numbers"
        phones={watch('dialIn')}
        max={maxDialIns}
        labelPlaceholder="US"
        testId="bridge-dial-in"
        onChange={setDialIn}
        problemOf={(index, part) => problemOf(`dialIn.${index}.${part}`)}
      />
      <div className="directory-field-grid">
        <TextField label="PIN" field={register('pin')} problem={problemOf('pin')} testId="bridge-pin-input" placeholder="482 913#" maxLength={40} />
        <TextField
          label="Meeting link"
          field={register('meetingUrl')}
          problem={problemOf('meetingUrl')}
          testId="bridge-url"
          placeholder="https://meet.example.com/major-incident"
          type="url"
          maxLength={2000}
        />
      </div>
      <TextField
        label="Notes"
        field={register('notes')}
        problem={problemOf('notes')}
        testId="bridge-notes"
        placeholder="Who opens it, fallback when it is full…"
        maxLength={5000}
        isMultiline
      />
    </EditorDialog>
  );
}
