/**
 * The suite files a `stcrm test` run takes: paths of files, folders (every `*.stcrm-suite.json`
 * below them) and globs (`*`, `?` within a name, `**` for any folders; only the `*.stcrm-suite.json`
 * files they match). A file named outright is taken whatever its name. node_modules and folders
 * whose name starts with a dot are not searched. Matching is linear in the name (no regular
 * expressions built from arguments), and a search stops after MAX_ENTRIES entries.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SUITE_FILE } from '../suites/suiteFile';

const MAX_ENTRIES = 200_000;
const GLOB = /[*?]/;

export type FoundFiles = { ok: true; files: string[] } | { ok: false; message: string };

/** The suite files `patterns` name, relative to `cwd` when they are below it, sorted, each once. */
export function findSuiteFiles(patterns: readonly string[], cwd: string): FoundFiles {
  const found = new Set<string>();
  const budget = { left: MAX_ENTRIES };
  for (const pattern of patterns.length > 0 ? patterns : ['.']) {
    const before = found.size;
    if (GLOB.test(pattern)) {
      const segments = pattern.split(/[\\/]+/);
      const fixed: string[] = [];
      while (segments.length > 0 && !GLOB.test(segments[0] ?? '')) fixed.push(segments.shift() ?? '');
      const base = path.resolve(cwd, fixed.join('/') || '.');
      walk(base, budget, (file, relative) => {
        if (SUITE_FILE.test(file) && matchSegments(segments, relative.split('/'))) found.add(file);
      });
    } else {
      const target = path.resolve(cwd, pattern);
      let stat: fs.Stats;
      try {
        stat = fs.statSync(target);
      } catch {
        return { ok: false, message: `${pattern}: no such file or folder.` };
      }
      if (stat.isDirectory()) {
        walk(target, budget, (file) => {
          if (SUITE_FILE.test(file)) found.add(file);
        });
      } else {
        found.add(target);
      }
    }
    if (budget.left <= 0)
      return { ok: false, message: `${pattern}: more than ${MAX_ENTRIES.toLocaleString('en-US')} files and folders to search; name the folder of the suites.` };
    if (found.size === before) return { ok: false, message: `${pattern}: no suite files (*.stcrm-suite.json) there.` };
  }
  const files = [...found].map((file) => {
    const relative = path.relative(cwd, file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  });
  return { ok: true, files: files.sort() };
}

/** Calls `visit` with every file below `root` (absolute, and relative with `/`), depth first. */
function walk(root: string, budget: { left: number }, visit: (file: string, relative: string) => void): void {
  const stack: string[] = [root];
  while (stack.length > 0 && budget.left > 0) {
    const folder = stack.pop() ?? root;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (--budget.left <= 0) return;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) stack.push(full);
      } else if (entry.isFile()) {
        visit(full, path.relative(root, full).split(path.sep).join('/'));
      }
    }
  }
}

/** Glob segments against path segments: `**` takes any number of segments. Memoised: O(pattern × path). */
export function matchSegments(pattern: readonly string[], names: readonly string[]): boolean {
  const memo = new Map<number, boolean>();
  const match = (p: number, n: number): boolean => {
    const key = p * (names.length + 1) + n;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    const segment = pattern[p];
    if (segment === undefined) result = n === names.length;
    else if (segment === '**') result = match(p + 1, n) || (n < names.length && match(p, n + 1));
    else result = n < names.length && matchName(segment, names[n] ?? '') && match(p + 1, n + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

/** `*` and `?` within one name, by the two-pointer method: no backtracking beyond the last `*`. */
export function matchName(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
