// Valid sample values for every field of the request-file JSON Schema, for tests that need more
// than a template's required fields: the schema/client agreement test and the cURL round trip.
import type { Json } from './draft07';
import { REQUEST_SCHEMA } from './draft07';

type Node = { [key: string]: Json };
const defs = REQUEST_SCHEMA.definitions as Node;

export interface SampleOptions {
  /** For `anyOf` (id lists, string lists): take the string form rather than the array. */
  preferString?: boolean;
}

/** The `then` branch of one operation. */
export function branchOf(operationId: string): { path: Node; query: Node; body: Node; required: string[] } {
  for (const c of REQUEST_SCHEMA.allOf as Node[]) {
    const op = (((c.if as Node).properties as Node).operation as Node).const;
    if (op !== operationId) continue;
    const then = c.then as Node;
    const props = then.properties as Node;
    return { path: props.path as Node, query: props.query as Node, body: props.body as Node, required: (then.required ?? []) as string[] };
  }
  throw new Error(`no branch for ${operationId}`);
}

export function deref(node: Node): Node {
  let x = node;
  for (;;) {
    if (typeof x.$ref === 'string') x = defs[x.$ref.slice('#/definitions/'.length)] as Node;
    else if (Array.isArray(x.allOf) && x.allOf.length === 1) x = x.allOf[0] as Node;
    else if (takesReference(x)) x = withoutReference(x);
    else return x;
  }
}

/** The alternative a value has in the schema: a `{{name}}` reference (stcrm.env.json's variables). */
function isReference(node: Json | undefined): boolean {
  return (
    typeof node === 'object' &&
    node !== null &&
    !Array.isArray(node) &&
    node.doNotSuggest === true &&
    typeof node.pattern === 'string' &&
    node.pattern.includes('\\{\\{')
  );
}

/** `{ anyOf: [node, reference] }`: a value that may also be a reference. */
export function takesReference(node: Node): boolean {
  return Array.isArray(node.anyOf) && node.anyOf.length === 2 && isReference(node.anyOf[1]);
}

/** The node without its reference alternative (its description kept): what the client checks. */
export function withoutReference(node: Node): Node {
  if (!takesReference(node)) return node;
  const { anyOf, ...rest } = node;
  return { ...rest, ...((anyOf as Node[])[0] ?? {}) };
}

/** A value the node accepts, with every optional property filled in (to `depth` levels of objects). */
export function sampleOf(raw: Node, options: SampleOptions = {}, depth = 4): Json {
  const node = deref(raw);
  if (Array.isArray(node.oneOf)) return sampleOf((node.oneOf as Node[]).find((s) => s.type !== 'null') ?? {}, options, depth);
  if (Array.isArray(node.anyOf)) {
    const branches = node.anyOf as Node[];
    return sampleOf((options.preferString ? branches.find((b) => b.type === 'string') : branches[0]) ?? {}, options, depth);
  }
  if (Array.isArray(node.enum)) return node.enum.find((v) => v !== null) ?? null;
  const type = (Array.isArray(node.type) ? (node.type as string[]) : [node.type as string]).find((t) => t !== 'null');
  switch (type) {
    case 'object': {
      const out: Node = {};
      if (depth <= 0) {
        for (const key of (node.required ?? []) as string[]) out[key] = sampleOf((node.properties as Node)[key] as Node, options, 0);
        return out;
      }
      for (const [key, sub] of Object.entries((node.properties ?? {}) as Node)) out[key] = sampleOf(sub as Node, options, depth - 1);
      return out;
    }
    case 'array':
      return [sampleOf((node.items ?? {}) as Node, options, depth - 1)];
    case 'string':
      return stringFor(node);
    case 'integer':
      return typeof node.minimum === 'number' && node.minimum > 0 ? node.minimum : 2;
    case 'number':
      return 1.5;
    case 'boolean':
      return true;
    default:
      return null;
  }
}

function stringFor(node: Node): string {
  const pattern = typeof node.pattern === 'string' ? node.pattern : undefined;
  if (pattern === undefined) return typeof node.minLength === 'number' ? 'abc' : 'text';
  const candidates = ['3f2504e0-4f89-11d3-9a0c-0305e82c3301', '2026-01-01T09:00:00Z', '1,2'];
  const hit = candidates.find((c) => new RegExp(pattern, 'u').test(c));
  if (hit) return hit;
  // A sort: `^[+-]?([Ii][Dd]|…)$` → `+Id`.
  const sort = /^\^\[\+-\]\?\(([^|)]*)/.exec(pattern);
  if (sort?.[1] !== undefined) return `+${sort[1].replace(/\[(.)(.)\]/g, '$1')}`;
  throw new Error(`no sample for the pattern ${pattern}`);
}
