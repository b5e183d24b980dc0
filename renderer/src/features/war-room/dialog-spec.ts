// The shape of an action dialog: a title, a few fields and what submitting does. Every war-room
// action that needs input (a reason, a person, a time) is one of these, so buttons and the command
// palette open the same dialogs.
export type FieldValue = string | boolean;

export interface FieldSpec {
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'select' | 'datetime' | 'checkbox' | 'person';
  options?: { value: string; label: string }[];
  initial?: FieldValue;
  placeholder?: string;
  hint?: string;
}

export interface DialogSpec {
  title: string;
  /** One line on what happens, e.g. a role's duty card. */
  description?: string;
  /** Lines listed under the description (what is still open when closing). */
  items?: string[];
  fields: FieldSpec[];
  submitLabel: string;
  isDanger?: boolean;
  /** Throws the engine's error to show it in the dialog; resolves to close it. */
  submit: (values: Record<string, FieldValue>) => Promise<unknown>;
}
