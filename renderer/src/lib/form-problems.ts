// What a form's schema refused, for display: react-hook-form keeps the zod resolver's issues as a
// tree of errors at the request's paths (`collector.name`, `hostIds.0`); a form shows them as
// "Label: message" lines, like the engine's "path: message" when it refuses a request.
import type { FieldErrors, FieldValues } from 'react-hook-form';

export interface FormProblem {
  /** The field's path in the request, e.g. `collector.name` or `config.url`. */
  path: string;
  message: string;
}

/** The parts of an error node that are not fields (a field may itself be named `type`: only an error's own are skipped). */
const errorKeys = new Set(['message', 'type', 'ref', 'types']);

/** Every message in `errors`, with its dotted path, in the order the schema reported them. */
export function formProblems<T extends FieldValues>(errors: FieldErrors<T>): FormProblem[] {
  const problems: FormProblem[] = [];
  const walk = (node: unknown, path: string) => {
    if (typeof node !== 'object' || node === null) return;
    const { message, type } = node as { message?: unknown; type?: unknown };
    const isError = typeof message === 'string' && type !== undefined;
    if (isError && message !== '') problems.push({ path, message });
    for (const [key, child] of Object.entries(node)) {
      if ((isError && errorKeys.has(key)) || (path === '' && key === 'root')) continue;
      walk(child, path ? `${path}.${key}` : key);
    }
  };
  walk(errors, '');
  return problems;
}

/**
 * The problems as one line, each named by the label of its field (`labels[path]` or of its first part,
 * else the path as the engine names it); a label '' shows the message alone. Null when there is none.
 */
export function problemsLine(problems: readonly FormProblem[], labels: Readonly<Record<string, string>> = {}): string | null {
  if (problems.length === 0) return null;
  return problems
    .map(({ path, message }) => {
      const label = labels[path] ?? labels[path.split('.')[0]] ?? path;
      return label === '' ? message : `${label}: ${message}`;
    })
    .join('; ');
}
