// The state every directory editor shares: a form checked by its schema (the engine's field rules,
// directory-forms.ts) before anything is sent, the save run with the engine's refusal kept for
// display, and each field's problem in the schema's words.
import { useForm, type FieldValues } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { formProblems, problemsLine } from '../../lib/form-problems';
import { useAction } from '../../lib/use-action';

export function useEditorForm<Form extends FieldValues, Request>(
  schema: z.ZodType<Request, Form>,
  initial: Form,
  save: (request: Request) => Promise<unknown>,
  onClose: () => void,
) {
  const form = useForm<Form, unknown, Request>({ resolver: zodResolver(schema), defaultValues: initial as never, reValidateMode: 'onSubmit' });
  const action = useAction();
  const problems = formProblems(form.formState.errors);

  const submit = form.handleSubmit(async (request) => {
    if (action.isBusy) return;
    if (await action.run(async () => void (await save(request)))) onClose();
  });

  return {
    form,
    action,
    submit,
    /** The first problem at `path` or inside it (`phones.1` also finds `phones.1.number`). */
    problemOf: (path: string) => problems.find((p) => p.path === path || p.path.startsWith(`${path}.`))?.message,
    /** Every problem the schema found, as the engine words a refused request; else the engine's refusal. */
    summary: problemsLine(problems) ?? action.error,
  };
}

export type EditorForm = ReturnType<typeof useEditorForm>;
