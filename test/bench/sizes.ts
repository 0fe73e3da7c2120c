/** Bundle and VSIX sizes: what each file of the production bundle holds, per dependency. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readVsix } from '../package/vsix';
import { BENCH_ROOT, vsixOf } from './benchRoot';

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }>; imports: { path: string; kind: string }[] }>;
}

export interface BundleFile {
  name: string;
  bytes: number;
  /** Bytes in the output per origin: an npm package name, or `src/…` / `sandbox/` for our code. */
  parts: [string, number][];
}

export interface Sizes {
  files: BundleFile[];
  /** extension.js and the files it imports at its top level, as the build describes them: what activation must load. */
  staticOnActivation: string[];
  vsixBytes: number;
  vsixFiles: number;
  vsixUnpackedBytes: number;
}

function origin(input: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (pkg?.[1]) return pkg[1];
  const [top, second] = input.split('/');
  return top === 'src' && second ? `src/${second.replace(/\.ts$/, '')}` : (top ?? input);
}

/** The output files `name` imports statically, transitively (names of files in the same folder). */
function staticImports(meta: Metafile, name: string, found = new Set<string>()): Set<string> {
  found.add(name);
  const output = Object.entries(meta.outputs).find(([file]) => path.basename(file) === name)?.[1];
  for (const imported of output?.imports ?? []) {
    const target = path.basename(imported.path);
    const bundled = Object.keys(meta.outputs).some((file) => path.basename(file) === target);
    if (imported.kind === 'import-statement' && bundled && !found.has(target)) staticImports(meta, target, found);
  }
  return found;
}

/** Builds the production bundle of BENCH_ROOT into a temp dir with esbuild's metafile, then packages its VSIX. */
export async function measureSizes(): Promise<Sizes> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stcrm-bench-bundle-'));
  try {
    const metafile = path.join(dir, 'meta.json');
    execFileSync(
      process.execPath,
      [path.join(BENCH_ROOT, 'scripts', 'build.mjs'), '--production', '--outdir', path.join(dir, 'dist'), '--metafile', metafile],
      { stdio: 'inherit', cwd: BENCH_ROOT },
    );
    const meta = JSON.parse(fs.readFileSync(metafile, 'utf8')) as Metafile;
    const files = Object.entries(meta.outputs).map(([file, output]): BundleFile => {
      const parts = new Map<string, number>();
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) parts.set(origin(input), (parts.get(origin(input)) ?? 0) + bytesInOutput);
      return { name: path.basename(file), bytes: output.bytes, parts: [...parts].sort((a, b) => b[1] - a[1]) };
    });
    execFileSync(process.execPath, [path.join(BENCH_ROOT, 'scripts', 'package.mjs')], { stdio: 'ignore', cwd: BENCH_ROOT });
    const vsix = vsixOf(BENCH_ROOT);
    const contents = await readVsix(vsix);
    return {
      files: files.sort((a, b) => b.bytes - a.bytes),
      staticOnActivation: [...staticImports(meta, 'extension.js')],
      vsixBytes: fs.statSync(vsix).size,
      vsixFiles: contents.size,
      vsixUnpackedBytes: [...contents.values()].reduce((sum, content) => sum + content.length, 0),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
