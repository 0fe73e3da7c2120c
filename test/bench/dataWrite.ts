/**
 * What one write costs with `--data` (the sandbox persisting every acknowledged write): the
 * median of sequential PATCHes of customer names (after warm-up writes) on a sandbox child process
 * with a fresh data file, and again after many creates, which make the persisted data grow. Creates stop at a time
 * budget so that a slow persistence still gives a figure within the bench's few minutes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bodyOf, jsonBody, send } from './benchHttp';
import { startSandboxProcess, type SandboxProcess } from './sandboxProcess';
import { median } from './stats';

export interface WriteCost {
  customers: number;
  writes: number;
  /** Median PATCH /customers/{id}, request to answer. */
  writeMs: number;
  dataBytes: number;
  afterCreates?: {
    creates: number;
    /** True when the time budget ended the creates before their number. */
    stoppedByBudget: boolean;
    /** Median of the last 100 creates: what a create costs by then. */
    createMs: number;
    writeMs: number;
    dataBytes: number;
  };
}

/** Writes before the measured ones: the first few cost several times more while the sandbox's code warms up. */
const WARM_UP_WRITES = 20;

/** Each write changes a customer no write has changed before: `ids` holds one per write. */
async function patchWrites(sandbox: SandboxProcess, ids: readonly number[], tag: string): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    const answer = await send(`${sandbox.apiBase}/customers/${id}`, { method: 'PATCH', ...jsonBody(sandbox.headers, { name: `Bench ${tag} ${i}` }) });
    bodyOf<unknown>(answer, `PATCH /customers/${id}`);
    if (i >= WARM_UP_WRITES) samples.push(answer.ms);
  }
  return median(samples);
}

/** Bytes of everything the sandbox keeps in its data directory (the file and whatever sits beside it). */
function bytesIn(dir: string): number {
  return fs.readdirSync(dir).reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);
}

export async function measureDataWrites(customers: number, options: { writes?: number; creates?: number; createBudgetMs?: number } = {}): Promise<WriteCost> {
  const writes = options.writes ?? 20;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stcrm-bench-data-'));
  const sandbox = await startSandboxProcess(['--customers', String(customers), '--data', path.join(dir, 'sandbox-data.json')]);
  try {
    const perRound = WARM_UP_WRITES + writes;
    const page = bodyOf<{ data: Array<{ id: number }> }>(
      await send(`${sandbox.apiBase}/customers?pageSize=${2 * perRound}`, { headers: sandbox.headers }),
      'GET /customers',
    );
    const ids = page.data.map((c) => c.id);
    if (ids.length < 2 * perRound) throw new Error(`${customers} customers: too few for ${2 * perRound} writes to distinct customers`);
    const result: WriteCost = { customers, writes, writeMs: await patchWrites(sandbox, ids.slice(0, perRound), 'first'), dataBytes: bytesIn(dir) };
    if (options.creates) {
      const deadline = performance.now() + (options.createBudgetMs ?? 60_000);
      const createSamples: number[] = [];
      const address = { street: '1 Bench St', city: 'Glendale', state: 'CA', zip: '91201', country: 'USA' };
      while (createSamples.length < options.creates && performance.now() < deadline) {
        const name = `Bench Create ${createSamples.length}`;
        const answer = await send(`${sandbox.apiBase}/customers`, {
          method: 'POST',
          ...jsonBody(sandbox.headers, { name, address, locations: [{ name, address }] }),
        });
        bodyOf<unknown>(answer, 'POST /customers');
        createSamples.push(answer.ms);
      }
      result.afterCreates = {
        creates: createSamples.length,
        stoppedByBudget: createSamples.length < options.creates,
        createMs: median(createSamples.slice(-100)),
        writeMs: await patchWrites(sandbox, ids.slice(perRound), 'later'),
        dataBytes: bytesIn(dir),
      };
    }
    return result;
  } finally {
    await sandbox.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
