/**
 * What a response document shows: a few comment lines (status, operation, duration, trace ID,
 * the headers worth seeing, a schema warning) and the body as it came, pretty-printed when it is
 * JSON. JSON with comments, so VS Code folds it and the body stays copyable. Pure: no vscode.
 */
import type { RawExchange } from '../api/request';

/** Headers a developer wants to see; the rest (connection, keep-alive, …) are noise. */
const SHOWN_HEADERS =
  /^(content-type|location|retry-after|date|x-trace-id|traceid|x-request-id|request-id|x-correlation-id|(x-)?rate-?limit.*|x-ratelimit.*)$/i;

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export interface ResponseSummary {
  status: number;
  operationId: string;
  durationMs: number;
  traceId?: string;
  /** The first fields the response schema refused, for a warning; empty when it fit. */
  schemaIssues: string[];
}

export function summarize(raw: RawExchange<unknown>): ResponseSummary {
  const traceId = raw.problem?.traceId ?? raw.headers['x-trace-id'] ?? raw.headers.traceid ?? raw.headers['x-request-id'];
  const schemaIssues = raw.check && !raw.check.ok ? raw.check.issues.map((issue) => `${issue.field || '(body)'}: ${issue.message}`) : [];
  return { status: raw.status, operationId: raw.operationId, durationMs: Math.round(raw.timings.totalMs), traceId, schemaIssues };
}

/** How much of the body sent the document shows. */
const SENT_BODY_SHOWN = 2_000;

/**
 * `// …` lines, then the body. `at` is when it was received (shown, so history entries differ).
 * `sentBody` is the request's body as sent (JSON, its `{{names}}` written in, redacted), shown under the URL.
 */
export function responseText(raw: RawExchange<unknown>, at: Date, sentBody?: string): string {
  const s = summarize(raw);
  const statusText = STATUS_TEXT[raw.status];
  const lines = [`// ${raw.status}${statusText ? ` ${statusText}` : ''} · ${raw.operationId} · ${s.durationMs} ms`];
  lines.push(`// ${raw.method} ${urlAsSent(raw.url)}`);
  if (sentBody !== undefined) {
    const more = sentBody.length > SENT_BODY_SHOWN ? `… (${sentBody.length - SENT_BODY_SHOWN} more characters)` : '';
    // One line, so no text of it can end the comment.
    lines.push(`// Sent: ${sentBody.slice(0, SENT_BODY_SHOWN).replace(/[\r\n\u2028\u2029]/g, ' ')}${more}`);
  }
  const retries = raw.timings.attempts > 1 ? `, ${raw.timings.attempts} attempts` : '';
  const waited = raw.timings.throttledMs >= 1 ? `, ${Math.round(raw.timings.throttledMs)} ms waiting for the rate limit` : '';
  lines.push(`// Received ${at.toISOString()} (last attempt ${Math.round(raw.timings.responseMs)} ms${retries}${waited})`);
  if (s.traceId) lines.push(`// Trace ID: ${s.traceId}`);
  for (const [name, value] of Object.entries(raw.headers).sort(([a], [b]) => a.localeCompare(b))) {
    if (SHOWN_HEADERS.test(name)) lines.push(`// ${name}: ${value}`);
  }
  if (s.schemaIssues.length > 0) {
    const more = s.schemaIssues.length > 5 ? ` (and ${s.schemaIssues.length - 5} more)` : '';
    lines.push(`// Warning: the answer does not match the document's response schema: ${s.schemaIssues.slice(0, 5).join('; ')}${more}. Shown as it came.`);
  }
  if (raw.jsonError) lines.push(`// Warning: ${raw.jsonError}`);
  lines.push(bodyText(raw));
  return `${lines.join('\n')}\n`;
}

/**
 * The URL as it went out: read as the HTTP client reads it (WHATWG), which folds `.` and `..`
 * segments, so the document never shows an address the call did not go to.
 */
function urlAsSent(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

/** Pretty JSON, or the text as a JSON string (so the document still parses), or nothing. */
function bodyText(raw: RawExchange<unknown>): string {
  if (raw.text.trim() === '') return '// (empty body)';
  if (raw.json !== undefined) return JSON.stringify(raw.json, null, 2);
  return JSON.stringify(raw.text);
}
