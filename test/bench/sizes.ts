/** Bundle and VSIX sizes: what each file of the production bundle holds, per dependency. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../host/codeServer';
import { readVsix, VSIX } from '../package/vsix';

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

export interface BundleFile {
  name: string;
  bytes: number;
  /** Bytes in the output per origin: an npm package name, or `src/…` / `sandbox/` for our code. */
  parts: [string, number][];
}

export interface Sizes {
  files: BundleFile[];
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

/** Builds the production bundle into a temp dir with esbuild's metafile, then packages the VSIX. */
export async function measureSizes(): Promise<Sizes> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stcrm-bench-bundle-'));
  try {
    const metafile = path.join(dir, 'meta.json');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--production', '--outdir', path.join(dir, 'dist'), '--metafile', metafile], { stdio: 'inherit' });
    const meta = JSON.parse(fs.readFileSync(metafile, 'utf8')) as Metafile;
    const files = Object.entries(meta.outputs).map(([file, output]): BundleFile => {
      const parts = new Map<string, number>();
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) parts.set(origin(input), (parts.get(origin(input)) ?? 0) + bytesInOutput);
      return { name: path.basename(file), bytes: output.bytes, parts: [...parts].sort((a, b) => b[1] - a[1]) };
    });
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'package.mjs')], { stdio: 'ignore' });
    const contents = await readVsix(VSIX);
    return {
      files: files.sort((a, b) => b.bytes - a.bytes),
      vsixBytes: fs.statSync(VSIX).size,
      vsixFiles: contents.size,
      vsixUnpackedBytes: [...contents.values()].reduce((sum, content) => sum + content.length, 0),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
