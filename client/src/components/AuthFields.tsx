// The pieces the sign-in form and the password change share: a password field and the submit
// button that says it is working while the request runs.
import type { ReactNode } from 'react';
import { t } from '../i18n';
import { FormField } from './FormField';

interface PasswordFieldProps {
  id: string;
  label: string;
  hint?: ReactNode;
  value: string;
  onChange: (value: string) => void;
  minLength?: number;
  autoComplete: 'current-password' | 'new-password';
}

export function PasswordField({
  id,
  label,
  hint,
  value,
  onChange,
  minLength,
  autoComplete,
}: PasswordFieldProps) {
  return (
    <FormField id={id} label={label} hint={hint}>
      {(control) => (
        <input
          {...control}
          type="password"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          required
          minLength={minLength}
          autoComplete={autoComplete}
        />
      )}
    </FormField>
  );
}

export function AuthSubmit({ busy, label }: { busy: boolean; label: string }) {
  return (
    <button type="submit" className="btn btn-primary" disabled={busy}>
      {busy ? t.auth.working : label}
    </button>
  );
}
