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

/** What writing a value of one schema needs, worked out once per schema. */
interface Plan {
  /** The schema past `$ref`s and nullable `oneOf` wrappers. */
  schema: SpecSchema;
  /** Its properties, in the document's order, when it is an object with properties. */
  properties: Array<[string, SpecSchema]>;
  known: Set<string>;
  required: Set<string>;
  /** The overlay's properties of this component that are null when marked. */
  nullWhenMarked: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();
const plans = new WeakMap<SpecSchema, Plan>();

function planOf(schema: SpecSchema): Plan {
  let plan = plans.get(schema);
  if (plan) return plan;
  // Past $refs (naming the component) and nullable oneOf wrappers.
  let resolved = schema;
  let component: string | undefined;
  for (let depth = 0; depth < 16; depth++) {
    if (resolved.$ref !== undefined) {
      component = resolved.$ref.slice(REF_PREFIX.length);
      const target = CRM_SPEC.schemas[component];
      if (!target) throw new Error(`CRM_SPEC has no schema ${resolved.$ref}`);
      resolved = target;
    } else if (resolved.oneOf) {
      resolved = resolved.oneOf.find((branch) => branch.type !== 'null') ?? {};
    } else break;
  }
  const properties = Object.entries(resolved.properties ?? {});
  plan = {
    schema: resolved,
    properties,
    known: new Set(properties.map(([key]) => key)),
    required: new Set(resolved.required ?? []),
    nullWhenMarked: (component !== undefined && NULLABLE_REQUIRED.get(component)) || NONE,
  };
  plans.set(schema, plan);
  return plan;
}

/** Sets `key` as an own, plain property, even `__proto__`. */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/**
 * `value` (a handler's answer, in the document's shape) as the live API writes it, following
 * `schema` (the operation's 200 schema): the properties of each object in the document's order,
 * an optional one without a value as null, a marked value of a property the overlay names as null.
 * Properties the schema does not know are kept, after the others. `value` itself is not changed.
 */
export function withLiveNulls(schema: SpecSchema, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const plan = planOf(schema);
  if (Array.isArray(value)) {
    const items = plan.schema.items;
    return items ? value.map((item: unknown) => withLiveNulls(items, item)) : value;
  }
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (plan.properties.length > 0) {
    for (const [key, property] of plan.properties) {
      if (Object.hasOwn(record, key)) {
        const field = record[key];
        const liveNull = plan.nullWhenMarked.has(key) && typeof field === 'object' && field !== null && marked.has(field);
        put(out, key, liveNull ? null : withLiveNulls(property, field));
      } else if (!plan.required.has(key)) put(out, key, null);
    }
    for (const key of Object.keys(record)) if (!plan.known.has(key)) put(out, key, record[key]);
    return out;
  }
  const additional = plan.schema.additionalProperties;
  if (typeof additional !== 'object') return value;
  for (const key of Object.keys(record)) put(out, key, withLiveNulls(additional, record[key]));
  return out;
}
