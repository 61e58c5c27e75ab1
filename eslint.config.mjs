// The layering of ARCHITECTURE.md, enforced: every arrow points at src/core.
//   src/core    imports neither 'vscode' nor src/server nor src/vscode, and starts no HTTP server;
//   src/server  imports src/core only (never 'vscode' or src/vscode);
//   src/shared  (the webview protocol) imports nothing of ours but itself;
//   webview-ui  talks to the host only through src/shared.
// test/unit/layering.test.ts plants a bad import in each room and sees this config fail.
import tseslint from 'typescript-eslint';

const vscodeApi = { name: 'vscode', message: "Only src/vscode may import 'vscode'." };
const httpServer = ['http', 'node:http', 'https', 'node:https', 'http2', 'node:http2', 'net', 'node:net'].map((name) => ({
  name,
  message: 'src/core starts no server and opens no sockets itself: HTTP goes through undici, servers live in src/server.',
}));
// Relative imports into a room (`../vscode/x`, `../../src/core/y`); the bare module 'vscode' is covered above.
const room = (name) => ({
  regex: `^\\.{1,2}/(.*/)?${name}(/|$)`,
  message: `This layer may not import from src/${name}: see ARCHITECTURE.md.`,
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test/fixtures/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [vscodeApi, ...httpServer], patterns: [room('server'), room('vscode')] }],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeApi], patterns: [room('vscode')] }] },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeApi], patterns: [room('vscode'), room('server'), room('core')] }] },
  },
  {
    files: ['webview-ui/**/*.ts', 'webview-ui/**/*.tsx'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeApi], patterns: [room('vscode'), room('server'), room('core')] }] },
  },
);
