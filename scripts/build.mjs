// Bundles the extension with esbuild into dist/ (or `outdir`): extension.js is what VS Code loads
// on activation (src/, zod, undici); the modules in ON_DEMAND get files of their own.
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
 * - the local CRM sandbox: src/local/sandboxHost.ts imports it when someone starts it;
 * - undici's non-SIMD HTTP parser (72 KB of base64 wasm): undici requires it only where
 *   WebAssembly SIMD is missing, which no Node that VS Code 1.100 ships lacks.
 */
const ON_DEMAND = {
  sandbox: 'sandbox/index.ts',
  'llhttp-wasm': 'node_modules/undici/lib/llhttp/llhttp-wasm.js',
};

const onDemand = {
  name: 'on-demand',
  setup(build) {
    const chunks = new Map(Object.entries(ON_DEMAND).map(([name, file]) => [path.join(ROOT, file), name]));
    build.onResolve({ filter: /sandbox(\/index\.js)?$|llhttp-wasm\.js$/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const base = path.resolve(args.resolveDir, args.path);
      for (const candidate of [base, base.replace(/\.js$/, '.ts'), path.join(base, 'index.ts')]) {
        const name = chunks.get(candidate);
        if (name) return { path: `./${name}.js`, external: true };
      }
      return undefined;
    });
  },
};

/** esbuild options for the extension's bundles. */
export function buildOptions({ production = false, outdir = path.join(ROOT, 'dist'), metafile = false } = {}) {
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

export async function build(options) {
  return esbuild.build(buildOptions(options));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (flag) => (args.includes(flag) ? path.resolve(args[args.indexOf(flag) + 1]) : undefined);
  const metafile = value('--metafile');
  const options = { production: args.includes('--production'), outdir: value('--outdir'), metafile: metafile !== undefined };
  if (args.includes('--watch')) {
    const ctx = await esbuild.context({ ...buildOptions(options), logLevel: 'info' });
    await ctx.watch();
  } else {
    const result = await build(options);
    if (metafile) fs.writeFileSync(metafile, JSON.stringify(result.metafile));
  }
}
