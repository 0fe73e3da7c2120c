// The live API's nulls (SandboxOptions.liveNulls, on unless it is false; --no-live-nulls). The
// live API writes a property without a value as null where the document leaves it optional, and
// it sends null for some properties the document requires (openapi/overlay.json,
// nullableInResponses: `externalData` unless the request names an application GUID, an e-mail
// contact's `phoneSettings`). Handlers answer in the document's shape, marking with
// nullOnTheLiveApi the values that stand for such a null; the gateway writes a 200 answer through
// withLiveNulls, so that a client that breaks on these nulls breaks against the sandbox first.
import { CRM_SPEC } from './generated/spec.gen';
import type { SpecSchema } from './specTypes';

const REF_PREFIX = '#/components/schemas/';

/** The overlay's required properties the live API may send as null, by component. */
const NULLABLE_REQUIRED = new Map<string, Set<string>>();
for (const key of CRM_SPEC.overlay.nullableInResponses) {
  const dot = key.lastIndexOf('.');
  const component = key.slice(0, dot);
  const property = key.slice(dot + 1);
  if (!CRM_SPEC.schemas[component]?.properties?.[property])
    throw new Error(`openapi/overlay.json: nullableInResponses names ${key}, which CRM_SPEC does not have`);
  const properties = NULLABLE_REQUIRED.get(component) ?? new Set<string>();
  properties.add(property);
  NULLABLE_REQUIRED.set(component, properties);
}

const marked = new WeakSet<object>();

/**
 * Marks `value` as what the live API sends as null here: it is written as null where the overlay
 * names the property of the answer's component, and as it is elsewhere (or with live nulls off).
 */
export function nullOnTheLiveApi<T extends object>(value: T): T {
  marked.add(value);
  return value;
}

/** What writing an object of one schema needs, worked out once per schema. */
interface ObjectPlan {
  properties: Array<[string, SpecSchema]>;
  known: Set<string>;
  required: Set<string>;
  /** The overlay's properties of this component that are null when marked. */
  nullWhenMarked: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();
const plans = new WeakMap<SpecSchema, ObjectPlan>();

/** The schema a value is written by, past `$ref`s and nullable `oneOf` wrappers, and the component it names. */
function resolve(schema: SpecSchema): { schema: SpecSchema; component: string | undefined } {
  let current = schema;
  let component: string | undefined;
  for (let depth = 0; depth < 16; depth++) {
    if (current.$ref !== undefined) {
      component = current.$ref.slice(REF_PREFIX.length);
      const target = CRM_SPEC.schemas[component];
      if (!target) throw new Error(`CRM_SPEC has no schema ${current.$ref}`);
      current = target;
    } else if (current.oneOf) {
      current = current.oneOf.find((branch) => branch.type !== 'null') ?? {};
    } else break;
  }
  return { schema: current, component };
}

function planOf(schema: SpecSchema, component: string | undefined, properties: Record<string, SpecSchema>): ObjectPlan {
  let plan = plans.get(schema);
  if (!plan) {
    plan = {
      properties: Object.entries(properties),
      known: new Set(Object.keys(properties)),
      required: new Set(schema.required ?? []),
      nullWhenMarked: (component !== undefined && NULLABLE_REQUIRED.get(component)) || NONE,
    };
    plans.set(schema, plan);
  }
  return plan;
}

/**
 * `value` (a handler's answer, in the document's shape) as the live API writes it, following
 * `schema` (the operation's 200 schema): the properties of each object in the document's order,
 * an optional one without a value as null, a marked value of a property the overlay names as null.
 * Properties the schema does not know are kept, after the others. `value` itself is not changed.
 */
export function withLiveNulls(schema: SpecSchema, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const { schema: resolved, component } = resolve(schema);
  if (Array.isArray(value)) {
    const items = resolved.items;
    return items ? value.map((item: unknown) => withLiveNulls(items, item)) : value;
  }
  const record = value as Record<string, unknown>;
  // A null-prototype object: a key such as __proto__ stays a plain key.
  const out = Object.create(null) as Record<string, unknown>;
  if (resolved.properties) {
    const plan = planOf(resolved, component, resolved.properties);
    for (const [key, property] of plan.properties) {
      if (Object.hasOwn(record, key)) {
        const field = record[key];
        out[key] = plan.nullWhenMarked.has(key) && typeof field === 'object' && field !== null && marked.has(field) ? null : withLiveNulls(property, field);
      } else if (!plan.required.has(key)) out[key] = null;
    }
    for (const [key, field] of Object.entries(record)) if (!plan.known.has(key)) out[key] = field;
    return out;
  }
  const additional = resolved.additionalProperties;
  if (typeof additional !== 'object') return value;
  for (const [key, field] of Object.entries(record)) out[key] = withLiveNulls(additional, field);
  return out;
}
