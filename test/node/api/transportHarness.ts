// Shared helpers for the transport tests: a running sandbox, transports wired to it, and tiny
// loopback servers for shapes the sandbox never produces. Real HTTP everywhere, no mocked fetch.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import * as z from 'zod';
import { startSandbox } from '../../../sandbox';
import { customEnvironment, type Environment } from '../../../src/api/environments';
import type { CrmEvent } from '../../../src/api/events';
import { pageSchema } from '../../../src/api/paging';
import { resetSharedBuckets } from '../../../src/api/rateLimit';
import type { CrmRequest } from '../../../src/api/request';
import { createTransport, type CrmTransport, type TransportOptions } from '../../../src/api/transport';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
export type SandboxOptions = Parameters<typeof startSandbox>[0];

export async function sandbox(options: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  resetSharedBuckets();
  return startSandbox({ port: 0, customers: 30, ...options });
}

export function sandboxEnvironment(sb: Sandbox): Environment {
  return customEnvironment(sb.url, `${sb.url}/connect/token`);
}

export interface Connected {
  transport: CrmTransport;
  events: CrmEvent[];
}

/** A transport for the sandbox with fast retries, collecting every event. */
export function connect(sb: Sandbox, overrides: Partial<TransportOptions> = {}): Connected {
  const events: CrmEvent[] = [];
  const transport = createTransport({
    environment: sandboxEnvironment(sb),
    tenant: sb.tenant,
    clientId: sb.credentials.clientId,
    clientSecret: sb.credentials.clientSecret,
    appKey: sb.credentials.appKey,
    rateLimitPerSecond: 1000,
    retryBaseDelayMs: 20,
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  return { transport, events };
}

export const customerSchema = z.looseObject({ id: z.number(), name: z.string() });
export const customerPage = pageSchema(customerSchema);

export function listCustomers(
  query: CrmRequest<unknown>['query'] = { page: 1, pageSize: 5 },
  extra: Partial<CrmRequest<unknown>> = {},
): CrmRequest<z.infer<typeof customerPage>> {
  return {
    operationId: 'Customers_GetList',
    method: 'GET',
    path: '/customers',
    query,
    response: customerPage,
    scope: 'tn.crm.customers:r',
    ...extra,
  } as CrmRequest<z.infer<typeof customerPage>>;
}

export const contactSchema = z.looseObject({ id: z.string(), name: z.string().nullish() });

export function createContact(name: string, extra: Partial<CrmRequest<unknown>> = {}): CrmRequest<z.infer<typeof contactSchema>> {
  return {
    operationId: 'Contacts_Create',
    method: 'POST',
    path: '/contacts',
    body: { name },
    response: contactSchema,
    scope: 'tn.crm.contacts:w',
    ...extra,
  } as CrmRequest<z.infer<typeof contactSchema>>;
}

/** Runs `fn` and returns what it threw (fails the test if it did not throw). */
export async function caught(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error: ${String(error)}`);
  }
  throw new Error('expected the call to throw');
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface Loopback {
  url: string;
  port: number;
  server: Server;
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

/** A throwaway HTTP server on 127.0.0.1 for bodies the sandbox never sends. */
export async function loopback(handler: Handler): Promise<Loopback> {
  const requests: Loopback['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback server whose token endpoint always works and whose API answers with `api`. */
export async function fakeApi(api: Handler): Promise<Loopback & { environment: Environment }> {
  const server = await loopback((req, res, body) => {
    if (req.url === '/connect/token') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: 'fake-token-abc123', expires_in: 900, token_type: 'Bearer' }));
      return;
    }
    api(req, res, body);
  });
  return { ...server, environment: customEnvironment(server.url, `${server.url}/connect/token`) };
}

export function fakeTransport(environment: Environment, overrides: Partial<TransportOptions> = {}): Connected {
  const events: CrmEvent[] = [];
  const transport = createTransport({
    environment,
    tenant: '1000',
    clientId: 'fake-client',
    clientSecret: 'fake-secret',
    appKey: 'fake-app-key',
    rateLimitPerSecond: 1000,
    retryBaseDelayMs: 10,
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  return { transport, events };
}

/** Everything a user or log could ever see of an error: message, stack and the inspected cause chain. */
export function everythingAbout(error: unknown): string {
  return `${inspect(error, { depth: 8 })}\n${error instanceof Error ? (error.stack ?? '') : ''}`;
}

export function ofType<K extends CrmEvent['type']>(events: CrmEvent[], type: K): Extract<CrmEvent, { type: K }>[] {
  return events.filter((event): event is Extract<CrmEvent, { type: K }> => event.type === type);
}
