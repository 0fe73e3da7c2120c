/**
 * What an agent tool answers: a few sentences, and the JSON the model needs, bounded in size
 * (long texts clipped, long lists cut, each cut said with how to get the rest). Failures come
 * back as results too, problem details field by field with the trace ID, so the model can fix
 * its input. Everything passes through `redact` with the connection's secrets last. No vscode.
 */
import { isCrmError, ProblemError, problemFieldErrors, RequestValidationError, type FieldError, type ProblemDetails } from '../api/errors';
import type { OperationParams } from '../api/fieldPath';
import { redact, redactSecrets } from '../api/redact';
import { statusLine } from '../api/problem';

export interface ToolResult {
  /** What happened, in a few sentences, for the model and the person reading along. */
  text: string;
  /** The records or the answer, as JSON the model reads. */
  data?: unknown;
  /** Nothing useful came back: bad input, a refusal, an error answer. */
  isError?: boolean;
  /**
   * It shows a request to confirm: its texts are masked only where one of the connection's own
   * secrets is, never by the credential patterns, so it reads exactly as what is sent.
   */
  verbatim?: boolean;
}

/** The most JSON one result carries: a model pays for every character. */
export const MAX_RESULT_JSON = 24_000;
const MAX_STRING = 2_000;
const MAX_DEPTH = 12;
/** The most items of one list a result shows. */
export const MAX_ITEMS = 200;

/** A result as the two texts both surfaces send (VS Code text parts, MCP text content), redacted. */
export function resultTexts(result: ToolResult, secrets: readonly string[]): string[] {
  const texts = [result.text];
  if (result.data !== undefined) {
    const bounded = boundJson(result.data);
    if (bounded.notes.length > 0) texts[0] = `${result.text}\n${bounded.notes.join('\n')}`;
    texts.push(bounded.json);
  }
  return texts.map((text) => (result.verbatim ? redactSecrets(text, secrets) : redact(text, secrets)));
}

/**
 * `value` as JSON of at most `max` characters: texts over 2000 characters clipped, nesting cut
 * at 12 levels, lists at 200 items, then the longest list halved until it fits. Each cut is
 * said in `notes` with its JSON path. Bounded time on any input (the walk stops at the cuts).
 */
export function boundJson(value: unknown, max = MAX_RESULT_JSON): BoundJson {
  const notes: string[] = [];
  const cuts = new Map<string, ListCut>();
  const pruned = prune(value, '$', 0, notes, cuts);
  let json = JSON.stringify(pruned) ?? 'null';
  for (let round = 0; json.length > max && round < 64; round++) {
    const longest = longestList(pruned, '$', 0);
    if (!longest || longest.list.length <= 1) break;
    const keep = Math.max(1, Math.floor(longest.list.length / 2));
    const dropped = longest.list.length - keep;
    longest.list.splice(keep);
    noteCut(notes, cuts, longest.path, keep, dropped);
    json = JSON.stringify(pruned) ?? 'null';
  }
  if (json.length > max) {
    notes.push(`The answer (${json.length} characters) is too large to show: ask for less (a smaller pageSize, or one record).`);
    json = JSON.stringify({ tooLarge: true, characters: json.length });
  }
  return { json, notes, cuts };
}

export interface BoundJson {
  json: string;
  /** Each cut said, with its JSON path. */
  notes: string[];
  /** Each cut list by its JSON path (`$.data`): how many items are shown of how many. */
  cuts: Map<string, ListCut>;
}

export interface ListCut {
  shown: number;
  of: number;
}

/** One note per list: "$.data: showing the first 12 of 50 items". */
function noteCut(notes: string[], cuts: Map<string, ListCut>, path: string, keep: number, dropped: number): void {
  const prefix = `${path}: showing the first `;
  const index = notes.findIndex((note) => note.startsWith(prefix));
  const total = cuts.get(path)?.of ?? keep + dropped;
  cuts.set(path, { shown: keep, of: total });
  const note = `${prefix}${keep} of ${total} items (cut to fit); ask for fewer, e.g. a smaller pageSize.`;
  if (index >= 0) notes[index] = note;
  else notes.push(note);
}

/** A copy with texts clipped, nesting and lists cut; own keys kept as keys (`__proto__` too). */
function prune(value: unknown, path: string, depth: number, notes: string[], cuts: Map<string, ListCut>): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length - MAX_STRING} more characters)` : value;
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) {
    notes.push(`${path}: nested too deep to show.`);
    return '(nested too deep)';
  }
  if (Array.isArray(value)) {
    const items = (value as unknown[]).slice(0, MAX_ITEMS).map((item, index) => prune(item, `${path}[${index}]`, depth + 1, notes, cuts));
    if (value.length > MAX_ITEMS) noteCut(notes, cuts, path, MAX_ITEMS, value.length - MAX_ITEMS);
    return items;
  }
  // fromEntries defines each key, so a `__proto__` key stays data.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, prune(item, `${path}.${key}`, depth + 1, notes, cuts)]));
}

/** The list whose JSON is longest, with its path. */
function longestList(value: unknown, path: string, depth: number): { list: unknown[]; path: string; size: number } | undefined {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return undefined;
  let best: { list: unknown[]; path: string; size: number } | undefined;
  const consider = (found: { list: unknown[]; path: string; size: number } | undefined): void => {
    if (found && found.list.length > 1 && (!best || found.size > best.size)) best = found;
  };
  if (Array.isArray(value)) {
    consider({ list: value as unknown[], path, size: JSON.stringify(value)?.length ?? 0 });
    (value as unknown[]).forEach((item, index) => consider(longestList(item, `${path}[${index}]`, depth + 1)));
  } else {
    for (const [key, item] of Object.entries(value)) consider(longestList(item, `${path}.${key}`, depth + 1));
  }
  return best;
}

// ---- failures ------------------------------------------------------------------------------------

/** A field error as the model should read it: where it is in the tool input, and what to do. */
export interface ToolFieldError {
  field: string;
  message: string;
}

/**
 * The field as the tool input names it. Without `base`, stcrm_callOperation's: `path.id`,
 * `query.page`, `body.contacts[1].value`. With `base`, a body field of a tool that builds the
 * body itself: `name`, or `contactMethods[1].value` for base `['contactMethods', 1]`.
 */
export function inputField(error: FieldError, base?: readonly (string | number)[]): string {
  const field = error.field;
  if (base === undefined || error.location !== 'body') {
    if (error.location === 'path' || error.location === 'query') return field ? `${error.location}.${field}` : error.location;
    return field ? `body${field.startsWith('[') ? '' : '.'}${field}` : 'body';
  }
  const prefix = base.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
  if (!prefix) return field || '(input)';
  return field ? `${prefix}${field.startsWith('[') ? '' : '.'}${field}` : prefix;
}

/** The tool's own input did not fit its schema: nothing was looked up or sent. */
export function invalidInputResult(tool: string, issues: readonly FieldError[]): ToolResult {
  const fieldErrors = issues.map((issue) => ({ field: issue.field || '(input)', message: issue.message }));
  return {
    text: `${tool} was not run: its input does not fit. Fix these fields and call it again:\n${fieldErrors.map((error) => `- ${error.field}: ${error.message}`).join('\n')}`,
    data: { notSent: true, fieldErrors },
    isError: true,
  };
}

/** A problem-details answer, field by field with the trace ID. */
export function problemResult(
  what: string,
  status: number,
  problem: ProblemDetails,
  params?: OperationParams,
  base?: readonly (string | number)[],
): ToolResult {
  const fieldErrors = problemFieldErrors(problem, params).map((error) => ({ field: inputField(error, base), message: error.message }));
  // A title usually ends with its own period ("One or more validation errors occurred.").
  const title = problem.title ?? 'the request failed';
  const lines = [`${what}: ServiceTitan answered ${statusLine(status)}: ${title}${/[.!?]$/.test(title) ? '' : '.'}`];
  if (problem.detail && problem.detail !== problem.title) lines.push(problem.detail);
  if (fieldErrors.length > 0) lines.push('Fix these fields:', ...fieldErrors.map((error) => `- ${error.field}: ${error.message}`));
  if (problem.traceId) lines.push(`Trace ID: ${problem.traceId} (give it to ServiceTitan support if the problem stays).`);
  return {
    text: lines.join('\n'),
    data: { status, title: problem.title, detail: problem.detail, traceId: problem.traceId, fieldErrors },
    isError: true,
  };
}

/**
 * Any failure as a result: the client's refusal with its field errors (nothing sent), a problem
 * answer, or the error's own message (every CrmError's message is actionable and redacted).
 */
export function errorResult(what: string, error: unknown, base?: readonly (string | number)[]): ToolResult {
  if (error instanceof RequestValidationError) {
    const fieldErrors = error.issues.map((issue) => ({ field: inputField(issue, base), message: issue.message }));
    return {
      text: `${what}: nothing was sent, because the input does not fit ${error.operationId} in the API document. Fix these fields and call again:\n${fieldErrors.map((issue) => `- ${issue.field}: ${issue.message}`).join('\n')}`,
      data: { notSent: true, operation: error.operationId, fieldErrors },
      isError: true,
    };
  }
  if (error instanceof ProblemError) return problemResult(what, error.status, error.problem, error.params, base);
  const message = error instanceof Error ? error.message : String(error);
  return { text: `${what}: ${message}`, data: { error: isCrmError(error) ? error.kind : 'error', message }, isError: true };
}
