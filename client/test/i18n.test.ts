// Every language has every string of English, and nothing English lacks; switching language
// switches every string, `<html lang>` and the `Intl` formats, and is remembered.
import {
  formatDateTime,
  languages,
  num,
  setLanguage,
  t,
  translations,
  type Language,
} from '../src/i18n';
import { formatPercent } from '../src/tally';

type Tree = { [key: string]: unknown };

/** Every leaf of a messages object as `path: kind` (string or function). */
function leaves(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    v && typeof v === 'object'
      ? leaves(v as Tree, `${prefix}${k}.`)
      : [`${prefix}${k}: ${typeof v}`],
  );
}

afterEach(() => setLanguage('en'));

describe('translations', () => {
  const english = leaves(translations.en as Tree).sort();

  it.each(languages.filter((l) => l !== 'en'))('%s has exactly the strings of English', (lang) => {
    const theirs = leaves(translations[lang] as Tree).sort();
    const missing = english.filter((k) => !theirs.includes(k));
    const extra = theirs.filter((k) => !english.includes(k));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(languages.filter((l) => l !== 'en'))(
    '%s says its own words, not English ones',
    (lang) => {
      // A string copied from English unchanged is usually one someone forgot to translate; the few
      // that are the same word in both languages are listed here.
      const same = new Set([
        'appName',
        'nav.admin',
        'admin.title',
        'connection.live',
        'connection.offline',
        'status.draft',
        'join.codeLabel',
        'auth.email',
        'auth.password',
        'tally.candidateHeader',
        'board.code',
        'admin.columns.code',
        'admin.board',
        'admin.detail.joinCode',
        'admin.detail.auditCounter',
        'admin.builder.general',
        'admin.detail.exportCsv',
        'admin.detail.exportJson',
      ]);
      const flat = (tree: Tree, prefix = ''): Array<[string, unknown]> =>
        Object.entries(tree).flatMap(([k, v]) =>
          v && typeof v === 'object' ? flat(v as Tree, `${prefix}${k}.`) : [[`${prefix}${k}`, v]],
        );
      const en = new Map(flat(translations.en as Tree));
      const copied = flat(translations[lang] as Tree)
        .filter(([k, v]) => typeof v === 'string' && v === en.get(k) && !same.has(k))
        .map(([k]) => k);
      expect(copied).toEqual([]);
    },
  );
});

describe('setLanguage', () => {
  it('switches every string in place, <html lang> and the remembered choice', () => {
    const ballotWords = t.vote; // a module keeping part of `t`, as `const td = t.admin.detail` does
    setLanguage('fil');
    expect(document.documentElement.lang).toBe('fil');
    expect(window.localStorage.getItem('tb.lang')).toBe('fil');
    expect(t.vote.review).toBe('Suriin ang aking balota');
    expect(ballotWords.review).toBe('Suriin ang aking balota');
    setLanguage('es');
    expect(ballotWords.review).toBe('Revisar mi papeleta');
    setLanguage('en');
    expect(ballotWords.review).toBe('Review my ballot');
    expect(document.documentElement.lang).toBe('en');
  });

  it.each<[Language, string, string]>([
    ['en', '12,345', '12%'],
    ['es', '12.345', '12 %'],
    ['fil', '12,345', '12%'],
  ])('formats numbers and percentages in %s', (lang, n, pct) => {
    setLanguage(lang);
    expect(num(12345)).toBe(n);
    expect(formatPercent(12).replace(/\u00a0/g, ' ')).toBe(pct);
  });

  it('names the time zone of a date, in the chosen language', () => {
    setLanguage('es');
    const when = formatDateTime('2030-01-05T02:00:00Z');
    expect(when).toMatch(/2030/);
    expect(when).toMatch(/tiempo universal coordinado|UTC|GMT/i);
  });
});
