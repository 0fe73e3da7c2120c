/**
 * The checkout whose bundle `npm run bench` measures: this one, or the one STCRM_BENCH_ROOT
 * names (a worktree of another commit, built there, for before/after figures). The bench's own
 * code, probe and sandbox always come from this checkout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../host/codeServer';

export const BENCH_ROOT = path.resolve(process.env.STCRM_BENCH_ROOT ?? ROOT);

/** The VSIX `npm run package` writes in `root`. */
export function vsixOf(root: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(root, `${manifest.name}-${manifest.version}.vsix`);
}
