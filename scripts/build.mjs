// Bundles the extension with esbuild into dist/ (or `outdir`): extension.js is what VS Code loads
// on activation (src/, zod, undici); the modules in ON_DEMAND get files of their own; the forms'
// page is webview/forms.js and webview/forms.css; cli.js is the `stcrm` command (plain Node).
// `node scripts/build.mjs [--watch] [--production] [--outdir DIR] [--metafile FILE]`; --production
// minifies and writes no source maps (what `npm run package` ships); --metafile saves esbuild's
// account of which input ended up where (for `npm run bench`).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Modules that get a file of their own in dist/ and are required only when they are needed, so
 * their code is not loaded (nor counted) with the extension on activation:
 * - the local CRM sandbox: src/profiles/sandboxHost.ts imports it when someone starts it;
 * - undici's non-SIMD HTTP parser (72 KB of base64 wasm): undici requires it only where
 *   WebAssembly SIMD is missing, which no Node that VS Code 1.100 ships lacks;
 * - jsonc-parser with the JSON path lookup, needed from the first diagnostic on.
 * - the cURL importer (a shell tokenizer and the operation matcher), needed by Import cURL only.
 * Each is self-contained (no classes or module state shared with extension.js), so what it
 * bundles again of the rest (pure functions) is harmless.
 */
const ON_DEMAND = {
  sandbox: 'sandbox/index.ts',
  'llhttp-wasm': 'node_modules/undici/lib/llhttp/llhttp-wasm.js',
  'json-location': 'src/diagnostics/jsonLocation.ts',
  'curl-import': 'src/requests/curlImport.ts',
};

const onDemand = {
  name: 'on-demand',
  setup(build) {
    // Real paths on both sides: with node_modules behind a symlink (a git worktree sharing one),
    // esbuild resolves into the link's target.
    const chunks = new Map(Object.entries(ON_DEMAND).map(([name, file]) => [realPath(path.join(ROOT, file)), name]));
    build.onResolve({ filter: /sandbox(\/index\.js)?$|llhttp-wasm\.js$|jsonLocation\.js$|curlImport\.js$/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const base = path.resolve(args.resolveDir, args.path);
      for (const candidate of [base, base.replace(/\.js$/, '.ts'), path.join(base, 'index.ts')]) {
        const name = chunks.get(realPath(candidate));
        if (name) return { path: `./${name}.js`, external: true };
      }
      return undefined;
    });
  },
};

/** The path with symlinks resolved, or as it is when nothing is there. */
function realPath(file) {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** esbuild options for the extension's bundles: the extension host's, the webview's, the CLI's. */
export function buildOptions({ production = false, outdir = path.join(ROOT, 'dist'), metafile = false } = {}) {
  return [extensionOptions({ production, outdir, metafile }), webviewOptions({ production, outdir, metafile }), cliOptions({ production, outdir, metafile })];
}

/**
 * `stcrm` (package.json `bin`): the suite engine, the client and the sandbox in one file for plain
 * Node, with no vscode anywhere (lint keeps it out of src/cli and src/suites; the bundle would
 * fail to load without it). The sandbox is loaded when a fresh sandbox or `stcrm sandbox` needs it.
 */
function cliOptions({ production, outdir, metafile }) {
  return {
    absWorkingDir: ROOT,
    entryPoints: { cli: 'src/cli/main.ts' },
    bundle: true,
    // The sandbox (for --sandbox and `stcrm sandbox`) is dist/sandbox.js, which the extension's
    // build writes: loaded only when used.
    plugins: [onDemand],
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outdir,
    mainFields: ['module', 'main'],
    supported: { 'dynamic-import': false },
    sourcemap: !production,
    minify: production,
    metafile,
    logLevel: 'warning',
  };
}

function extensionOptions({ production, outdir, metafile }) {
  return {
    absWorkingDir: ROOT,
    entryPoints: { extension: 'src/extension.ts', ...ON_DEMAND },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outdir,
    external: ['vscode'],
    // ESM builds where a package has one: jsonc-parser's UMD build breaks when bundled
    // ("Cannot find module './impl/format'"), and ESM tree-shakes better anyway.
    mainFields: ['module', 'main'],
    plugins: [onDemand],
    // `import()` becomes `require()`: the extension host loads CommonJS.
    supported: { 'dynamic-import': false },
    sourcemap: !production,
    minify: production,
    metafile,
    logLevel: 'warning',
  };
}

/**
 * The forms' page (src/forms/page, browser code) as one script plus its stylesheet in
 * dist/webview/, the only folder a webview may load from.
 */
function webviewOptions({ production, outdir, metafile }) {
  return {
    absWorkingDir: ROOT,
    entryPoints: { 'webview/forms': 'src/forms/page/main.ts' },
    tsconfig: 'src/forms/page/tsconfig.json',
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outdir,
    sourcemap: !production,
    minify: production,
    metafile,
    logLevel: 'warning',
  };
}

/** Builds every bundle; with `metafile`, one metafile covering all of them. */
export async function build(options) {
  const results = await Promise.all(buildOptions(options).map((entry) => esbuild.build(entry)));
  if (!options?.metafile) return results[0];
  return {
    metafile: {
      inputs: Object.assign({}, ...results.map((result) => result.metafile.inputs)),
      outputs: Object.assign({}, ...results.map((result) => result.metafile.outputs)),
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (flag) => (args.includes(flag) ? path.resolve(args[args.indexOf(flag) + 1]) : undefined);
  const metafile = value('--metafile');
  const options = { production: args.includes('--production'), outdir: value('--outdir'), metafile: metafile !== undefined };
  if (args.includes('--watch')) {
    for (const entry of buildOptions(options)) await (await esbuild.context({ ...entry, logLevel: 'info' })).watch();
  } else {
    const result = await build(options);
    if (metafile) fs.writeFileSync(metafile, JSON.stringify(result.metafile));
  }
}
