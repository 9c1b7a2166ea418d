// The printable sheet of ballot-code slips: one slip per voter (election, name, code, link, QR),
// laid out in pages for the paper chosen here, whose `@page` rule the print dialog starts from
// (sizes as CSS variables set through the CSSOM, like the rule: the CSP allows no inline style).
// It covers the console on screen; in print only the sheet shows (see `.printing-slips` in CSS).
import { useEffect, useState, type CSSProperties } from 'react';
import { createPortal } from 'react-dom';
import { QRCodeSVG } from 'qrcode.react';
import type { Election } from '@tallyboard/shared';
import { t } from '../../../i18n';
import { pageRule, paginate, slipGrid, type Paper, type Slip } from './slips';

const ts = t.admin.slips;
const PAPER_KEY = 'tb.slipPaper';

function storedPaper(): Paper {
  try {
    return window.localStorage.getItem(PAPER_KEY) === 'letter' ? 'letter' : 'a4';
  } catch {
    return 'a4';
  }
}

interface Props {
  election: Election;
  slips: Slip[];
  onClose: () => void;
}

export function SlipSheet({ election, slips, onClose }: Props) {
  const [paper, setPaper] = useState<Paper>(storedPaper);
  const grid = slipGrid(paper);
  const pages = paginate(slips, grid.perPage);

  useEffect(() => {
    document.body.classList.add('printing-slips');
    return () => document.body.classList.remove('printing-slips');
  }, []);

  // The page's Content-Security-Policy refuses inline <style>: the `@page` rule goes in through
  // the CSSOM, which it does not govern.
  useEffect(() => {
    if (typeof CSSStyleSheet === 'undefined' || !('adoptedStyleSheets' in document)) return;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(pageRule(paper));
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    return () => {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  }, [paper]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  function choose(next: Paper) {
    setPaper(next);
    try {
      window.localStorage.setItem(PAPER_KEY, next);
    } catch {
      /* storage disabled: the choice lasts this sheet */
    }
  }

  return createPortal(
    <div
      className={`slip-sheet paper-${paper}`}
      style={
        {
          '--slip-w': `${grid.slipWidthMm}mm`,
          '--slip-h': `${grid.slipHeightMm}mm`,
        } as CSSProperties
      }
      role="dialog"
      aria-modal="true"
      aria-labelledby="slip-sheet-title"
      data-testid="slip-sheet"
    >
      <div className="slip-toolbar">
        <h2 id="slip-sheet-title">{ts.title}</h2>
        <label htmlFor="slip-paper">{ts.paper}</label>
        <select
          id="slip-paper"
          value={paper}
          onChange={(e) => choose(e.target.value === 'letter' ? 'letter' : 'a4')}
        >
          <option value="a4">{ts.a4}</option>
          <option value="letter">{ts.letter}</option>
        </select>
        <span className="muted">{ts.pageCount(slips.length, pages.length)}</span>
        <button type="button" className="btn btn-primary" onClick={() => window.print()}>
          {ts.print}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onClose}>
          {t.close}
        </button>
        <p className="hint">{ts.hint}</p>
      </div>
      {pages.map((page, pi) => (
        <div className="slip-page" key={pi} data-testid="slip-page">
          {page.map((s) => (
            <article className="slip" key={s.ref} data-testid="slip">
              <div className="slip-text">
                <p className="slip-election">{election.title}</p>
                <p className="slip-name">{s.name}</p>
                <p className="slip-label">{ts.yourCode}</p>
                <p className="slip-code mono" data-testid="slip-code">
                  {s.code}
                </p>
                <p className="slip-link mono" data-testid="slip-link">
                  {s.link}
                </p>
                <p className="slip-note">{ts.once}</p>
              </div>
              <QRCodeSVG value={s.link} size={112} marginSize={1} className="slip-qr" />
            </article>
          ))}
        </div>
      ))}
    </div>,
    document.body,
  );
}
