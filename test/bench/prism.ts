/**
 * The sandbox against the Prism mock server (@stoplight/prism-cli 5.14.2) on the official
 * document, on the same route: `GET …/customers?page=1&pageSize=50`, N sequential calls each
 * side through plain `undici.request` after a warm-up, in interleaved rounds so a slow spell of
 * the machine hits both alike. Both servers run as child processes without request logging.
 *
 * What Prism needs to answer 200: both security schemes of the operation present (an
 * `Authorization: Bearer …` header for `oauth` and `ST-App-Key` for `apiKeyHeader`; it checks
 * presence, not validity), and the path as the document's `paths` spell it, without the servers'
 * `/crm/v2` base path. It answers the document's static example (one customer), `--errors false`
 * (its default) so the example's own schema violations are reported in a header, not as a 500.
 * Static rather than `--dynamic`: a fixed answer, no faker time per call.
 */
import * as path from 'node:path';
import { ROOT } from '../host/codeServer';
import { send } from './benchHttp';
import { freePort, spawnChild, waitFor } from './childProcesses';
import { startSandboxProcess } from './sandboxProcess';
import { median, percentile } from './stats';

export const PRISM_VERSION = '5.14.2';
const PRISM_CLI = path.join(ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
const DOCUMENT = path.join(ROOT, 'openapi', 'tenant-crm-v2.2026-05.json');
const ROUTE = 'customers?page=1&pageSize=50';

export interface ServerSide {
  medianMs: number;
  p95Ms: number;
  callsPerSecond: number;
  /** Body size of one answer: the two servers do not answer the same amount. */
  bodyBytes: number;
  /** Customers in one answer. */
  items: number;
}

export interface PrismComparison {
  calls: number;
  sandbox: ServerSide;
  prism: ServerSide;
  prismStartMs: number;
}

export async function measurePrismVsSandbox(calls = 1000): Promise<PrismComparison> {
  const sandbox = await startSandboxProcess(['--customers', '1000']);
  const port = await freePort();
  const started = performance.now();
  const prism = spawnChild(process.execPath, [
    PRISM_CLI,
    'mock',
    DOCUMENT,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--errors',
    'false',
    '--verboseLevel',
    'silent',
  ]);
  try {
    const prismUrl = `http://127.0.0.1:${port}/tenant/${sandbox.tenant}/${ROUTE}`;
    const prismHeaders = { authorization: 'Bearer prism-checks-presence-only', 'st-app-key': 'prism-checks-presence-only' };
    // Silent, so readiness is the first answer to a real call.
    await waitFor(prism, `Prism ${PRISM_VERSION}`, async () => {
      try {
        return (await send(prismUrl, { headers: prismHeaders })).status === 200 ? true : undefined;
      } catch {
        return undefined;
      }
    });
    const prismStartMs = performance.now() - started;
    const sides = {
      sandbox: { url: `${sandbox.apiBase}/${ROUTE}`, headers: sandbox.headers, samples: [] as number[], totalMs: 0, bodyBytes: 0, items: 0 },
      prism: { url: prismUrl, headers: prismHeaders, samples: [] as number[], totalMs: 0, bodyBytes: 0, items: 0 },
    };
    for (const side of Object.values(sides)) {
      for (let i = 0; i < Math.min(200, calls); i++) {
        const answer = await send(side.url, { headers: side.headers });
        if (answer.status !== 200) throw new Error(`warm-up ${side.url}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
        side.bodyBytes = Buffer.byteLength(answer.text);
        side.items = (JSON.parse(answer.text) as { data: unknown[] }).data.length;
      }
    }
    const rounds = 10;
    for (let round = 0; round < rounds; round++) {
      for (const side of Object.values(sides)) {
        const roundStarted = performance.now();
        for (let i = 0; i < calls / rounds; i++) {
          const answer = await send(side.url, { headers: side.headers });
          if (answer.status !== 200) throw new Error(`${side.url}: HTTP ${answer.status}`);
          side.samples.push(answer.ms);
        }
        side.totalMs += performance.now() - roundStarted;
      }
    }
    const figures = (side: (typeof sides)['sandbox']): ServerSide => ({
      medianMs: median(side.samples),
      p95Ms: percentile(side.samples, 95),
      callsPerSecond: (side.samples.length / side.totalMs) * 1000,
      bodyBytes: side.bodyBytes,
      items: side.items,
    });
    return { calls: sides.sandbox.samples.length, sandbox: figures(sides.sandbox), prism: figures(sides.prism), prismStartMs };
  } finally {
    await prism.stop();
    await sandbox.close();
  }
}
