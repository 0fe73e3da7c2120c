import type { CrmEvent } from '../api/events';

export interface LogLine {
  level: 'trace' | 'info' | 'warn' | 'error';
  text: string;
}

/**
 * Turns a transport event into one log line: method, URL, status, duration and trace ID.
 * Events arrive already redacted; the Log redacts again with this window's secrets.
 */
export function formatEvent(event: CrmEvent): LogLine | undefined {
  switch (event.type) {
    case 'request':
      return { level: 'trace', text: `→ ${event.method} ${event.url} (${event.operationId}, attempt ${event.attempt})` };
    case 'response':
      return {
        level: event.status >= 400 ? 'warn' : 'info',
        text: `${event.method} ${event.url} → ${event.status} in ${event.durationMs} ms${event.traceId ? ` · trace ${event.traceId}` : ''} (${event.operationId})`,
      };
    case 'retry':
      return { level: 'warn', text: `${event.method} ${event.url}: ${event.reason}, retrying in ${event.delayMs} ms (attempt ${event.attempt})` };
    case 'throttle':
      return { level: 'trace', text: `${event.operationId} waited ${event.waitMs} ms for the rate limit` };
    case 'token':
      if (event.phase === 'request') return { level: 'trace', text: `POST ${event.url} (token request)` };
      if (event.phase === 'response') {
        return {
          level: 'info',
          text: `POST ${event.url} → ${event.status ?? 200} in ${event.durationMs ?? 0} ms (new token, expires in ${event.expiresInSeconds ?? '?'} s)`,
        };
      }
      return { level: 'error', text: `POST ${event.url} → ${event.status ?? 'no answer'}: ${event.message ?? 'token request failed'}` };
    case 'error':
      return {
        level: 'error',
        text: `${event.method} ${event.url} failed after ${event.durationMs} ms${event.status ? ` (${event.status})` : ''}: ${event.message}${event.traceId ? ` · trace ${event.traceId}` : ''}`,
      };
  }
}
