/**
 * `schema.safeParse(value)` for a value nobody else holds (a body fresh from JSON.parse), without
 * copying it. zod builds a new object for every object and array it parses: for a page of 50
 * customers that was most of the client's own cost per call. This turns each schema, once, into
 * checks that read the value where it is and leave it as it is, written as code with the keys
 * spelled out, as zod's own fast path is (a read of `value["id"]` is about ten times faster than
 * `value[name]` over many names).
 *
 * The schema stays the one definition. Checks of strings and numbers (formats, lengths, ranges)
 * are zod's own check functions; every kind of schema not modelled here (transforms, unions,
 * defaults, objects that strip keys, …) is parsed by zod at that spot and its output put in place
 * once the whole value passed. Whenever the walk says no, zod parses the whole value again, so a
 * failure and its issues are always zod's. What the walk accepts, zod accepts with an equal result
 * (object keys keep the order they arrived in). Where code cannot be generated (a runtime that
 * forbids it), zod parses everything.
 *
 * It reads zod's internals, which zod does not promise to keep, so zod is pinned exactly in
 * package.json. To upgrade zod: change the pin, run `npm run test:node`; then
 * test/node/api/parseInPlace.internals.test.ts says whether every internal read here is still
 * there in the same shape and whether the table holds a kind of schema not met before, and
 * parseInPlace.test.ts compares verdicts, values and issues with zod's on real answers and
 * thousands of broken ones. Fix what they name here (or drop the kind into `viaZod`), and rerun
 * `npm run bench` to see the client's cost against plain undici. Why keep it: it is the
 * difference between about ×1.05 and ×1.3 of a plain undici call (docs/benchmarks.md).
 */
import * as z from 'zod';

/** A zod result to put in place (the value of a transform, a default) once everything passed. */
interface Replacement {
  holder: Record<PropertyKey, unknown>;
  key: PropertyKey;
  value: unknown;
}

/** True when `value`, found at `holder[key]`, passes; zod outputs that differ from it go to `out`. */
type Check = (value: unknown, holder: Record<PropertyKey, unknown>, key: PropertyKey, out: Replacement[]) => boolean;

type Schema = z.core.$ZodType;
type Checks = readonly z.core.$ZodCheck<never>[];

/** `params` go to zod's parse of a value that did not pass (its messages). */
export function parseInPlace<S extends z.ZodType>(
  schema: S,
  value: unknown,
  params?: z.core.ParseContext<z.core.$ZodIssue>,
): z.ZodSafeParseResult<z.output<S>> {
  if (!canGenerate()) return schema.safeParse(value, params);
  const out: Replacement[] = [];
  const box: Record<PropertyKey, unknown> = { value };
  if (checkOf(schema)(value, box, 'value', out)) {
    for (const { holder, key, value: replaced } of out) holder[key] = replaced;
    return { success: true, data: box.value as z.output<S> };
  }
  return schema.safeParse(value, params);
}

// ---- generated code ------------------------------------------------------------------------------

let generates: boolean | undefined;

function canGenerate(): boolean {
  if (generates === undefined) {
    try {
      generates = generate([], 'return () => true;')() === true;
    } catch {
      generates = false;
    }
  }
  return generates;
}

/** A function from source; `refs` are what the source reads as `refs[0]`, `refs[1]` … */
function generate(refs: readonly unknown[], source: string): (...args: unknown[]) => unknown {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the speed is the point; keys enter the source only as JSON-quoted string literals
  const factory = new Function('refs', source) as (refs: readonly unknown[]) => unknown;
  return factory(refs) as (...args: unknown[]) => unknown;
}

/** Values generated code refers to, by index. */
class Refs {
  readonly list: unknown[] = [];
  add(value: unknown): string {
    this.list.push(value);
    return `refs[${this.list.length - 1}]`;
  }
}

/**
 * A JS expression over `v` that is exactly zod's verdict for a schema that is only a type test
 * (no checks, nothing zod would change), or undefined for any other schema.
 */
function typeTest(schema: Schema, refs: Refs): string | undefined {
  return hasChecks(schema) ? undefined : baseTest(schema, refs);
}

/** typeTest without the schema's own checks (zod runs those after it). */
function baseTest(schema: Schema, refs: Refs): string | undefined {
  const def = (schema as z.core.$ZodTypes)._zod.def;
  switch (def.type) {
    case 'string':
      return def.coerce ? undefined : `typeof v === "string"`;
    case 'number':
      // zod's number refuses NaN and ±Infinity.
      return def.coerce ? undefined : `(typeof v === "number" && Number.isFinite(v))`;
    case 'boolean':
      return def.coerce ? undefined : `typeof v === "boolean"`;
    case 'null':
      return `v === null`;
    case 'undefined':
      return `v === undefined`;
    case 'unknown':
    case 'any':
      return `true`;
    case 'enum':
    case 'literal':
      return schema._zod.values ? `${refs.add(schema._zod.values)}.has(v)` : undefined;
    case 'optional': {
      // A defaulted inner schema fills in `undefined`: zod's business.
      if (def.innerType._zod.optin === 'defaulted') return undefined;
      const inner = typeTest(def.innerType, refs);
      return inner && `(v === undefined || ${inner})`;
    }
    case 'nullable': {
      const inner = typeTest(def.innerType, refs);
      return inner && `(v === null || ${inner})`;
    }
    default:
      return undefined;
  }
}

// ---- checks ----------------------------------------------------------------------------------------

const compiled = new WeakMap<Schema, Check>();

function checkOf(schema: Schema): Check {
  const known = compiled.get(schema);
  if (known) return known;
  // A schema that contains itself meets itself while being built: that inner use looks the
  // finished check up when it runs.
  compiled.set(schema, (value, holder, key, out) => checkOf(schema)(value, holder, key, out));
  const built = build(schema);
  compiled.set(schema, built);
  return built;
}

function build(schema: Schema): Check {
  const def = (schema as z.core.$ZodTypes)._zod.def;
  if (def.type === 'array') return array(schema, def);
  if (def.type === 'object') return object(schema, def);
  const checks = checksOf(schema);
  const refs = new Refs();
  const base = baseTest(schema, refs);
  if (base && checks) return generate(refs.list, `return (v) => { if (!(${base})) return false; ${checksCode(checks, refs)} };`) as Check;
  // Optional or nullable around an object, an array …
  if (def.type === 'optional' && !hasChecks(schema) && def.innerType._zod.optin !== 'defaulted') {
    const inner = checkOf(def.innerType);
    return (value, holder, key, out) => value === undefined || inner(value, holder, key, out);
  }
  if (def.type === 'nullable' && !hasChecks(schema)) {
    const inner = checkOf(def.innerType);
    return (value, holder, key, out) => value === null || inner(value, holder, key, out);
  }
  return viaZod(schema);
}

/** zod parses this spot; a result other than the value itself is put in place later. */
function viaZod(schema: Schema): Check {
  return (value, holder, key, out) => {
    const result = z.safeParse(schema, value);
    if (!result.success) return false;
    if (result.data !== value) out.push({ holder, key, value: result.data });
    return true;
  };
}

/**
 * Statements that run zod's own check functions over `v` as zod's parse does, returning whether
 * all passed. A check that returns anything (a promise: it is async) counts as failed: zod then
 * parses the value itself, and says so.
 */
function checksCode(checks: Checks, refs: Refs): string {
  if (checks.length === 0) return 'return true;';
  const lines = checks.map((check) => {
    const run = `(${refs.add(check)}._zod.check(p) !== undefined || p.issues.length > 0)`;
    const { when } = check._zod.def;
    return when ? `if (${refs.add(when)}(p) && ${run}) return false;` : `if (${run}) return false;`;
  });
  return `const p = { value: v, issues: [] };
    ${lines.join('\n    ')}
    return true;`;
}

/** The schema's checks as zod runs them (a string format is its own first check); undefined when one may change the value. */
function checksOf(schema: Schema): Checks | undefined {
  const own = schema._zod.def.checks ?? [];
  const checks: Checks = schema._zod.traits.has('$ZodCheck') ? [schema as unknown as z.core.$ZodCheck<never>, ...own] : own;
  return checks.some((check) => check._zod.def.check === 'overwrite') ? undefined : checks;
}

function hasChecks(schema: Schema): boolean {
  return (schema._zod.def.checks?.length ?? 0) > 0 || schema._zod.traits.has('$ZodCheck');
}

const LENGTH_CHECKS = new Set(['min_length', 'max_length', 'length_equals']);

function array(schema: Schema, def: z.core.$ZodArrayDef): Check {
  const checks = checksOf(schema);
  // Only length checks: anything else would see the elements before zod's replacements.
  if (!checks?.every((check) => LENGTH_CHECKS.has(check._zod.def.check))) return viaZod(schema);
  const element = checkOf(def.element);
  const refs = new Refs();
  const lengthOk = checks.length === 0 ? undefined : (generate(refs.list, `return (v) => { ${checksCode(checks, refs)} };`) as (value: unknown) => boolean);
  return (value, _holder, _key, out) => {
    if (!Array.isArray(value)) return false;
    for (let index = 0; index < value.length; index++) {
      if (!element(value[index], value as unknown as Record<PropertyKey, unknown>, index, out)) return false;
    }
    return lengthOk === undefined || lengthOk(value);
  };
}

function object(schema: Schema, def: z.core.$ZodObjectDef): Check {
  const catchall = def.catchall?._zod.def.type;
  // Loose (keeps unknown keys as they are) and strict (refuses them) only; stripping copies.
  const loose = catchall === 'unknown' || catchall === 'any';
  const keys = Object.keys(def.shape);
  // zod copies a key found on the prototype (`constructor`) into its result as the object's own.
  const inherited = keys.some((key) => key in Object.prototype);
  if (hasChecks(schema) || (!loose && catchall !== 'never') || inherited || Object.getOwnPropertySymbols(def.shape).length > 0) return viaZod(schema);

  const refs = new Refs();
  const lines = keys.map((key) => {
    const field = def.shape[key] as Schema;
    const name = JSON.stringify(key);
    // `in` and a plain read, as zod does; a value that is not undefined is certainly `in`.
    const test = typeTest(field, refs) ?? `${refs.add(checkOf(field))}(v, value, ${name}, out)`;
    return `v = value[${name}]; if (v !== undefined || ${name} in value ? !(${test}) : !${absentCheck(field, key, refs)}) return false;`;
  });
  const known = refs.add(new Set(keys));
  const whole = refs.add(viaZod(schema));
  return generate(
    refs.list,
    `return (value, holder, key, out) => {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
      // JSON.parse makes "__proto__" an own key, which zod's result leaves out; and an object
      // not made by JSON.parse may inherit what zod would copy.
      if (Object.hasOwn(value, "__proto__") || Object.getPrototypeOf(value) !== Object.prototype) return ${whole}(value, holder, key, out);
      let v;
      ${lines.join('\n      ')}
      ${loose ? '' : `for (const name in value) if (!${known}.has(name)) return false;`}
      return true;
    };`,
  ) as Check;
}

/** An expression for a key the input lacks, as zod's handlePropertyResult treats it. */
function absentCheck(schema: Schema, key: string, refs: Refs): string {
  const { optin, optout } = schema._zod;
  if (optin === 'optional' && optout === 'optional') return 'true';
  if (optin === undefined) return 'false';
  // Optional going in but not coming out, or defaulted: what zod makes of `undefined` there.
  const absent = (holder: Record<PropertyKey, unknown>, out: Replacement[]): boolean => {
    const result = z.safeParse(schema, undefined);
    if (!result.success) return optout === 'optional';
    if (result.data !== undefined || (optin === 'defaulted' && optout !== 'optional')) out.push({ holder, key, value: result.data });
    return true;
  };
  return `${refs.add(absent)}(value, out)`;
}
