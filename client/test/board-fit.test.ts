// The board's fit: columns and paging by the space left, and names that never read alike.
import { boardLayout, fitNames } from '../src/pages/board/fit';

describe('boardLayout', () => {
  const fullHd = { width: 1400, height: 760 };
  const hd = { width: 880, height: 440 };

  it('fills the height with few candidates', () => {
    const l = boardLayout(3, fullHd, 1080);
    expect(l).toMatchObject({ columns: 1, pages: 1, perPage: 3 });
    expect(l.rowHeight * 3).toBeGreaterThanOrEqual(fullHd.height * 0.75);
  });

  it('uses columns before paging, and every row stays inside the space', () => {
    for (const n of [1, 5, 12, 25, 40]) {
      const l = boardLayout(n, fullHd, 1080);
      expect(l.rows * l.rowHeight).toBeLessThanOrEqual(fullHd.height);
      expect(l.rowHeight).toBeGreaterThanOrEqual(1080 * 0.05 - 1);
      expect(l.columns * l.rows).toBeGreaterThanOrEqual(l.perPage);
    }
    expect(boardLayout(40, fullHd, 1080)).toMatchObject({ columns: 3, pages: 1 });
  });

  it('pages through 40 candidates at 720p in pages of equal size', () => {
    const l = boardLayout(40, hd, 720);
    expect(l.pages).toBe(2);
    expect(l.perPage).toBe(20);
    expect(l.rows * l.rowHeight).toBeLessThanOrEqual(hd.height);
  });
});

describe('fitNames', () => {
  const measure = (s: string) => s.length * 10;

  it('keeps names that fit whole', () => {
    expect(fitNames(['Ada', 'Grace'], [100, 100], measure)).toEqual(['Ada', 'Grace']);
  });

  it('never shortens two names to the same text', () => {
    const names = Array.from(
      { length: 25 },
      (_, i) => `Council candidate number ${i + 1} of the science faculty`,
    );
    const shown = fitNames(
      names,
      names.map(() => 220),
      measure,
    );
    expect(new Set(shown).size).toBe(25);
    for (const s of shown) expect(measure(s)).toBeLessThanOrEqual(220);
    expect(shown[11]).toContain('12');
  });

  it('tells apart names that differ only at the end, one being the prefix of the other', () => {
    const names = ['Council candidate number 1', 'Council candidate number 12'];
    const shown = fitNames(names, [200, 200], measure);
    expect(shown[0]).not.toBe(shown[1]);
    for (const s of shown) expect(measure(s)).toBeLessThanOrEqual(200);
  });

  it('shortens 120-character names that differ in the middle', () => {
    const base = 'x'.repeat(50);
    const names = [`${base} Alpha ${'y'.repeat(63)}`, `${base} Bravo ${'y'.repeat(63)}`];
    const shown = fitNames(names, [300, 300], measure);
    expect(shown[0]).not.toBe(shown[1]);
    for (const s of shown) expect(measure(s)).toBeLessThanOrEqual(300);
  });
});
