// Lint config for every workspace: strict TypeScript, no `any` where a type can be written, and
// the server's layer order (docs/architecture.md), so an import never runs back up:
//   foundations ← db ← domain ← live engine ← transports (http, realtime; never each other)
//   ← main.ts and cli/.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.stack/**', 'coverage/**', '.test-stacks/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    files: ['server/src/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.js'] } },
      'boundaries/include': ['server/src/**/*.ts'],
      'boundaries/elements': [
        { type: 'app', mode: 'full', pattern: ['server/src/main.ts', 'server/src/cli/**'] },
        { type: 'http', mode: 'full', pattern: 'server/src/http/**' },
        { type: 'realtime', mode: 'full', pattern: 'server/src/realtime/**' },
        { type: 'live', mode: 'full', pattern: 'server/src/live/**' },
        { type: 'deps', mode: 'full', pattern: 'server/src/deps.ts' },
        {
          type: 'domain',
          mode: 'full',
          pattern: [
            'server/src/{elections,accounts,ballots,tallies,limits,roll}/**',
            'server/src/domain-events.ts',
          ],
        },
        { type: 'db', mode: 'full', pattern: 'server/src/db/**' },
        { type: 'foundations', mode: 'full', pattern: 'server/src/*.ts' },
      ],
    },
    rules: {
      'boundaries/no-unknown-files': 'error',
      'boundaries/element-types': [
        'error',
        {
          default: 'disallow',
          message:
            'a ${file.type} module may not import ${dependency.type} (layers: docs/architecture.md)',
          rules: [
            { from: 'foundations', allow: ['foundations'] },
            { from: 'db', allow: ['foundations', 'db'] },
            { from: 'domain', allow: ['foundations', 'db', 'domain'] },
            // The bag of long-lived objects main.ts builds: types of the layers below the engine.
            { from: 'deps', allow: ['foundations', 'db', 'domain'] },
            { from: 'live', allow: ['foundations', 'db', 'domain', 'deps', 'live'] },
            { from: 'http', allow: ['foundations', 'db', 'domain', 'deps', 'live', 'http'] },
            {
              from: 'realtime',
              allow: ['foundations', 'db', 'domain', 'deps', 'live', 'realtime'],
            },
            {
              from: 'app',
              allow: ['foundations', 'db', 'domain', 'deps', 'live', 'http', 'realtime', 'app'],
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.cjs', '**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
