/**
 * Where things are in a suite file: a JSON path (`['steps', 2, 'expect', 'status']`) as a file,
 * line and column, for messages (`onboarding.stcrm-suite.json:14:17`) and, in the editor, ranges.
 * The file is parsed into a tree once (unless it nests too deep to); each lookup walks it. Plain Node.
 */
import { parseTree, type Node } from 'jsonc-parser';
import type { PathSegment } from '../api/fieldPath';
import { MAX_WALK_DEPTH, tooDeepAt } from '../api/jsonDepth';

/** A place in a file. Line and column count from 1 (columns in UTF-16 code units, as editors do). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  /** UTF-16 offset and length of the text meant, for an editor range. */
  offset: number;
  length: number;
}

export class SuiteSource {
  private readonly tree: Node | undefined;
  /** Offsets at which each line starts. */
  private readonly lineStarts: number[] = [0];
  /** Where the parsed text starts in the file (1 after a byte order mark). */
  private readonly shift: number;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.shift = text.startsWith('\uFEFF') ? 1 : 0;
    const json = text.slice(this.shift);
    // parseTree recurses once per level: text nested deeper gets no tree (every place is its start;
    // the strict reader refuses such a file with the place of the first level too deep).
    this.tree = tooDeepAt(json, MAX_WALK_DEPTH) < 0 ? parseTree(json, [], { allowTrailingComma: false, disallowComments: true }) : undefined;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x0a) this.lineStarts.push(i + 1);
  }

  /** The location of an offset and length of the file's text. */
  at(offset: number, length = 0): SourceLocation {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { file: this.file, line: low + 1, column: offset - (this.lineStarts[low] ?? 0) + 1, offset, length };
  }

  /**
   * The value at `path`; when it is missing, the deepest value on the way (a missing key is reported
   * on the object that lacks it). `key: true` points at the property's key instead of its value.
   */
  locate(path: readonly PathSegment[], options: { key?: boolean } = {}): SourceLocation {
    if (!this.tree) return this.at(0);
    let node = this.tree;
    let keyNode: Node | undefined;
    for (const segment of path) {
      const next = child(node, segment);
      if (!next) {
        keyNode = undefined;
        break;
      }
      node = next.value;
      keyNode = next.key;
    }
    const target = options.key && keyNode ? keyNode : node;
    return this.at(target.offset + this.shift, target.length);
  }
}

function child(node: Node, segment: PathSegment): { key?: Node; value: Node } | undefined {
  if (node.type === 'array') {
    const item = typeof segment === 'number' ? node.children?.[segment] : undefined;
    return item ? { value: item } : undefined;
  }
  if (node.type !== 'object') return undefined;
  // The last property of a name wins, as in JSON.parse (duplicates are refused before this anyway).
  let found: { key?: Node; value: Node } | undefined;
  for (const property of node.children ?? []) {
    const [key, value] = property.children ?? [];
    if (key && value && key.value === String(segment)) found = { key, value };
  }
  return found;
}
