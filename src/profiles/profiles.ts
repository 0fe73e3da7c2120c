import * as vscode from 'vscode';
import * as z from 'zod';
import { Disposable } from '../common/lifecycle';

/** Where a profile points. "sandbox" resolves its URLs from the in-process sandbox at run time. */
export const environmentKinds = ['production', 'integration', 'sandbox', 'custom'] as const;
export type ProfileEnvironment = (typeof environmentKinds)[number];

export const environmentLabels: Record<ProfileEnvironment, string> = {
  production: 'Production',
  integration: 'Integration',
  sandbox: 'Local sandbox',
  custom: 'Custom URL',
};

/** What is kept in global state: nothing secret. */
const profileRecord = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  environment: z.enum(environmentKinds),
  tenant: z.string().regex(/^\d+$/),
  apiBaseUrl: z.string().optional(),
  tokenUrl: z.string().optional(),
  /** A Custom URL profile whose tenant holds real data (a staging copy): guarded like Production. */
  production: z.boolean().optional(),
});
export type Profile = z.infer<typeof profileRecord>;

/** What is kept only in SecretStorage, one entry per profile. */
const profileSecrets = z.strictObject({
  clientId: z.string(),
  clientSecret: z.string(),
  appKey: z.string(),
});
export type ProfileSecrets = z.infer<typeof profileSecrets>;

const PROFILES_KEY = 'stcrm.profiles';
const ACTIVE_KEY = 'stcrm.activeProfileId';
const SECRET_PREFIX = 'stcrm.profile.';

export function secretKey(profileId: string): string {
  return `${SECRET_PREFIX}${profileId}`;
}

/**
 * Profiles in global state (shared by all windows), their secrets in SecretStorage, and the
 * active profile per workspace. Fires `onDidChange` for any change, including secrets changed
 * in another window.
 */
export class ProfileStore extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<{ profileId?: string }>());
  readonly onDidChange = this.changed.event;
  /**
   * The raw SecretStorage, shared with every other window. Writing a profile's entry here
   * (key `secretKey(id)`) is what another window does; tests use it to prove such changes
   * reach this window through `onDidChange`.
   */
  readonly secretStorage: vscode.SecretStorage;

  constructor(private readonly context: vscode.ExtensionContext) {
    super();
    this.secretStorage = context.secrets;
    this.register(
      context.secrets.onDidChange((event) => {
        if (event.key.startsWith(SECRET_PREFIX)) this.changed.fire({ profileId: event.key.slice(SECRET_PREFIX.length) });
      }),
    );
  }

  list(): Profile[] {
    const raw = this.context.globalState.get<unknown[]>(PROFILES_KEY, []);
    // Drop anything malformed rather than failing every command on one bad entry.
    return raw.flatMap((entry) => {
      const parsed = profileRecord.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
  }

  get(id: string): Profile | undefined {
    return this.list().find((profile) => profile.id === id);
  }

  findByName(name: string): Profile | undefined {
    const wanted = name.trim().toLowerCase();
    return this.list().find((profile) => profile.name.toLowerCase() === wanted);
  }

  active(): Profile | undefined {
    const id = this.context.workspaceState.get<string>(ACTIVE_KEY);
    return id ? this.get(id) : undefined;
  }

  async setActive(id: string | undefined): Promise<void> {
    if (id !== undefined && !this.get(id)) throw new Error(`There is no profile with id ${id}.`);
    await this.context.workspaceState.update(ACTIVE_KEY, id);
    this.changed.fire({ profileId: id });
  }

  async secrets(id: string): Promise<ProfileSecrets | undefined> {
    const raw = await this.context.secrets.get(secretKey(id));
    if (!raw) return undefined;
    try {
      const parsed = profileSecrets.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** Saves a profile and its secrets (trimmed). Secrets go first so a saved profile always has them. */
  async save(profile: Profile, secrets: ProfileSecrets): Promise<void> {
    const record = profileRecord.parse(profile);
    const trimmed: ProfileSecrets = {
      clientId: secrets.clientId.trim(),
      clientSecret: secrets.clientSecret.trim(),
      appKey: secrets.appKey.trim(),
    };
    await this.context.secrets.store(secretKey(record.id), JSON.stringify(trimmed));
    const others = this.list().filter((existing) => existing.id !== record.id);
    await this.context.globalState.update(PROFILES_KEY, [...others, record]);
    this.changed.fire({ profileId: record.id });
  }

  async remove(id: string): Promise<void> {
    await this.context.globalState.update(
      PROFILES_KEY,
      this.list().filter((profile) => profile.id !== id),
    );
    await this.context.secrets.delete(secretKey(id));
    if (this.context.workspaceState.get<string>(ACTIVE_KEY) === id) await this.context.workspaceState.update(ACTIVE_KEY, undefined);
    this.changed.fire({ profileId: id });
  }
}

export function newProfileId(): string {
  return `p-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Production, or a Custom URL profile marked as production (a staging copy of live data). */
export function isProductionProfile(profile: Pick<Profile, 'environment' | 'production'>): boolean {
  return profile.environment === 'production' || (profile.environment === 'custom' && profile.production === true);
}
