/**
 * The client's cost per call against plain `undici.request` to the same sandbox route, measured
 * in one run: rounds of 1,000 sequential GETs of a 50-customer page each way, after a warm-up of
 * both. Each round runs the two sides in alternating blocks (raw first, then client first, …) so
 * that a slow spell of the machine or a garbage collection falls on both alike; the result is the
 * round with the median ratio. The raw side does what any caller must: send the same headers on
 * a kept-alive connection, read the body and JSON.parse it. Beside the wall time it takes the
 * process's CPU time of each block: the sandbox runs in this process, so that ratio is of the
 * whole work per call, and other load on the machine does not stretch it.
 */
import { request } from 'undici';
import { CrmClient } from '../../src/api/client';
import { sandboxConnectionOptions } from '../../src/suites/freshSandbox';
import { createTransport } from '../../src/api/transport';
import { startSandbox } from '../../sandbox';
import { sandboxToken } from './benchHttp';

export interface OverheadRound {
  rawMs: number;
  clientMs: number;
  rawCpuMs: number;
  clientCpuMs: number;
}

export interface OverheadResult {
  /** Calls per side per round. */
  calls: number;
  /** The round with the median client/raw ratio. */
  clientMs: number;
  rawMs: number;
  /** Median over the rounds of client/raw (wall time). */
  ratio: number;
  /** Median over the rounds of client/raw CPU time of this process (client, undici and the sandbox). */
  cpuRatio: number;
  rounds: OverheadRound[];
}

const BLOCK = 50;
const WARM_UP = 200;

export async function measureClientOverhead(calls = 1000, roundCount = 7): Promise<OverheadResult> {
  const sandbox = await startSandbox({ port: 0, customers: 1000 });
  const { clientId, clientSecret, appKey } = sandbox.credentials;
  // The limiter is what ServiceTitan demands, not overhead: measure the client without waiting on it.
  const transport = createTransport({
    ...sandboxConnectionOptions(sandbox),
    rateLimitPerSecond: 1_000_000,
  });
  const client = new CrmClient(transport);
  try {
    const token = await sandboxToken(sandbox.url, clientId, clientSecret);
    const url = `${sandbox.url}/crm/v2/tenant/${sandbox.tenant}/customers?page=1&pageSize=50`;
    const headers = { authorization: `Bearer ${token}`, 'st-app-key': appKey, accept: 'application/json' };
    const raw = async (): Promise<void> => {
      const response = await request(url, { headers });
      JSON.parse(await response.body.text());
    };
    const viaClient = async (): Promise<void> => {
      await client.listCustomers({ page: 1, pageSize: 50 });
    };
    const block = async (call: () => Promise<void>, count: number): Promise<{ ms: number; cpuMs: number }> => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (let i = 0; i < count; i++) await call();
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      return { ms, cpuMs: (used.user + used.system) / 1000 };
    };

    for (let i = 0; i < WARM_UP; i++) {
      await raw();
      await viaClient();
    }
    const rounds: OverheadRound[] = [];
    for (let r = 0; r < roundCount; r++) {
      const round: OverheadRound = { rawMs: 0, clientMs: 0, rawCpuMs: 0, clientCpuMs: 0 };
      const addRaw = async (count: number): Promise<void> => {
        const { ms, cpuMs } = await block(raw, count);
        round.rawMs += ms;
        round.rawCpuMs += cpuMs;
      };
      const addClient = async (count: number): Promise<void> => {
        const { ms, cpuMs } = await block(viaClient, count);
        round.clientMs += ms;
        round.clientCpuMs += cpuMs;
      };
      for (let done = 0, b = 0; done < calls; done += BLOCK, b++) {
        const count = Math.min(BLOCK, calls - done);
        // ABBA: whichever side goes second in one pair goes first in the next.
        if ((b + r) % 2 === 0) {
          await addRaw(count);
          await addClient(count);
        } else {
          await addClient(count);
          await addRaw(count);
        }
      }
      rounds.push(round);
    }
    const byRatio = [...rounds].sort((a, b) => a.clientMs / a.rawMs - b.clientMs / b.rawMs);
    const middle = byRatio[Math.floor(byRatio.length / 2)] ?? { rawMs: 0, clientMs: 0 };
    const cpuRatios = rounds.map((round) => round.clientCpuMs / round.rawCpuMs).sort((a, b) => a - b);
    return {
      calls,
      clientMs: middle.clientMs,
      rawMs: middle.rawMs,
      ratio: middle.clientMs / middle.rawMs,
      cpuRatio: cpuRatios[Math.floor(cpuRatios.length / 2)] ?? 0,
      rounds,
    };
  } finally {
    await transport.close();
    await sandbox.close();
  }
}
