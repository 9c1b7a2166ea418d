// One form field: its label, the control, an optional hint and an error, wired for screen
// readers (the control is described by the hint and the error, and marked invalid with an error).
import type { ReactNode } from 'react';

/** What the control needs from its field: its id and how it is described. */
export interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

interface FormFieldProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | null;
  /** Announce the error as it appears, where no summary above the form does it. */
  alertOnError?: boolean;
  children: (control: ControlProps) => ReactNode;
}

export function FormField({ id, label, hint, error, alertOnError, children }: FormFieldProps) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': described.length > 0 ? described.join(' ') : undefined,
      })}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <FieldError id={id} message={error} alert={alertOnError} />
    </div>
  );
}

/** The error of field `id`, also used alone for an error that belongs to a whole list. */
export function FieldError({
  id,
  message,
  alert,
}: {
  id: string;
  message: string | null | undefined;
  alert?: boolean;
}) {
  if (!message) return null;
  return (
    <p
      id={`${id}-error`}
      className="field-error"
      data-testid="field-error"
      role={alert ? 'alert' : undefined}
    >
      {message}
    </p>
  );
}

/** An error about the whole form rather than one field (a refused sign-in), announced at once. */
export function FormError({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" role="alert">
      {message}
    </p>
  );
}
