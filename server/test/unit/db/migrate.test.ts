import { checksum, validateMigrations, type Migration } from '../../../src/db/migrate';
import { migrations } from '../../../src/db/migrations';

const m = (id: string, up = ['SELECT 1']): Migration => ({ id, up });

describe('migration list', () => {
  it('accepts the shipped migrations', () => {
    expect(() => validateMigrations(migrations)).not.toThrow();
  });

  it('rejects duplicates, wrong order, bad ids and empty statements', () => {
    expect(() => validateMigrations([m('001_a'), m('001_a')])).toThrow(/twice/);
    expect(() => validateMigrations([m('002_b'), m('001_a')])).toThrow(/after/);
    expect(() => validateMigrations([m('core')])).toThrow(/NNN_name/);
    expect(() => validateMigrations([m('001_a', [' '])])).toThrow(/empty/);
    expect(() => validateMigrations([m('001_a', [])])).toThrow(/empty/);
  });

  it('fingerprints the statements so an edited applied migration is noticed', () => {
    expect(checksum(m('001_a', ['A']))).toBe(checksum(m('001_a', ['A'])));
    expect(checksum(m('001_a', ['A']))).not.toBe(checksum(m('001_a', ['B'])));
  });
});
