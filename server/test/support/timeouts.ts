// Suites against a real stack wait on real processes: give each test minutes, not Jest's 5 s.
// (Jest ignores `testTimeout` inside a project entry, hence this setup file.)
jest.setTimeout(180_000);
