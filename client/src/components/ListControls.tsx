// Finding a row in a long admin list: the search box above it (the voter roll, the accounts) and
// the pages under it (the accounts page on the server; the roll pages the rows it loaded).
interface SearchFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
}

export function SearchField({ id, label, value, onChange }: SearchFieldProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="search" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

interface PagerProps {
  /** Index of the first row shown. */
  offset: number;
  pageSize: number;
  total: number;
  /** The list's own words: `paging` names the group for a screen reader, `range` says "21-40 of 75". */
  texts: {
    paging: string;
    range: (first: number, last: number, total: number) => string;
    prev: string;
    next: string;
  };
  onOffset: (offset: number) => void;
  testId?: string;
}

/** Previous and next around the rows shown; nothing while the list is empty. */
export function Pager({ offset, pageSize, total, texts, onOffset, testId }: PagerProps) {
  if (total <= 0) return null;
  return (
    <div className="pager" role="group" aria-label={texts.paging}>
      <button
        type="button"
        className="btn btn-secondary btn-sm"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - pageSize))}
      >
        {texts.prev}
      </button>
      <span className="muted" data-testid={testId}>
        {texts.range(offset + 1, Math.min(offset + pageSize, total), total)}
      </span>
      <button
        type="button"
        className="btn btn-secondary btn-sm"
        disabled={offset + pageSize >= total}
        onClick={() => onOffset(offset + pageSize)}
      >
        {texts.next}
      </button>
    </div>
  );
}
