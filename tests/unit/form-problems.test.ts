// The schema's refusals as a form shows them: every message with its request path, including a field
// that is itself named `type` (as an incident's type is), and nothing from an error's own parts.
import { describe, expect, it } from 'vitest';
import type { FieldErrors } from 'react-hook-form';
import { formProblems, problemsLine } from '../../renderer/src/lib/form-problems';

describe('formProblems', () => {
  it('lists each message at its dotted path, a field named type included, and skips root and error parts', () => {
    const errors = {
      title: { type: 'too_small', message: 'must have at least 3 characters', ref: { name: 'title', type: 'text' } },
      type: { type: 'invalid_value', message: 'must be one of outage, degradation, security' },
      collector: { name: { type: 'too_small', message: 'name who collected it' } },
      hostIds: [undefined, { type: 'too_small', message: 'must not be empty' }],
      root: { type: 'server', message: 'not a field' },
    } as unknown as FieldErrors;
    expect(formProblems(errors)).toEqual([
      { path: 'title', message: 'must have at least 3 characters' },
      { path: 'type', message: 'must be one of outage, degradation, security' },
      { path: 'collector.name', message: 'name who collected it' },
      { path: 'hostIds.1', message: 'must not be empty' },
    ]);
  });

  it('names each problem by its field label, or by the path the engine uses', () => {
    const problems = [
      { path: 'collector.name', message: 'name who collected it' },
      { path: 'config.url', message: 'is not a web address' },
    ];
    expect(problemsLine(problems, { collector: 'Collected by' })).toBe('Collected by: name who collected it; config.url: is not a web address');
    expect(problemsLine([])).toBeNull();
  });
});
