/**
 * The agent tools, one implementation for both surfaces (VS Code's language-model tools and the
 * `stcrm mcp` server): check the input, then either run a read or prepare a write. A prepared
 * write holds the exact calls it will send (for the surface's confirmation) and a fingerprint that
 * binds an approval to them; it runs through the one write pipeline (the surface's runner around
 * `runWrite`), so the production guard, resume after a failed step and the lost-answer rule hold.
 * No vscode import.
 */
import type { CrmClient } from '../api/client';
import { nestsDeeperThan } from '../api/jsonDepth';
import type { RawExchange } from '../api/request';
import { CRM_OPERATIONS } from '../api/schemas/operations';
import { describeCandidates } from '../writes/candidates';
import {
  lookForLostCreate,
  plannedCalls,
  type LostCreate,
  type RunOptions,
  type StoppedAt,
  type WriteConfirmation,
  type WriteConnection,
  type WriteOutcome,
} from '../writes/engine';
import type { WritePlan, WriteProgress } from '../writes/plan';
import { newContactPlan, operationPlan, type NewContactResult } from '../writes/recordPlans';
import { callReadOperation, exchangeResult, findCustomers, getCustomer } from './readTools';
import { pathValues, prototypeKeys } from './callInput';
import { parseToolInput, type ToolInput } from './toolInputs';
import type { AgentToolName } from './toolNames';
import { errorResult, invalidInputResult, type ToolResult } from './toolResults';

/** The deepest tool input taken, as deep as a request file may nest (requests/requestFile.ts). */
export const MAX_INPUT_DEPTH = 64;

/** Runs a plan through the surface's write pipeline (VS Code's WritePipeline, or runWrite in the CLI). */
export type WriteRunner = <R>(plan: WritePlan<R>, options: RunOptions) => Promise<WriteOutcome<R>>;

/** A write, checked and ready: what it sends, and how to send it once approved. */
export interface PreparedWrite {
  tool: AgentToolName;
  confirmation: WriteConfirmation;
  /** The same for the same calls to the same profile and tenant: an approval binds to it. */
  fingerprint: string;
  /** Sends it (after the surface's approval), continuing what an earlier run of the same input did. */
  run(runner: WriteRunner, options: { productionConfirmed: boolean; signal?: AbortSignal }): Promise<ToolResult>;
}

/** What a call means: an `answer` with nothing to send (bad input, a refusal), a `read` to run, or a `write` to confirm first. */
export type PreparedToolCall =
  { kind: 'answer'; result: ToolResult } | { kind: 'read'; run(signal?: AbortSignal): Promise<ToolResult> } | { kind: 'write'; write: PreparedWrite };

export interface PrepareOptions {
  connection: WriteConnection;
  sessions: WriteSessions;
  /** Why this surface writes nothing now (a setting, a missing flag); undefined when it may write. */
  writesRefused?: string;
}

/** Checks a tool's input and says what calling it means: an answer, a read, or a write to confirm. */
export function prepareToolCall(tool: AgentToolName, raw: unknown, options: PrepareOptions): PreparedToolCall {
  // Before any check or JSON.stringify walks it: a deeper value would overflow the stack there.
  if (nestsDeeperThan(raw, MAX_INPUT_DEPTH)) {
    const message = `Objects and arrays nest more than ${MAX_INPUT_DEPTH} levels deep here; no CRM request nests that deep: send a flatter value.`;
    return { kind: 'answer', result: invalidInputResult(tool, [{ field: '', message, location: 'body', path: [] }]) };
  }
  const hidden = prototypeKeys(raw);
  if (hidden.length > 0) return { kind: 'answer', result: invalidInputResult(tool, hidden) };
  const client = options.connection.client;
  switch (tool) {
    case 'stcrm_findCustomers':
      return read(tool, raw, (input, signal) => findCustomers(client, input, signal));
    case 'stcrm_getCustomer':
      return read(tool, raw, (input, signal) => getCustomer(client, input, signal));
    case 'stcrm_callOperation': {
      const parsed = parseToolInput(tool, raw);
      if (!parsed.ok) return { kind: 'answer', result: invalidInputResult(tool, parsed.issues) };
      const values = pathValues(parsed.value.operation, parsed.value.path);
      if (!values.ok) return { kind: 'answer', result: invalidInputResult(tool, values.issues) };
      const input = { ...parsed.value, ...(values.path ? { path: values.path } : {}) };
      if (CRM_OPERATIONS[input.operation].method === 'GET')
        return { kind: 'read', run: (signal) => guarded(input.operation, () => callReadOperation(client, input, signal)) };
      if (options.writesRefused) return refused(tool, `${input.operation} changes data, and ${options.writesRefused}`);
      return prepareWrite(tool, input, options, operationPlan(input.operation, { path: input.path, query: input.query, body: input.body }), {
        render: (result: RawExchange<unknown>) => exchangeResult(result),
      });
    }
    case 'stcrm_createContact': {
      if (options.writesRefused) return refused(tool, options.writesRefused);
      const parsed = parseToolInput(tool, raw);
      if (!parsed.ok) return { kind: 'answer', result: invalidInputResult(tool, parsed.issues) };
      const input = parsed.value;
      if (input.name.trim() === '')
        return {
          kind: 'answer',
          result: invalidInputResult(tool, [{ field: 'name', message: "name is required: enter the person's name.", location: 'body', path: ['name'] }]),
        };
      const plan = newContactPlan({
        person: {
          name: input.name,
          ...(input.title !== undefined ? { title: input.title } : {}),
          ...(input.referenceId !== undefined ? { referenceId: input.referenceId } : {}),
        },
        customer: input.customerId === undefined ? undefined : { id: input.customerId },
        methods: (input.contactMethods ?? []).map((body, index) => ({ key: `method${index}`, body })),
      });
      // Body fields of the person are the tool's own fields; a method's are under contactMethods[i].
      return prepareWrite(tool, input, options, plan, { render: createdResult, bodyAt: (step) => [...step.base] });
    }
  }
}

function read<N extends AgentToolName>(tool: N, raw: unknown, run: (input: ToolInput<N>, signal?: AbortSignal) => Promise<ToolResult>): PreparedToolCall {
  const parsed = parseToolInput(tool, raw);
  if (!parsed.ok) return { kind: 'answer', result: invalidInputResult(tool, parsed.issues) };
  return { kind: 'read', run: (signal) => guarded(tool, () => run(parsed.value, signal)) };
}

async function guarded(what: string, run: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await run();
  } catch (error) {
    return errorResult(what, error);
  }
}

function refused(tool: AgentToolName, why: string): PreparedToolCall {
  return { kind: 'answer', result: { text: `${tool} was not run, and nothing was sent: ${why}.`, data: { notSent: true, refused: true }, isError: true } };
}

function createdResult(result: NewContactResult): ToolResult {
  return {
    text: `${result.message} The new contact's id is ${result.contactId}.`,
    data: { contactId: result.contactId, contact: result.contact, contactMethods: result.methods },
  };
}

interface WriteShape<R> {
  render(result: R): ToolResult;
  /** Where a step's body sits in the tool input; undefined: stcrm_callOperation's `path`/`query`/`body`. */
  bodyAt?(step: StoppedAt): readonly (string | number)[];
}

function prepareWrite<R>(tool: AgentToolName, input: object, options: PrepareOptions, plan: WritePlan<R>, shape: WriteShape<R>): PreparedToolCall {
  const { connection, sessions } = options;
  const key = JSON.stringify([tool, connection.profile.id, connection.profile.tenant, input]);
  const session = sessions.peek(key);
  const planned = plannedCalls(connection, plan, session?.progress);
  if (!planned.ok) return { kind: 'answer', result: errorResult(`${tool} (${planned.step.label})`, planned.error, shape.bodyAt?.(planned.step)) };
  const confirmation: WriteConfirmation = { title: plan.title, profile: connection.profile, calls: planned.calls };
  const { profile } = connection;
  const fingerprint = JSON.stringify([
    tool,
    profile.id,
    profile.tenant,
    profile.production,
    planned.calls.map((call) => [call.operationId, call.method, call.url, call.body ?? null]),
  ]);
  return {
    kind: 'write',
    write: {
      tool,
      confirmation,
      fingerprint,
      run: async (runner, runOptions) => {
        const entry = sessions.entry(key);
        try {
          if (entry.lost) return await lookAgain(connection.client, tool, entry.lost, sessions, key, runOptions.signal);
          const outcome = await runner(plan, { progress: entry.progress, productionConfirmed: runOptions.productionConfirmed, signal: runOptions.signal });
          return outcomeResult(tool, outcome, shape, sessions, key);
        } catch (error) {
          return errorResult(tool, error);
        }
      },
    },
  };
}

function outcomeResult<R>(tool: AgentToolName, outcome: WriteOutcome<R>, shape: WriteShape<R>, sessions: WriteSessions, key: string): ToolResult {
  switch (outcome.status) {
    case 'done':
      sessions.delete(key);
      return shape.render(outcome.result);
    case 'declined':
      sessions.delete(key);
      return { text: `The user declined ${tool}: nothing was sent.`, data: { notSent: true, declined: true }, isError: true };
    case 'failed': {
      // Keep what was done, so the same call continues from the step that failed.
      if (!outcome.done) sessions.delete(key);
      const result = errorResult(`${tool} (${outcome.step.label})`, outcome.error, shape.bodyAt?.(outcome.step));
      return outcome.done ? { ...result, text: `${result.text}\n${outcome.done}` } : result;
    }
    case 'maybeCreated': {
      sessions.entry(key).lost = outcome.lost;
      const found = describeCandidates(outcome.candidates);
      const what =
        found.length > 0
          ? `Found ${found.length} that may be it:\n${found.map((item) => `- ${item.label} (${item.detail})`).join('\n')}`
          : outcome.lookupError
            ? `Could not check whether it was made (${outcome.lookupError}).`
            : 'Nothing matching was found yet.';
      return {
        text: `${tool}: ${outcome.step.label}: the answer was lost (${outcome.lost.reason}), so it may have been created. ${what}\nTell the user, and do not send it again blindly: calling ${tool} again with the same input looks again first and sends nothing.${outcome.done ? `\n${outcome.done}` : ''}`,
        data: { maybeCreated: true, candidates: found.map((item) => item.record) },
        isError: true,
      };
    }
  }
}

/** After a lost answer, the same write looks again instead of sending: found means made; nothing found lets the next call send. */
async function lookAgain(
  client: CrmClient,
  tool: AgentToolName,
  lost: LostCreate,
  sessions: WriteSessions,
  key: string,
  signal?: AbortSignal,
): Promise<ToolResult> {
  const looked = await lookForLostCreate(client, lost, signal);
  const found = describeCandidates(looked.candidates);
  if (looked.lookupError)
    return { text: `${tool}: nothing was sent. Could not look for what the lost call made (${looked.lookupError}); try again in a moment.`, isError: true };
  sessions.delete(key);
  if (found.length > 0) {
    return {
      text: `${tool}: nothing was sent again. The earlier call was received: found ${found.map((item) => `${item.label} (${item.detail})`).join('; ')}.`,
      data: { notSent: true, found: found.map((item) => item.record) },
    };
  }
  return {
    text: `${tool}: nothing was sent. Looked again for what the earlier call (whose answer was lost) may have made, and found nothing. If the user still wants it, call ${tool} again with the same input to send it.`,
    data: { notSent: true, found: [] },
    isError: true,
  };
}

// ---- what earlier runs of a write did ------------------------------------------------------------

interface WriteSession {
  progress: WriteProgress;
  lost?: LostCreate;
  touched: number;
}

/**
 * What earlier runs of each write did, by tool, profile and input: the steps done (so the same
 * call continues from the one that failed) and a create whose answer was lost (so the same call
 * looks before it sends). Bounded: the oldest go first, and none lives past an hour.
 */
export class WriteSessions {
  private readonly sessions = new Map<string, WriteSession>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 50,
    private readonly ttlMs = 60 * 60_000,
  ) {}

  peek(key: string): WriteSession | undefined {
    this.expire();
    return this.sessions.get(key);
  }

  entry(key: string): WriteSession {
    this.expire();
    let session = this.sessions.get(key);
    if (!session) {
      session = { progress: new Map(), touched: this.now() };
      this.sessions.set(key, session);
      while (this.sessions.size > this.maxEntries) this.sessions.delete(this.sessions.keys().next().value as string);
    }
    session.touched = this.now();
    return session;
  }

  delete(key: string): void {
    this.sessions.delete(key);
  }

  private expire(): void {
    const oldest = this.now() - this.ttlMs;
    for (const [key, session] of this.sessions) if (session.touched < oldest) this.sessions.delete(key);
  }
}
