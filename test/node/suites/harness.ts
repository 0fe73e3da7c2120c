// Shared helpers for the suite tests: suites from objects, a connection to a sandbox, and an
// event recorder. Real HTTP everywhere (the sandbox), no mocked fetch.
import assert from 'node:assert/strict';
import { CrmClient } from '../../../src/api/client';
import type { CrmTransport } from '../../../src/api/transport';
import type { SuiteEvent } from '../../../src/suites/runner';
import { parseSuite, type Suite } from '../../../src/suites/suiteFile';
import type { BuiltIns } from '../../../src/suites/templates';
import type { WriteConnection } from '../../../src/writes/engine';
import { connect, type Sandbox } from '../api/transportHarness';

/** A suite from an object (pretty-printed, so locations fall on lines), failing the test when it does not parse. */
export function suiteOf(doc: unknown, file = 'test.stcrm-suite.json'): Suite {
  const parsed = parseSuite(`${JSON.stringify(doc, null, 2)}\n`, file);
  assert.ok(parsed.ok, `the suite parses: ${parsed.ok ? '' : JSON.stringify(parsed.problems, null, 1)}`);
  return parsed.suite;
}

/** 1-based line and column of the first occurrence of `needle` in the suite's text. */
export function lineColumnOf(suite: Suite, needle: string, occurrence = 0): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = suite.source.text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} is in the suite`);
  const before = suite.source.text.slice(0, at);
  return { line: before.split('\n').length, column: at - (before.lastIndexOf('\n') + 1) + 1 };
}

export interface Connected {
  connection: WriteConnection;
  transport: CrmTransport;
  client: CrmClient;
}

export function sandboxConnection(sb: Sandbox, production = false): Connected {
  const { transport } = connect(sb);
  const client = new CrmClient(transport);
  return {
    transport,
    client,
    connection: {
      profile: { id: 'test', name: production ? 'Live copy' : 'Sandbox', tenant: sb.tenant, production },
      client,
      describe: (request) => transport.describe(request),
    },
  };
}

/** `type name` of each event, in order (`stepPassed create person`). */
export function eventLog(events: readonly SuiteEvent[]): string[] {
  return events.map((event) => ('step' in event ? `${event.type} ${event.step.name}` : `${event.type} ${event.suite.name}`));
}

/** Built-ins that give the same values every run. */
export function fixedBuiltIns(env: Record<string, string> = {}): BuiltIns {
  let uuid = 0;
  return {
    env: (name) => env[name],
    now: () => new Date('2026-03-04T05:06:07.000Z'),
    uuid: () => `00000000-0000-4000-8000-${String(++uuid).padStart(12, '0')}`,
    randomInt: (min) => min,
  };
}
