// Model binding for one operation, from its CRM_SPEC parameters, sort fields and body plus the
// overlay and query conventions in specSchemas.ts, the way ASP.NET Core reports it: path values keyed by the parameter name
// ("id": ["The value 'abc' is not valid."]), query values keyed by the PascalCase name
// ("Page": ["The value 'abc' is not valid for Page."]), then the JSON body (validation.ts), all
// in one 400. Handlers get typed values and never re-parse.
import { addError, badRequest, type ErrorMap } from './errors';
import { bodySchema, queryRule, unwrap } from './specSchemas';
import type { SpecOperation, SpecParameter } from './specTypes';
import type { Sort } from './query/sorting';
import { parseBody, parseDateTime, parseDouble, parseGuid, parseInt64, type BodySource, type JsonObject } from './validation';

/** Bound values by spec parameter name. */
export class Bound {
  constructor(private readonly values: ReadonlyMap<string, unknown> = new Map()) {}
  value(name: string): unknown {
    return this.values.get(name);
  }
  has(name: string): boolean {
    return this.values.has(name);
  }
  str(name: string): string | undefined {
    const value = this.values.get(name);
    return typeof value === 'string' ? value : undefined;
  }
  num(name: string): number | undefined {
    const value = this.values.get(name);
    return typeof value === 'number' ? value : undefined;
  }
  bool(name: string): boolean | undefined {
    const value = this.values.get(name);
    return typeof value === 'boolean' ? value : undefined;
  }
  ids(name: string): number[] | undefined {
    const value = this.values.get(name);
    return Array.isArray(value) && value.every((id) => typeof id === 'number') ? value : undefined;
  }
  sort(name = 'sort'): Sort | undefined {
    const value = this.values.get(name);
    return value !== null && typeof value === 'object' && 'field' in value && 'descending' in value ? (value as Sort) : undefined;
  }
  /** A path value that the spec types as int64 (0 when absent, which binding rules out). */
  id(name: string): number {
    return this.num(name) ?? 0;
  }
  /** A path value that the spec types as a GUID or string ('' when absent). */
  text(name: string): string {
    return this.str(name) ?? '';
  }
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** `sort=+Field` / `-Field` / `Field` (a '+' in a query string arrives as a space). */
export function parseSort(raw: string, fields: readonly string[]): Sort | undefined {
  let name = raw.trim();
  let descending = false;
  if (name.startsWith('-')) {
    descending = true;
    name = name.slice(1);
  } else if (name.startsWith('+')) {
    name = name.slice(1);
  }
  const wanted = name.trim().toLowerCase();
  const field = fields.find((candidate) => candidate.toLowerCase() === wanted);
  return field ? { field, descending } : undefined;
}

function bindPath(p: SpecParameter, raw: string, errors: ErrorMap): unknown {
  const { schema } = unwrap(p.schema);
  const bad = (): undefined => {
    addError(errors, p.name, `The value '${raw}' is not valid.`);
    return undefined;
  };
  if (schema.type === 'integer') {
    const n = parseInt64(raw);
    if (n === undefined || (schema.format === 'int32' && (n < -2147483648 || n > 2147483647))) return bad();
    return n;
  }
  if (schema.type === 'number') return parseDouble(raw) ?? bad();
  if (schema.type === 'boolean') {
    const text = raw.trim().toLowerCase();
    return text === 'true' ? true : text === 'false' ? false : bad();
  }
  if (schema.format === 'guid' || schema.format === 'uuid') return parseGuid(raw) ?? bad();
  return raw;
}

function bindQuery(op: SpecOperation, p: SpecParameter, raw: string, errors: ErrorMap): unknown {
  const key = pascal(p.name);
  const invalid = (): undefined => {
    addError(errors, key, `The value '${raw}' is not valid for ${key}.`);
    return undefined;
  };
  const rule = queryRule(op, p.name);
  const { schema } = unwrap(p.schema);
  const t = raw.trim();
  if (rule?.kind === 'idList') {
    const parts = raw
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    const ids: number[] = [];
    for (const part of parts) {
      const id = parseInt64(part);
      if (id === undefined) return invalid();
      ids.push(id);
    }
    if (ids.length > rule.max) {
      addError(errors, key, `The field ${key} must contain at most ${rule.max} values.`);
      return undefined;
    }
    return ids;
  }
  if (rule?.kind === 'values') return rule.values.find((v) => v.toLowerCase() === t.toLowerCase()) ?? invalid();
  if (rule?.kind === 'sort') {
    const sort = parseSort(raw, rule.fields);
    if (!sort) addError(errors, key, `The sort field '${t}' is not supported. Available fields are: ${rule.fields.join(', ')}.`);
    return sort;
  }
  if (rule?.kind === 'bool' || schema.type === 'boolean') {
    const b = t.toLowerCase();
    return b === 'true' ? true : b === 'false' ? false : invalid();
  }
  if (schema.type === 'integer') {
    if (!/^[+-]?\d+$/.test(t)) return invalid();
    const n = schema.format === 'int32' ? Number(t) : parseInt64(t);
    if (n === undefined) return invalid();
    if (rule?.kind === 'range') {
      if (n < rule.min || n > rule.max) {
        addError(errors, key, `The field ${key} must be between ${rule.min} and ${rule.max}.`);
        return undefined;
      }
    } else if (schema.format === 'int32' && (n < -2147483648 || n > 2147483647)) return invalid();
    return n;
  }
  if (schema.type === 'number') return parseDouble(raw) ?? invalid();
  // The strict ISO 8601 check bodies use: `5`, `2020` or `Tue, 01 Jan 2030` are no dates to .NET's binder.
  if (schema.format === 'date-time') return parseDateTime(t) ?? invalid();
  if (schema.format === 'guid' || schema.format === 'uuid') return parseGuid(raw) ?? invalid();
  return raw;
}

export interface RawRequest extends BodySource {
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface BoundRequest {
  path: Bound;
  q: Bound;
  json: JsonObject;
}

/**
 * Binds path, query and body of `op`; throws one 400 with every binding failure (415 first when
 * the operation takes a JSON body and the request is not JSON).
 */
export function bind(op: SpecOperation, req: RawRequest): BoundRequest {
  const errors: ErrorMap = {};
  const path = new Map<string, unknown>();
  const q = new Map<string, unknown>();
  // Query names are case-insensitive, and the first value wins; an empty value is no value.
  const query = new Map<string, string>();
  for (const [k, v] of req.query) if (!query.has(k.toLowerCase())) query.set(k.toLowerCase(), v);
  for (const p of op.parameters) {
    if (p.in === 'path') {
      const v = bindPath(p, req.params[p.name] ?? '', errors);
      if (v !== undefined) path.set(p.name, v);
    } else if (p.in === 'query') {
      const raw = query.get(p.name.toLowerCase());
      if (raw === undefined || raw === '') {
        if (p.required) addError(errors, pascal(p.name), `The ${p.name} field is required.`);
        continue;
      }
      const v = bindQuery(op, p, raw, errors);
      if (v !== undefined) q.set(p.name, v);
    }
  }
  const schema = bodySchema(op);
  const json = schema ? parseBody(req, schema, errors) : {};
  if (Object.keys(errors).length > 0) throw badRequest(errors);
  return { path: new Bound(path), q: new Bound(q), json };
}
