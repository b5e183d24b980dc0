// A form over something the engine holds: it starts from the engine's value, and follows a new
// value (a save here, or one that arrived by sync) as long as nothing has been typed over it since;
// what was typed is never thrown away by a change elsewhere.
import { useState } from 'react';

export function useSyncedForm<V, F>(value: V, toForm: (value: V) => F, isSame: (a: F, b: F) => boolean) {
  const [form, setForm] = useState<F>(() => toForm(value));
  const [base, setBase] = useState<V>(value);
  if (value !== base) {
    // Adjusting state while rendering, as React recommends for state that follows a prop.
    setBase(value);
    if (isSame(form, toForm(base))) setForm(toForm(value));
  }
  const isDirty = !isSame(form, toForm(value));
  return { form, setForm, isDirty, reset: () => setForm(toForm(value)) };
}

export const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
