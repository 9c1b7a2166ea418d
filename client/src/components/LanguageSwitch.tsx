// The language switch shown on every page: the choice applies at once and is remembered.
import { useId } from 'react';
import { languageNames, languages, setLanguage, t, useLanguage, type Language } from '../i18n';

export function LanguageSwitch({ className }: { className?: string }) {
  const id = useId();
  const current = useLanguage();
  return (
    <div className={`lang-switch ${className ?? ''}`}>
      <label htmlFor={id} className="visually-hidden">
        {t.language.label}
      </label>
      <select
        id={id}
        data-testid="language-switch"
        value={current}
        onChange={(e) => setLanguage(e.target.value as Language)}
      >
        {languages.map((l) => (
          <option key={l} value={l} lang={l}>
            {languageNames[l]}
          </option>
        ))}
      </select>
    </div>
  );
}
