// The builder's fields, addressed by their zod path ("positions.0.title") so that an issue from
// the local schema check or from the server's 422 lands next to the field it is about.
import { FieldError, FormField } from '../../../components/FormField';
import type { FieldIssue } from '../../../api';

/** Error message per zod path; `_form` for issues about the whole form. */
export type Errors = Record<string, string>;

export const fieldId = (path: string): string => `f-${path.replace(/\./g, '-')}`;

/** Issues whose messages are already in the product's words (see messages.ts) → errors. */
export function issuesToErrors(issues: FieldIssue[]): Errors {
  const out: Errors = {};
  for (const issue of issues) {
    const key = issue.path.join('.') || '_form';
    out[key] ??= issue.message;
  }
  return out;
}

/** The error of a whole list (no positions, a position without candidates). */
export function ListError({ path, errors }: { path: string; errors: Errors }) {
  return <FieldError id={fieldId(path)} message={errors[path]} />;
}

interface TextFieldProps {
  label: string;
  path: string;
  value: string;
  errors: Errors;
  onChange: (value: string) => void;
  type?: 'text' | 'number' | 'url' | 'datetime-local';
  multiline?: boolean;
  required?: boolean;
  hint?: string;
}

export function TextField({
  label,
  path,
  value,
  errors,
  onChange,
  type = 'text',
  multiline,
  required,
  hint,
}: TextFieldProps) {
  return (
    <FormField id={fieldId(path)} label={label} hint={hint} error={errors[path]}>
      {(control) =>
        multiline ? (
          <textarea
            {...control}
            value={value}
            required={required}
            rows={2}
            onChange={(e) => onChange(e.target.value)}
          />
        ) : (
          <input
            {...control}
            value={value}
            required={required}
            type={type}
            min={type === 'number' ? 1 : undefined}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </FormField>
  );
}

interface SelectFieldProps<T extends string> {
  label: string;
  path: string;
  value: T;
  options: readonly T[];
  optionLabel: (option: T) => string;
  errors: Errors;
  onChange: (value: T) => void;
}

export function SelectField<T extends string>({
  label,
  path,
  value,
  options,
  optionLabel,
  errors,
  onChange,
}: SelectFieldProps<T>) {
  return (
    <FormField id={fieldId(path)} label={label} error={errors[path]}>
      {(control) => (
        <select
          {...control}
          value={value}
          // The options are exactly `options`, so the selected value is one of them.
          onChange={(e) => onChange(e.target.value as T)}
        >
          {options.map((option) => (
            <option key={option} value={option}>
              {optionLabel(option)}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}
