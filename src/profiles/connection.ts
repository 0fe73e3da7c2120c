import * as vscode from 'vscode';
import { CrmClient } from '../api/client';
import { customEnvironment, INTEGRATION, PRODUCTION, type Environment } from '../api/environments';
import { ForbiddenError, ProblemError } from '../api/errors';
import { createTransport, type CrmTransport } from '../api/transport';
import { affectsConnection, readSettings, REQUEST_TIMEOUT_HINT } from '../common/config';
import { Disposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import { formatEvent } from '../common/requestLog';
import type { SandboxHost } from './sandboxHost';
import type { Profile, ProfileSecrets, ProfileStore } from './profiles';

/** A profile with its secrets and concrete URLs: everything needed to open a transport. */
export interface ResolvedProfile {
  profile: Profile;
  secrets: ProfileSecrets;
  environment: Environment;
}

export interface ActiveConnection extends ResolvedProfile {
  client: CrmClient;
  transport: CrmTransport;
}

/**
 * Owns the transport for the active profile. It is rebuilt when the profile, its secrets
 * (also from another window), the sandbox or the connection settings change, and listeners
 * of `onDidChangeActive` (the tree, the status bar) refresh then.
 */
export class ConnectionManager extends Disposable {
  private current: Promise<ActiveConnection | undefined> | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeActive = this.changed.event;

  constructor(
    private readonly store: ProfileStore,
    private readonly sandbox: SandboxHost,
    private readonly log: Log,
  ) {
    super();
    this.register(store.onDidChange(() => this.invalidate()));
    // Only a stop invalidates: a start happens inside open(), and invalidating then would
    // close the connection being opened.
    this.register(
      sandbox.onDidChange((running) => {
        if (!running && this.store.active()?.environment === 'sandbox') this.invalidate();
      }),
    );
    this.register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsConnection(event)) this.invalidate();
      }),
    );
  }

  /** The connection of the active profile, or undefined when none is active. */
  active(): Promise<ActiveConnection | undefined> {
    this.current ??= this.open().catch((error: unknown) => {
      // Do not cache a failure: the next call (Retry, Refresh) tries again.
      this.current = undefined;
      throw error;
    });
    return this.current;
  }

  /** The active connection; throws a message that says what to do when no profile is active. */
  async require(): Promise<ActiveConnection> {
    const connection = await this.active();
    if (!connection)
      throw new Error('No ServiceTitan profile is active. Run "ServiceTitan CRM: Select Profile…" or "ServiceTitan CRM: Start Local Sandbox" first.');
    return connection;
  }

  async client(): Promise<CrmClient> {
    return (await this.require()).client;
  }

  invalidate(): void {
    const previous = this.current;
    this.current = undefined;
    void previous?.then((connection) => connection?.transport.close()).catch(() => undefined);
    this.changed.fire();
  }

  private async open(): Promise<ActiveConnection | undefined> {
    const profile = this.store.active();
    if (!profile) return undefined;
    const resolved = await this.resolve(profile);
    const transport = this.createTransport(resolved);
    return { ...resolved, transport, client: new CrmClient(transport) };
  }

  async resolve(profile: Profile, secrets?: ProfileSecrets): Promise<ResolvedProfile> {
    const stored = secrets ?? (await this.store.secrets(profile.id));
    if (!stored) {
      throw new Error(`The profile "${profile.name}" has no stored credentials in this VS Code. Run "ServiceTitan CRM: Edit Profile…" to enter them.`);
    }
    this.log.addSecrets([stored.clientId, stored.clientSecret, stored.appKey]);
    return { profile, secrets: stored, environment: await this.environmentOf(profile) };
  }

  private async environmentOf(profile: Profile): Promise<Environment> {
    switch (profile.environment) {
      case 'production':
        return PRODUCTION;
      case 'integration':
        return INTEGRATION;
      case 'sandbox': {
        const sandbox = await this.sandbox.ensureStarted();
        return customEnvironment(sandbox.url, `${sandbox.url}/connect/token`);
      }
      case 'custom':
        return customEnvironment(profile.apiBaseUrl ?? '', profile.tokenUrl ?? '');
    }
  }

  createTransport(resolved: ResolvedProfile): CrmTransport {
    const settings = readSettings();
    return createTransport({
      environment: resolved.environment,
      tenant: resolved.profile.tenant,
      clientId: resolved.secrets.clientId,
      clientSecret: resolved.secrets.clientSecret,
      appKey: resolved.secrets.appKey,
      rateLimitPerSecond: settings.rateLimitPerSecond,
      timeoutMs: settings.requestTimeoutMs,
      timeoutHint: REQUEST_TIMEOUT_HINT,
      proxy: settings.proxy,
      onEvent: (event) => {
        const line = formatEvent(event);
        if (line) this.log[line.level](line.text);
      },
    });
  }

  /**
   * Proves a profile works: a token request plus one small customer call. Throws an error whose
   * message says exactly what failed and what to fix.
   */
  async check(resolved: ResolvedProfile, signal?: AbortSignal): Promise<{ customers?: number }> {
    const transport = this.createTransport(resolved);
    try {
      const page = await new CrmClient(transport).listCustomers({ page: 1, pageSize: 1, includeTotal: true }, { signal });
      return { customers: page.totalCount };
    } catch (error) {
      const tenant = resolved.profile.tenant;
      if (error instanceof ProblemError && error.status === 404) {
        throw new Error(`The credentials were accepted, but tenant ${tenant} was not found for them. Check the tenant ID.${trace(error)}`);
      }
      if (error instanceof ForbiddenError) {
        throw new Error(`The credentials were accepted, but this app may not read customers in tenant ${tenant}: ${error.message}`);
      }
      throw error;
    } finally {
      await transport.close();
    }
  }

  /** Closes the active connection's transport, then what was registered. */
  override dispose(): void {
    if (this.isDisposed) return;
    this.invalidate();
    super.dispose();
  }
}

function trace(error: ProblemError): string {
  return error.traceId ? ` (trace ID ${error.traceId})` : '';
}
