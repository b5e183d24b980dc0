// A labelled text input (or text area) of the directory forms, with its problem beneath it.
import type { HTMLInputTypeAttribute } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import { FieldProblem } from './field-problem';

interface TextFieldProps {
  label: string;
  /** The form's registration of the field (`register('name')`). */
  field: UseFormRegisterReturn;
  testId: string;
  /** What is wrong with the value, in the schema's words. */
  problem?: string;
  placeholder?: string;
  maxLength?: number;
  type?: HTMLInputTypeAttribute;
  isMultiline?: boolean;
  isAutoFocus?: boolean;
  list?: string;
}

export function TextField({
  label,
  field,
  testId,
  problem,
  placeholder,
  maxLength = 200,
  type = 'text',
  isMultiline = false,
  isAutoFocus = false,
  list,
}: TextFieldProps) {
  const invalid = problem ? true : undefined;
  return (
    <label className="field">
      <span>{label}</span>
      {isMultiline ? (
        <textarea rows={3} data-testid={testId} placeholder={placeholder} maxLength={maxLength} aria-invalid={invalid} {...field} />
      ) : (
        <input
          type={type}
          data-testid={testId}
          placeholder={placeholder}
          maxLength={maxLength}
          autoComplete="off"
          autoFocus={isAutoFocus}
          list={list}
          aria-invalid={invalid}
          {...field}
        />
      )}
      <FieldProblem problem={problem} testId={testId} />
    </label>
  );
}
