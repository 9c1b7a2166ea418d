import { normalizeReceipt } from '../../src/ballots/receipts';
import { newReceipt } from '../../src/ids';

describe('normalizeReceipt', () => {
  const stored = 'AB2C-D3EF-GH4J-K5LM';

  it.each([
    ['as shown', stored],
    ['without dashes', 'AB2CD3EFGH4JK5LM'],
    ['in lower case', 'ab2c-d3ef-gh4j-k5lm'],
    ['with spaces instead of dashes', ' ab2c d3ef gh4j k5lm '],
    ['with spaces and mixed case, no dashes', 'Ab2cD3ef Gh4jK5lm'],
  ])('matches a receipt typed %s to the stored form', (_how, typed) => {
    expect(normalizeReceipt(typed)).toBe(stored);
  });

  it('leaves the stored form of a fresh receipt unchanged', () => {
    const receipt = newReceipt();
    expect(normalizeReceipt(receipt)).toBe(receipt);
  });

  it('does not invent a receipt from something of the wrong length', () => {
    expect(normalizeReceipt('ABC-123')).toBe('ABC123');
  });
});
