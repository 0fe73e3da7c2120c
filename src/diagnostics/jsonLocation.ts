/**
 * Where a field path lands in a JSON document, so a server's `Contacts[1].Value` error can be put
 * on the right characters of a request file. Plain Node (no vscode), on jsonc-parser's tree, so
 * comments and trailing commas are fine.
 */
import { parseTree, type Node } from 'jsonc-parser';
import type { PathSegment } from '../api/fieldPath';
import { MAX_WALK_DEPTH, tooDeepAt } from '../api/jsonDepth';

export interface JsonRange {
  offset: number;
  length: number;
}

export interface JsonLocation {
  /** The value of the property or array item at the path, when it exists. */
  value?: JsonRange;
  /** Where to put a diagnostic: the value when it exists; else the key of the deepest property that exists (a missing required field is reported on its parent), or the root value. */
  target: JsonRange;
  /** True when every segment was found. */
  exact: boolean;
  /** How many leading segments exist in the document. */
  matched: number;
}

/** A step down the tree: the value reached and, for a property, its key. */
interface Step {
  value: Node;
  key?: Node;
}

export function locateJsonPath(text: string, segments: readonly PathSegment[], options: { root?: readonly PathSegment[] } = {}): JsonLocation | undefined {
  // parseTree recurses once per level: text nested deeper has no place to give.
  if (tooDeepAt(text, MAX_WALK_DEPTH) >= 0) return undefined;
  const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!tree) return undefined;
  const root = options.root ?? [];
  const path = [...root, ...segments];
  const steps: Step[] = [{ value: tree }];
  let brokenKey: Node | undefined;
  for (const segment of path) {
    const here = steps[steps.length - 1]?.value ?? tree;
    const found = child(here, segment);
    if (!found) break;
    if (!found.value) {
      // `{"a": }`: the key is there, its value is not.
      brokenKey = found.key;
      break;
    }
    steps.push({ value: found.value, key: found.key });
  }
  const reached = steps.length - 1;
  const matched = Math.max(0, reached - root.length);
  const last = steps[steps.length - 1] ?? { value: tree };
  if (reached === path.length) {
    const value = range(last.value);
    return { value, target: value, exact: true, matched };
  }
  return { target: brokenKey ? range(brokenKey) : targetOf(steps, tree), exact: false, matched };
}

/** The key of the deepest property on the way, else the deepest array item, else the root value. */
function targetOf(steps: readonly Step[], tree: Node): JsonRange {
  const deepest = steps.length > 1 ? steps[steps.length - 1] : undefined;
  if (!deepest) return range(tree);
  if (deepest.key) return range(deepest.key);
  // A whole row (often many lines) would hide which field is meant; its opening bracket says "this row".
  const container = deepest.value.type === 'object' || deepest.value.type === 'array';
  return container ? { offset: deepest.value.offset, length: 1 } : range(deepest.value);
}

function child(node: Node, segment: PathSegment): { key?: Node; value?: Node } | undefined {
  if (node.type === 'object') return property(node, String(segment));
  if (node.type === 'array') {
    const index = typeof segment === 'number' ? segment : /^(?:0|[1-9]\d*)$/.test(segment) ? Number(segment) : -1;
    const item = index >= 0 ? node.children?.[index] : undefined;
    return item ? { value: item } : undefined;
  }
  return undefined;
}

/** The property named `name`: an exact-case match wins; the last one wins, as in JSON.parse. */
function property(object: Node, name: string): { key: Node; value?: Node } | undefined {
  const lower = name.toLowerCase();
  let loose: { key: Node; value?: Node } | undefined;
  let exact: { key: Node; value?: Node } | undefined;
  for (const prop of object.children ?? []) {
    const [key, value] = prop.children ?? [];
    if (!key || typeof key.value !== 'string') continue;
    if (key.value === name) exact = { key, value };
    else if (key.value.toLowerCase() === lower) loose = { key, value };
  }
  return exact ?? loose;
}

function range(node: { offset: number; length: number }): JsonRange {
  return { offset: node.offset, length: node.length };
}
