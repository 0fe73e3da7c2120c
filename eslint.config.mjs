// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

// `import { z } from 'zod'` makes esbuild keep all of zod (every locale, the JSON Schema
// converters): 454 KB instead of about 90 KB. `import * as z from 'zod'` tree-shakes.
const zodNamedImport = {
  selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
  message: "Use `import * as z from 'zod'`: the named `z` import defeats tree-shaking (454 KB instead of ~90 KB).",
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', '.package/**', 'node_modules/**', '.vscode-test/**', '.test-host/**', 'media/**/*.js'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      'no-restricted-imports': 'off',
      'no-restricted-syntax': ['error', zodNamedImport],
    },
  },
  {
    // src/api, the write pipeline, the agent tools and sandbox run in plain Node (tests, the CLI, the MCP server): they must never depend on the VS Code API.
    files: ['src/api/**/*.ts', 'src/writes/**/*.ts', 'src/agent/**/*.ts', 'sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/api, src/writes, src/agent and sandbox must run in plain Node.' }] }],
    },
  },
  {
    // The suite engine and the `stcrm` CLI (dist/cli.js) run in plain Node, outside VS Code.
    files: ['src/suites/**/*.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The suite engine and the CLI run in plain Node, without VS Code.' }] }] },
  },
  {
    // The request-file model is plain TypeScript, tested with node:test; only its commands and views use vscode.
    files: [
      'src/requests/requestFile.ts',
      'src/requests/templates.ts',
      'src/requests/curlImport.ts',
      'src/requests/recordRequests.ts',
      'src/requests/responseText.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The request-file model runs in plain Node.' }] }] },
  },
  {
    // The forms' page runs in the browser, and src/forms/page holds everything it bundles (its
    // script, the protocol, the form model); the record model is plain data: none of them may
    // reach for vscode or Node.
    files: ['src/forms/page/**/*.ts', 'src/model/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Webview code, the form protocol and the record model do not use the VS Code API.' }],
          patterns: [{ group: ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net'], message: 'Browser code: no Node modules.' }],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // CommonJS config files (dependency-cruiser's).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
);
