/**
 * "Run against a fresh sandbox": an embedded CRM sandbox per suite, on a free loopback port, with
 * the suite's `sandbox` seed, customers and fault rules, and a connection to it through the real
 * transport (OAuth, the 60 calls/s limiter, redaction). Closed with the suite. Plain Node.
 */
import type { RunningSandbox } from '../../sandbox/types';
import { CrmClient } from '../api/client';
import { customEnvironment } from '../api/environments';
import type { CrmEvent } from '../api/events';
import { createTransport, type CrmTransport, type TransportOptions } from '../api/transport';
import type { WriteConnection } from '../writes/engine';
import type { LeasedConnection, SuiteConnections } from './runner';
import type { SuiteSandbox } from './suiteFile';

/** The profile name of a fresh sandbox's connection: its variables in stcrm.env.json go under this name. */
export const FRESH_SANDBOX_PROFILE = 'Fresh sandbox';

export interface FreshSandboxOptions {
  /** Calls per second of the transport; ServiceTitan's 60 by default. */
  rateLimitPerSecond?: number;
  /** The sandbox's request log (quiet by default). */
  log?: (line: string) => void;
  /** The transport's events (requests, retries, throttling). */
  onEvent?: (event: CrmEvent) => void;
  /** Called with each transport, so its secrets can be added to what output redacts. */
  onTransport?: (transport: CrmTransport) => void;
  /** The transport's timeout per attempt, and what its message offers besides trying again (TransportOptions). */
  timeoutMs?: number;
  timeoutHint?: string;
}

/** Where and as whom a transport reaches a running sandbox: its URLs, its tenant and its full-scope client. */
export function sandboxConnectionOptions(
  sandbox: Pick<RunningSandbox, 'url' | 'tenant' | 'credentials'>,
): Pick<TransportOptions, 'environment' | 'tenant' | 'clientId' | 'clientSecret' | 'appKey'> {
  return {
    environment: customEnvironment(sandbox.url, `${sandbox.url}/connect/token`),
    tenant: sandbox.tenant,
    clientId: sandbox.credentials.clientId,
    clientSecret: sandbox.credentials.clientSecret,
    appKey: sandbox.credentials.appKey,
  };
}

/** Starts a sandbox set up as `spec` says, and a connection to it; `close` stops both. */
export async function startSuiteSandbox(spec: SuiteSandbox | undefined, options: FreshSandboxOptions = {}): Promise<LeasedConnection> {
  // Loaded on the first fresh sandbox only: the extension's bundle keeps the sandbox in its own file.
  const { startSandbox } = await import('../../sandbox/index.js');
  const sandbox = await startSandbox({
    port: 0,
    ...(spec?.seed !== undefined ? { seed: spec.seed } : {}),
    ...(spec?.customers !== undefined ? { customers: spec.customers } : {}),
    faults: spec?.faults ?? [],
    ...(options.log ? { log: options.log } : {}),
  });
  const transport = createTransport({
    ...sandboxConnectionOptions(sandbox),
    rateLimitPerSecond: options.rateLimitPerSecond ?? 60,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.timeoutHint !== undefined ? { timeoutHint: options.timeoutHint } : {}),
  });
  options.onTransport?.(transport);
  const connection: WriteConnection = {
    profile: { id: 'fresh-sandbox', name: FRESH_SANDBOX_PROFILE, tenant: sandbox.tenant, production: false },
    client: new CrmClient(transport),
    describe: (request) => transport.describe(request),
  };
  return {
    connection,
    close: async () => {
      await transport.close();
      await sandbox.close();
    },
  };
}

/** A fresh sandbox for each suite of a run (runSuites' `connections`). */
export function freshSandboxPerSuite(options: FreshSandboxOptions = {}): SuiteConnections {
  return { kind: 'perSuite', open: (suite) => startSuiteSandbox(suite.sandbox, options) };
}
