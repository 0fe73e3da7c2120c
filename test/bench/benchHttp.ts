/**
 * Plain `undici.request` calls for the bench rows that compare servers, so that only the server
 * differs between two sides. Generous timeouts: a slow sandbox row is a figure, not a failure.
 */
import { request } from 'undici';

export const REQUEST_TIMEOUT_MS = 60_000;

export interface Answer {
  status: number;
  text: string;
  /** From sending the request to the last byte of the body. */
  ms: number;
}

export interface Send {
  method?: 'GET' | 'POST' | 'PATCH';
  headers: Record<string, string>;
  body?: string;
}

export async function send(url: string, init: Send): Promise<Answer> {
  const started = performance.now();
  const response = await request(url, {
    method: init.method ?? 'GET',
    headers: init.headers,
    body: init.body,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
  });
  const text = await response.body.text();
  return { status: response.statusCode, text, ms: performance.now() - started };
}

/** The parsed body of a 2xx answer; anything else is a broken bench, so it throws with the body. */
export function bodyOf<T>(answer: Answer, what: string): T {
  if (answer.status < 200 || answer.status > 299) throw new Error(`${what}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`);
  return JSON.parse(answer.text) as T;
}

export function jsonBody(headers: Record<string, string>, body: unknown): Send {
  return { headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A client-credentials token from the sandbox's `POST /connect/token`. */
export async function sandboxToken(base: string, clientId: string, clientSecret: string): Promise<string> {
  const answer = await send(`${base}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
  });
  return bodyOf<{ access_token: string }>(answer, 'POST /connect/token').access_token;
}
