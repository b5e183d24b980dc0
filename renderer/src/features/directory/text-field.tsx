// A labelled text input (or text area) of the directory forms.
import type { HTMLInputTypeAttribute } from 'react';

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  placeholder?: string;
  maxLength?: number;
  type?: HTMLInputTypeAttribute;
  isMultiline?: boolean;
  isAutoFocus?: boolean;
  list?: string;
}

export function TextField({
  label,
  value,
  onChange,
  testId,
  placeholder,
  maxLength = 200,
  type = 'text',
  isMultiline = false,
  isAutoFocus = false,
  list,
}: TextFieldProps) {
  return (
    <label className="field">
      <span>{label}</span>
      {isMultiline ? (
        <textarea rows={3} data-testid={testId} placeholder={placeholder} maxLength={maxLength} value={value} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input
          type={type}
          data-testid={testId}
          placeholder={placeholder}
          maxLength={maxLength}
          autoComplete="off"
          autoFocus={isAutoFocus}
          list={list}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </label>
  );
}
