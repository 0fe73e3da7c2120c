// Bundles the extension with esbuild into dist/ (or `outdir`): extension.js is what VS Code loads
// on activation; the entries of LAZY and LAZY_REQUIRE are files of their own, loaded on first use
// and sharing extension.js's modules; those of STANDALONE are self-contained files that the
// extension and the CLI load when needed; the forms' page is webview/forms.js and
// webview/forms.css; cli.js is the `stcrm` command (plain Node).
// `node scripts/build.mjs [--watch] [--production] [--outdir DIR] [--metafile FILE]`; --production
// minifies and writes no source maps (what `npm run package` ships); --metafile saves esbuild's
// account of which input ended up where (for `npm run bench`).
//
// How the lazy files share the core's modules instead of copying them (so a form's `instanceof
// ProblemError` checks against the very class the core's client throws, and a form publishes to
// the one `RecordChanges` the tree listens to):
// 1. One esbuild build bundles `extension` and every entry of LAZY and LAZY_REQUIRE as ES modules
//    with code splitting (in memory): each module lands in exactly one output, the entry's own or
//    a chunk that every entry using it imports. A LAZY entry is what an `import()` in src/ loads
//    (a facade in the core registers its commands, serializer or providers and imports it on
//    first use); esbuild splits only at `import()`, so a `require()` inside a package function
//    (undici's lazy ones) is pointed at its LAZY_REQUIRE entry by a plugin.
// 2. The core is extension.js with the chunks it imports, transitively: what activation loads.
//    They become one CommonJS file, dist/extension.js, which also exports `__shared`, the
//    namespaces of the core chunks that lazy files import ({ "chunk-….js": namespace }).
// 3. Every other output becomes a CommonJS file of its own: its imports of a core chunk read
//    `require('./extension.js').__shared["chunk-….js"]` (Node's require cache hands back the
//    extension module VS Code loaded), of another lazy output `require('./….js')`, and `import()`
//    becomes a deferred `require()`. Source maps of both steps are chained (outside production).
// Every `import()` in src/ must name a LAZY or STANDALONE entry (the build fails otherwise), so
// each lazy file has a stable name; `chunk-<hash>.js` files of earlier builds are removed from
// `outdir`. What plain Node loads without extension.js (the CLI, and the STANDALONE files it
// shares with the extension) is built apart: in this graph it would need extension.js.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Entries of the extension loaded on first use through an `import()` in src/ (never on activation):
 * - json-location: jsonc-parser with the JSON path lookup, from the first diagnostic on;
 * - curl-import: the cURL importer (a shell tokenizer and the operation matcher), Import cURL only;
 * - forms-host: the forms' host side (sessions, controllers, payload diagnostics), when a form
 *   opens or is restored (src/forms/forms.ts registers the serializer at activation);
 * - request-files: request files' commands, checks, templates, send and responses, when a request
 *   command runs or a `*.stcrm.json` document is open (src/requests/requestFiles.ts);
 * - record-commands: create, edit, delete and archive with their quick inputs and pickers;
 * - profile-commands: add, edit, remove and select profiles with their quick-input steps;
 * - write-engine: the write plans' runner and its lost-answer recovery, with the first write;
 * - agent-tools: the language-model tools' implementation and the mcp.json command, on the first
 *   tool call (src/agentTools/agentTools.ts registers the tools at activation).
 * - suite-testing: test suites in the editor (the Testing view's items and runs, CodeLens,
 *   diagnostics, stcrm.runTests) with the suite engine, when the Testing view asks for items, a run
 *   starts or a suite file is open (src/testing/suiteTesting.ts makes the controller on activation).
 */
export const LAZY = {
  'json-location': 'src/diagnostics/jsonLocation.ts',
  'curl-import': 'src/requests/curlImport.ts',
  'forms-host': 'src/forms/formManager.ts',
  'request-files': 'src/requests/requestCommands.ts',
  'record-commands': 'src/records/recordCommands.ts',
  'profile-commands': 'src/profiles/profileCommands.ts',
  'write-engine': 'src/writes/engine.ts',
  'agent-tools': 'src/agentTools/agentToolsHost.ts',
  'suite-testing': 'src/testing/suiteExplorer.ts',
};

/**
 * Modules of a package that it `require()`s inside a function, bundled as entries of the
 * extension's own: undici's fetch body module (with WebIDL, FormData, Blob: 40 KB), which its
 * HTTP/1 and HTTP/2 clients require only to send a FormData or Blob body; the extension sends strings.
 */
export const LAZY_REQUIRE = {
  'undici-fetch-body': 'node_modules/undici/lib/web/fetch/body.js',
};

/**
 * Self-contained files (no module shared with extension.js) for what plain Node loads too, when
 * it is needed; the extension, the CLI and each other `import()` or `require()` them by name:
 * - sandbox: the local CRM sandbox (src/profiles/sandboxHost.ts when someone starts it, the CLI's
 *   `--sandbox` and `stcrm sandbox`); nothing of it meets the core's objects but its answers;
 * - undici's HTTP parser as WebAssembly (71 KB of base64 each): the SIMD build is compiled at the
 *   first connection (the first tree page needs it a moment after activation), the other only
 *   where WebAssembly SIMD is missing, which no Node that VS Code 1.100 ships lacks.
 */
export const STANDALONE = {
  sandbox: 'sandbox/index.ts',
  'llhttp-simd-wasm': 'node_modules/undici/lib/llhttp/llhttp_simd-wasm.js',
  'llhttp-wasm': 'node_modules/undici/lib/llhttp/llhttp-wasm.js',
};

/** The path with symlinks resolved, or as it is when nothing is there. */
function realPath(file) {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * Points every import and `require()` of a STANDALONE module at its file (`./<name>.js`, left to
 * Node). Matched by real path: with node_modules behind a symlink (a git worktree sharing one),
 * esbuild resolves into the link's target.
 */
const standalone = {
  name: 'standalone',
  setup(build) {
    const names = new Map(Object.entries(STANDALONE).map(([name, file]) => [realPath(path.join(ROOT, file)), name]));
    // What an import of each names: the file (`.js` for `.ts`), or the folder of an index.
    const endings = Object.values(STANDALONE).flatMap((file) => {
      const ending = path.basename(file).replace(/\.ts$/, '.js');
      return ending === 'index.js' ? [`${path.basename(path.dirname(file))}(/index\\.js)?`] : [ending.replace(/[.-]/g, '\\$&')];
    });
    build.onResolve({ filter: new RegExp(`(^|/)(${endings.join('|')})$`) }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const base = path.resolve(args.resolveDir, args.path);
      for (const candidate of [base, base.replace(/\.js$/, '.ts'), path.join(base, 'index.ts')]) {
        const name = names.get(realPath(candidate));
        if (name) return { path: `./${name}.js`, external: true };
      }
      return undefined;
    });
  },
};

/**
 * Points each `require()` of a LAZY_REQUIRE module at its own file: a small module in the
 * requiring bundle that requires `./<name>.js` when the package's function runs. Matched by real
 * path: with node_modules behind a symlink (a git worktree sharing one), esbuild resolves into the
 * link's target.
 */
const lazyRequires = {
  name: 'lazy-require',
  setup(build) {
    const names = new Map(Object.entries(LAZY_REQUIRE).map(([name, file]) => [realPath(path.join(ROOT, file)), name]));
    const basenames = Object.values(LAZY_REQUIRE).map((file) => path.basename(file).replace(/[.-]/g, '\\$&'));
    build.onResolve({ filter: new RegExp(`(^|/)(${basenames.join('|')})$`) }, (args) => {
      if (args.kind !== 'require-call') return undefined;
      const name = names.get(realPath(path.resolve(args.resolveDir, args.path)));
      return name ? { path: name, namespace: 'lazy-require' } : undefined;
    });
    // The entry is an ES module whose default export is the package module's `module.exports`.
    build.onLoad({ filter: /.*/, namespace: 'lazy-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`./${args.path}.js`)}).default;`,
      loader: 'js',
    }));
    build.onResolve({ filter: /.*/, namespace: 'lazy-require' }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * Steps 2 and 3 of the header: the split ES modules become the CommonJS files VS Code loads.
 * Fails the build on an `import()` whose target is no named entry. Leaves the metafile describing
 * the files written (extension.js with the inputs of the chunks merged into it, real sizes).
 */
function commonJsOutput({ production, outdir, root, entries }) {
  return {
    name: 'commonjs-output',
    setup(build) {
      build.onEnd(async (result) => {
        if (result.errors.length > 0 || !result.outputFiles) return;
        const unnamed = unnamedSplitPoints(result.metafile, { entries });
        if (unnamed.length > 0)
          return { errors: [{ text: `import() of a module that is no entry of LAZY or STANDALONE in scripts/build.mjs: ${unnamed.join(', ')}` }] };
        const files = new Map(result.outputFiles.map((file) => [file.path, file.text]));
        const outputs = new Map(Object.entries(result.metafile.outputs).map(([key, output]) => [path.resolve(root, key), output]));
        const extension = path.join(outdir, 'extension.js');
        const core = staticImports(extension, outputs, root);
        // The core's chunks a lazy file imports: extension.js exports their modules' namespaces.
        const shared = [...core].filter(
          (file) =>
            file !== extension &&
            [...outputs].some(([other, output]) => !core.has(other) && output.imports.some((imported) => path.resolve(root, imported.path) === file)),
        );
        const entry = [
          "export * from './extension.js';",
          ...shared.map((file, index) => `import * as shared${index} from './${path.basename(file)}';`),
          `export const __shared = { ${shared.map((file, index) => `${JSON.stringify(path.basename(file))}: shared${index}`).join(', ')} };`,
        ].join('\n');
        const options = { files, outdir, production, shared: new Set(shared) };
        await writeCommonJs({ ...options, file: extension, contents: entry, merged: core });
        for (const file of files.keys()) if (!core.has(file)) await writeCommonJs({ ...options, file, contents: files.get(file), merged: new Set([file]) });
        describeWritten(result.metafile, { outputs, core, extension, root });
        // Chunk names change with their content: drop those of earlier builds (and the core's, now in extension.js).
        const written = new Set([...files.keys()].filter((file) => !core.has(file) || file === extension).map((file) => path.basename(file)));
        for (const name of fs.readdirSync(outdir)) {
          if (/^chunk-\w+\.js(\.map)?$/.test(name) && !written.has(name.replace(/\.map$/, ''))) fs.rmSync(path.join(outdir, name));
        }
      });
    },
  };
}

/** `file` and the output files it imports statically, transitively: what loads with it. */
function staticImports(file, outputs, root, found = new Set()) {
  if (found.has(file)) return found;
  found.add(file);
  for (const imported of outputs.get(file)?.imports ?? []) {
    const target = path.resolve(root, imported.path);
    if (imported.kind === 'import-statement' && outputs.has(target)) staticImports(target, outputs, root, found);
  }
  return found;
}

/**
 * Writes one CommonJS file from the split ES modules: `contents` with the output files of
 * `merged` bundled in; an import of a core chunk outside extension.js reads it from
 * `require('./extension.js').__shared`; any other output file stays a `require()` of its own.
 */
async function writeCommonJs({ file, contents, merged, files, shared, outdir, production }) {
  const outside = file !== path.join(outdir, 'extension.js');
  await esbuild.build({
    // Named apart from the file it may import (extension.js imports the ES module of that name).
    stdin: { contents, resolveDir: outdir, sourcefile: `${path.basename(file, '.js')}.entry.js`, loader: 'js' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile: file,
    // Its input was the same name in memory (the ES module step), never the file on disk.
    allowOverwrite: true,
    external: ['vscode'],
    // `import()` becomes a deferred `require()`: the extension host loads CommonJS.
    supported: { 'dynamic-import': false },
    minify: production,
    sourcemap: production ? false : 'linked',
    logLevel: 'warning',
    plugins: [
      {
        name: 'split-output',
        setup(build) {
          build.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, (args) => {
            const target = path.join(outdir, args.path);
            if (args.namespace === 'shared') return { path: args.path, external: true };
            if (outside && shared.has(target)) return { path: target, namespace: 'shared' };
            if (merged.has(target)) return { path: target };
            return { path: args.path, external: true };
          });
          build.onLoad({ filter: /.*/, namespace: 'file' }, (args) =>
            files.has(args.path) ? { contents: files.get(args.path), loader: 'js', resolveDir: outdir } : undefined,
          );
          build.onLoad({ filter: /.*/, namespace: 'shared' }, (args) => ({
            contents: `module.exports = require('./extension.js').__shared[${JSON.stringify(path.basename(args.path))}];`,
            loader: 'js',
          }));
        },
      },
    ],
  });
}

/** The metafile's outputs as written: extension.js with the inputs of the chunks merged into it, and real sizes. */
function describeWritten(metafile, { outputs, core, extension, root }) {
  for (const [file, output] of outputs) {
    const key = path.relative(root, file).split(path.sep).join('/');
    if (core.has(file) && file !== extension) {
      delete metafile.outputs[key];
      continue;
    }
    const extensionKey = path.relative(root, extension).split(path.sep).join('/');
    if (file === extension) {
      output.inputs = Object.assign({}, ...[...core].map((merged) => outputs.get(merged)?.inputs));
      output.imports = [...core].flatMap((merged) => outputs.get(merged)?.imports ?? []);
    }
    // An import of a core chunk is one of extension.js now.
    const imports = output.imports.map((imported) => (core.has(path.resolve(root, imported.path)) ? { ...imported, path: extensionKey } : imported));
    output.imports = imports.filter(
      (imported, index) =>
        (imported.path !== extensionKey || file !== extension) &&
        imports.findIndex((other) => other.path === imported.path && other.kind === imported.kind) === index,
    );
    output.bytes = fs.statSync(file).size;
  }
}

/** The modules an `import()` loads that are no named entry (esbuild split there by itself). */
function unnamedSplitPoints(metafile, { entries }) {
  const named = new Set(Object.keys({ ...entries, ...STANDALONE }).map((name) => `${name}.js`));
  const unnamed = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) {
      if (imported.kind !== 'dynamic-import' || named.has(path.basename(imported.path))) continue;
      unnamed.add(metafile.outputs[imported.path]?.entryPoint ?? imported.path);
    }
  }
  return [...unnamed];
}

/** esbuild options for the extension's bundles: the extension host's, the standalone files, the webview's, the CLI's. */
export function buildOptions({ production = false, outdir = path.join(ROOT, 'dist'), metafile = false } = {}) {
  return [
    extensionOptions({ production, outdir }),
    standaloneOptions({ production, outdir, metafile }),
    webviewOptions({ production, outdir, metafile }),
    cliOptions({ production, outdir, metafile }),
  ];
}

/**
 * `stcrm` (package.json `bin`): the suite engine, the client and the sandbox in one file for plain
 * Node, with no vscode anywhere (lint keeps it out of src/cli and src/suites; the bundle would
 * fail to load without it). The sandbox (for --sandbox and `stcrm sandbox`) and undici's parsers
 * are STANDALONE files, which the extension loads too: loaded only when used.
 */
function cliOptions(options) {
  return nodeCommonJsOptions({ cli: 'src/cli/main.ts' }, options);
}

/** The STANDALONE files, each with all it needs (esbuild's CommonJS output, as VS Code and Node load it). */
function standaloneOptions(options) {
  return nodeCommonJsOptions(STANDALONE, options);
}

/** A CommonJS bundle for Node of `entryPoints`, with the STANDALONE files left as their own. */
function nodeCommonJsOptions(entryPoints, { production, outdir, metafile }) {
  return {
    absWorkingDir: ROOT,
    entryPoints,
    bundle: true,
    plugins: [standalone],
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

/**
 * The extension host's bundle. `entries` maps output names to files under `root`: `extension` is
 * the core, the others load on first use (the build's own test passes a fixture project).
 */
export function extensionOptions({ production = false, outdir, root = ROOT, entries = { extension: 'src/extension.ts', ...LAZY, ...LAZY_REQUIRE } }) {
  return {
    absWorkingDir: root,
    entryPoints: entries,
    bundle: true,
    // ES modules for esbuild's code splitting; commonJsOutput converts what it writes.
    format: 'esm',
    splitting: true,
    chunkNames: 'chunk-[hash]',
    platform: 'node',
    target: 'node20',
    outdir,
    external: ['vscode'],
    // ESM builds where a package has one: jsonc-parser's UMD build breaks when bundled
    // ("Cannot find module './impl/format'"), and ESM tree-shakes better anyway.
    mainFields: ['module', 'main'],
    plugins: [standalone, lazyRequires, commonJsOutput({ production, outdir, root, entries })],
    // Inline, so that the conversion reads it and chains it into the source map it writes.
    sourcemap: production ? false : 'inline',
    minify: production,
    // commonJsOutput needs it (it checks the split points), and `--metafile` saves it.
    metafile: true,
    write: false,
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
