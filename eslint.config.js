// The runtime split is enforced here: each folder may only import what exists
// where its code runs (see README, "How the pieces fit").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'http', 'https', 'net', 'url', 'crypto', 'stream', 'events', 'worker_threads', 'util', 'zlib', 'tls', 'dns'];
const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'HTMLElement'];

const forbid = (groups, message) => ({ group: groups, message });

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.cache/**', 'e2e-artifacts/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['shared/**/*.ts'],
    // Tests of shared code run in Node and may use Node helpers; the code they test may not.
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          forbid(nodeBuiltins, 'shared/ is pure TypeScript: no Node built-ins.'),
          forbid(['electron', 'electron/*'], 'shared/ must not import electron.'),
          forbid(['**/main/**', '**/renderer/**', '**/preload/**', 'react', 'react-dom', 'zustand'], 'shared/ imports only shared/.'),
        ],
      }],
      'no-restricted-globals': ['error', ...domGlobals, 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['main/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'e2e/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          forbid(['electron', 'electron/*'], 'Only adapters in main/electron/ may import electron; the reactor, engine, CLI and browser host run under plain Node.'),
          forbid(['**/renderer/**', '**/preload/**'], 'main/ does not import renderer or preload code.'),
        ],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          forbid(nodeBuiltins, 'The renderer runs in a sandboxed page: no Node built-ins.'),
          forbid(['electron', 'electron/*'], 'The renderer reaches the app only through the bridge (window.skein).'),
          forbid(['**/main/**', '**/preload/**'], 'The renderer imports only renderer/ and shared/.'),
        ],
      }],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          forbid(nodeBuiltins, 'The preload runs sandboxed: no Node built-ins.'),
          forbid(['**/main/**', '**/renderer/**'], 'The preload imports only electron and shared/.'),
        ],
      }],
    },
  },
);
