// The bundle's lazily loaded files (scripts/build.mjs): a lazy file takes the core's modules from
// the loaded extension.js (one class and one module state, not copies), no module is in two of
// the extension's files, and an `import()` of a module that is no named entry fails the build.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const BUILD_SCRIPT = path.join(ROOT, 'scripts', 'build.mjs');

interface BuildScript {
  STANDALONE: Record<string, string>;
  extensionOptions(options: { production: boolean; outdir: string; root: string; entries: Record<string, string> }): esbuild.BuildOptions;
}

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

/** A core with a class and module state, two lazy entries, and a helper only the lazy ones use. */
const FIXTURE: Record<string, string> = {
  'core.ts': 'export class Shared {}\nexport const seen = new Set<string>();\n',
  'extension.ts': "import { Shared, seen } from './core';\nexport { Shared, seen };\nexport const loadLazy = () => import('./lazy');\n",
  'helper.ts': 'export const greet = (name: string): string => `hello ${name}`;\n',
  'lazy.ts':
    "import { Shared, seen } from './core';\nimport { greet } from './helper';\nexport { Shared };\nexport function make(): Shared {\n  seen.add(greet('lazy'));\n  return new Shared();\n}\n",
  'other.ts': "import { greet } from './helper';\nimport { seen } from './core';\nexport const mark = (): void => void seen.add(greet('other'));\n",
};
const ENTRIES = { extension: 'extension.ts', lazy: 'lazy.ts', other: 'other.ts' };

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'stcrm-build-test-'));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

function writeFixture(name: string, files: Record<string, string>): string {
  const root = path.join(temp, name);
  fs.mkdirSync(root, { recursive: true });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(root, file), text);
  return root;
}

async function buildFixture(root: string, production: boolean, entries: Record<string, string> = ENTRIES): Promise<{ outdir: string; metafile: Metafile }> {
  const script = (await import(pathToFileURL(BUILD_SCRIPT).href)) as BuildScript;
  const outdir = path.join(root, production ? 'dist-production' : 'dist');
  const result = await esbuild.build({ ...script.extensionOptions({ production, outdir, root, entries }), logLevel: 'silent' });
  assert.ok(result.metafile, 'the build keeps its metafile');
  return { outdir, metafile: result.metafile };
}

/** The inputs found in more than one of the output files (but those `skip` names). */
function copies(metafile: Metafile, skip: (output: string) => boolean = () => false): string[] {
  const owner = new Map<string, string>();
  const repeated: string[] = [];
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    if (skip(output)) continue;
    for (const input of Object.keys(inputs)) {
      const first = owner.get(input);
      if (first) repeated.push(`${input} in ${first} and ${output}`);
      else owner.set(input, output);
    }
  }
  return repeated;
}

interface CoreExports {
  Shared: new () => object;
  seen: Set<string>;
  loadLazy: () => Promise<LazyExports>;
}
interface LazyExports {
  Shared: new () => object;
  make: () => object;
}
/** Node's `require`, as the extension host loads the bundle's files. */
const load = createRequire(__filename);

void describe('the lazily loaded files of the bundle', () => {
  for (const production of [false, true]) {
    void it(`share the core's classes and module state (${production ? 'production' : 'development'} build)`, async () => {
      const root = writeFixture(production ? 'shared-production' : 'shared', FIXTURE);
      const { outdir, metafile } = await buildFixture(root, production);
      const written = fs
        .readdirSync(outdir)
        .filter((file) => file.endsWith('.js'))
        .sort();
      // The core's module is in extension.js; the helper only lazy files use is a chunk of theirs.
      assert.deepEqual(
        written.filter((file) => !file.startsWith('chunk-')),
        ['extension.js', 'lazy.js', 'other.js'],
      );
      assert.equal(written.filter((file) => file.startsWith('chunk-')).length, 1, `one chunk for the helper (written: ${written.join(', ')})`);
      assert.deepEqual(copies(metafile), []);
      const owners = Object.entries(metafile.outputs).filter(([, output]) => Object.keys(output.inputs).some((input) => input.endsWith('core.ts')));
      assert.deepEqual(
        owners.map(([output]) => path.basename(output)),
        ['extension.js'],
      );

      const core = load(path.join(outdir, 'extension.js')) as CoreExports;
      const lazy = load(path.join(outdir, 'lazy.js')) as LazyExports;
      const other = load(path.join(outdir, 'other.js')) as { mark: () => void };
      assert.equal(lazy.Shared, core.Shared, "the lazy file has the core's very class");
      assert.ok(lazy.make() instanceof core.Shared);
      other.mark();
      assert.deepEqual([...core.seen].sort(), ['hello lazy', 'hello other'], 'one module state');
      assert.equal((await core.loadLazy()).make, lazy.make, "the core's import() loads that same file");
    });
  }

  void it('fails the build on an import() of a module that is no named entry', async () => {
    const root = writeFixture('unnamed', { ...FIXTURE, 'extension.ts': `${FIXTURE['extension.ts']}export const loadHelper = () => import('./helper');\n` });
    await assert.rejects(buildFixture(root, false), /import\(\) of a module that is no entry of LAZY or STANDALONE in scripts\/build\.mjs: helper\.ts$/m);
  });

  void it('puts no module of the extension in two of its files', async () => {
    const outdir = path.join(temp, 'extension');
    const metafile = path.join(temp, 'extension-meta.json');
    execFileSync(process.execPath, [BUILD_SCRIPT, '--production', '--outdir', outdir, '--metafile', metafile], { stdio: 'inherit' });
    const meta = JSON.parse(fs.readFileSync(metafile, 'utf8')) as Metafile;
    // Built apart, each with all it needs: the webview's page (a browser bundle), the CLI and the
    // standalone files plain Node loads without extension.js (the sandbox has its own zod).
    const { STANDALONE } = (await import(pathToFileURL(BUILD_SCRIPT).href)) as BuildScript;
    const apart = new Set(['cli.js', ...Object.keys(STANDALONE).map((name) => `${name}.js`)]);
    const builtApart = (output: string): boolean => output.includes('/webview/') || apart.has(path.basename(output));
    assert.deepEqual(copies(meta, builtApart), []);
    const owners = (suffix: string) =>
      Object.entries(meta.outputs)
        .filter(([output, { inputs }]) => !builtApart(output) && Object.keys(inputs).some((input) => input.endsWith(suffix)))
        .map(([output]) => path.basename(output));
    assert.deepEqual(owners('src/api/errors.ts'), ['extension.js']);
    assert.deepEqual(owners('undici/lib/web/fetch/body.js'), ['undici-fetch-body.js']);
    assert.deepEqual(owners('src/forms/formSession.ts'), ['forms-host.js']);
  });
});
