/**
 * The VS Code face of the one write pipeline (src/writes/engine.ts): it reads the active
 * connection once per write, asks with the modal (`confirmWriteModal`), publishes record changes
 * to the views and shows progress. Every write command, form and request file goes through it.
 */
import * as vscode from 'vscode';
import { isCrmError } from '../api/errors';
import { UserCancelled } from '../common/commands';
import type { Log } from '../common/log';
import type { RecordChanges } from '../model/recordChanges';
import type { ActiveConnection, ConnectionManager } from '../profiles/connection';
import { isProductionProfile } from '../profiles/profiles';
import { describeCandidates } from '../writes/candidates';
import { confirmationText } from '../writes/confirmation';
import type { RunOptions, WriteConfirmation, WriteConnection, WriteOutcome } from '../writes/engine';
import type { WritePlan } from '../writes/plan';

/** The engine, with its lost-answer recovery, loads with the first write, not on activation (scripts/build.mjs). */
const writeEngine = (): Promise<typeof import('../writes/engine.js')> => import('../writes/engine.js');

/**
 * The one confirmation before a write: a modal that names the profile, the tenant, and each call
 * with its method, exact URL and body. True only when the user presses its yes button.
 */
export async function confirmWriteModal(confirmation: WriteConfirmation): Promise<boolean> {
  const text = confirmationText(confirmation);
  const choice = await vscode.window.showWarningMessage(text.message, { modal: true, detail: text.detail }, text.button);
  return choice === text.button;
}

/** How a write asks for a yes. The modal by default; tests put an answering one here. */
export interface WriteUi {
  confirm(confirmation: WriteConfirmation): Promise<boolean>;
}

/** The profile the write was started for is no longer the active one. */
export class ProfileChangedError extends Error {
  constructor() {
    super('The active ServiceTitan profile changed since this was opened: switch back to that profile, or start again.');
    this.name = 'ProfileChangedError';
  }
}

export function writeConnectionOf(active: ActiveConnection): WriteConnection {
  const { profile, client, transport } = active;
  return {
    profile: { id: profile.id, name: profile.name, tenant: profile.tenant, production: isProductionProfile(profile) },
    client,
    describe: (request) => transport.describe(request),
  };
}

export interface PerformOptions extends Omit<RunOptions, 'signal'> {
  /** The connection to use; by default the active one, read now. */
  connection?: WriteConnection;
  /** Progress notification title while the calls run. */
  progressTitle?: string;
}

export class WritePipeline {
  ui: WriteUi = { confirm: confirmWriteModal };

  constructor(
    private readonly connections: ConnectionManager,
    private readonly records: RecordChanges,
    private readonly log: Log,
  ) {}

  /** The connection one write uses, read once. With `profileId`, it must still be that profile. */
  async connection(profileId?: string): Promise<WriteConnection> {
    const active = await this.connections.require();
    if (profileId !== undefined && active.profile.id !== profileId) throw new ProfileChangedError();
    return writeConnectionOf(active);
  }

  /** Runs a plan and returns its outcome as it is: for surfaces that show each outcome themselves (forms). */
  async run<R>(connection: WriteConnection, plan: WritePlan<R>, options: RunOptions & { onStep?: (label: string) => void } = {}): Promise<WriteOutcome<R>> {
    const { onStep, ...rest } = options;
    const { runWrite } = await writeEngine();
    return runWrite(
      connection,
      plan,
      {
        confirm: (confirmation) => this.ui.confirm(confirmation),
        publish: (change) => this.records.publish(change),
        onStep,
        onChangeError: (error) => this.log.error('Showing a written record failed', error),
      },
      rest,
    );
  }

  /**
   * Runs a plan with a cancellable progress notification (shown once the first call goes out,
   * never behind the confirmation), and returns its outcome.
   */
  async runWithProgress<R>(plan: WritePlan<R>, options: PerformOptions = {}): Promise<WriteOutcome<R>> {
    const { connection, progressTitle, ...rest } = options;
    const target = connection ?? (await this.connection());
    const aborter = new AbortController();
    let finish: (() => void) | undefined;
    const started = new Promise<void>((resolve) => (finish = resolve));
    let showing = false;
    const onStep = (label: string): void => {
      if (showing) return;
      showing = true;
      const options = { location: vscode.ProgressLocation.Notification, title: progressTitle ?? `${label}…`, cancellable: true };
      void vscode.window.withProgress(options, async (_progress, token): Promise<void> => {
        const subscription = token.onCancellationRequested(() => aborter.abort());
        try {
          await started;
        } finally {
          subscription.dispose();
        }
      });
    };
    try {
      return await this.run(target, plan, { ...rest, onStep, signal: aborter.signal });
    } finally {
      finish?.();
    }
  }

  /** Runs a plan for callers that want its result or an error (argument objects, deletes, archive). */
  async perform<R>(plan: WritePlan<R>, options: PerformOptions = {}): Promise<R> {
    return resultOf(await this.runWithProgress(plan, options));
  }
}

/** A write's result, or the error that says what happened: declined is a silent cancel. */
export function resultOf<R>(outcome: WriteOutcome<R>): R {
  switch (outcome.status) {
    case 'done':
      return outcome.result;
    case 'declined':
      throw new UserCancelled();
    case 'failed': {
      // Nothing done: the error as it came (a ProblemError keeps its fields for the caller).
      if (!outcome.done) throw outcome.error;
      const why = isCrmError(outcome.error) || outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      throw new Error(`${outcome.step.label} failed: ${why} ${outcome.done}`, { cause: outcome.error });
    }
    case 'maybeCreated': {
      const found = describeCandidates(outcome.candidates);
      const first = found[0];
      const what = first
        ? `Found ${found.length === 1 ? 'one that matches' : `${found.length} that match`}: ${first.label} (${first.detail}).`
        : outcome.lookupError
          ? `Could not check whether it was created (${outcome.lookupError}).`
          : 'Nothing matching was found (yet).';
      throw new Error(
        `${outcome.step.label}: the answer was lost (${outcome.lost.reason}), so it may have been created. ${what} Check ServiceTitan before you run it again.${outcome.done ? ` ${outcome.done}` : ''}`,
      );
    }
  }
}
