import * as vscode from 'vscode';
import * as z from 'zod';
import { errorMessage, UserCancelled, withProgress } from '../common/commands';
import type { Log } from '../common/log';
import { notifyProblem } from '../common/notifications';
import type { ConnectionManager } from './connection';
import { collectProfile, tenantProblem, urlProblem, type ProfileDraft } from '../quickInput/profileSteps';
import { environmentKinds, environmentLabels, isProductionProfile, newProfileId, type Profile, type ProfileStore } from './profiles';
import { parseCommandArgs } from '../common/commandArgs';

/** Argument objects, so every command can run without prompts (tests, scripts, keybindings). */
const profileFields = {
  name: z.string().trim().min(1, 'name must not be empty'),
  environment: z.enum(environmentKinds),
  tenant: z
    .string()
    .trim()
    .refine((value) => !tenantProblem(value), 'tenant must be digits only'),
  apiBaseUrl: z
    .string()
    .trim()
    .refine((value) => !urlProblem('API base URL')(value), 'apiBaseUrl must be an absolute http(s) URL')
    .optional(),
  tokenUrl: z
    .string()
    .trim()
    .refine((value) => !urlProblem('token URL')(value), 'tokenUrl must be an absolute http(s) URL')
    .optional(),
  /** Custom URL only: guard writes as on Production. */
  production: z.boolean().optional(),
  clientId: z.string().trim().min(1, 'clientId must not be empty'),
  clientSecret: z.string().trim().min(1, 'clientSecret must not be empty'),
  appKey: z.string().trim().min(1, 'appKey must not be empty'),
};
const checkOptions = {
  /** Check the credentials against the API before saving (default true). */
  check: z.boolean().optional(),
  /** Make the profile active in this workspace (default true). */
  activate: z.boolean().optional(),
};
const customNeedsUrls = (value: { environment?: string; apiBaseUrl?: string; tokenUrl?: string }) =>
  value.environment !== 'custom' || (value.apiBaseUrl !== undefined && value.tokenUrl !== undefined);
const customUrlsMessage = { message: 'a custom environment needs apiBaseUrl and tokenUrl' };
const productionOnlyCustom = (value: { environment?: string; production?: boolean }) => value.production === undefined || value.environment === 'custom';
const productionOnlyCustomMessage = { message: 'production can be set on a custom environment only (a production profile is always guarded)' };

const addArgs = z
  .strictObject({ ...profileFields, ...checkOptions })
  .refine(customNeedsUrls, customUrlsMessage)
  .refine(productionOnlyCustom, productionOnlyCustomMessage);
const selector = { id: z.string().optional(), profile: z.string().optional() };
const editArgs = z.strictObject({ ...selector, ...partial(profileFields), ...checkOptions });
const pickArgs = z.strictObject(selector);

function partial<T extends Record<string, z.ZodType>>(shape: T): { [K in keyof T]: z.ZodOptional<T[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, schema.optional()])) as { [K in keyof T]: z.ZodOptional<T[K]> };
}

export interface ProfileSummary {
  id: string;
  name: string;
  environment: Profile['environment'];
  tenant: string;
  /** Writes ask first: Production, or a Custom URL profile marked as production. */
  production: boolean;
}

const summary = (profile: Profile): ProfileSummary => ({
  id: profile.id,
  name: profile.name,
  environment: profile.environment,
  tenant: profile.tenant,
  production: isProductionProfile(profile),
});

export class ProfileCommands {
  constructor(
    private readonly store: ProfileStore,
    private readonly connections: ConnectionManager,
    private readonly log: Log,
  ) {}

  async add(arg?: unknown): Promise<ProfileSummary | undefined> {
    if (arg !== undefined) {
      const { check, activate, ...draft } = parseCommandArgs('stcrm.addProfile', addArgs, arg);
      if (this.store.findByName(draft.name)) throw new Error(`A profile named "${draft.name}" already exists. Choose another name or edit that profile.`);
      return this.saveDraft(newProfileId(), draft, { check: check ?? true, activate: activate ?? true, interactive: false });
    }
    const steps = { nameProblem: this.nameTaken() };
    let draft: ProfileDraft = await collectProfile('Add ServiceTitan CRM Profile', {}, false, steps);
    // Checked on every pass: "Edit Again" reopens the steps, where "Local sandbox" can be picked
    // too, and checking the typed credentials against the embedded sandbox would only fail.
    while (draft.environment !== 'sandbox') {
      const saved = await this.trySave(newProfileId(), draft);
      if (saved !== 'edit') return saved;
      draft = await collectProfile('Add ServiceTitan CRM Profile', draft, false, steps);
    }
    await vscode.commands.executeCommand('stcrm.startSandbox');
    return undefined;
  }

  /** An argument object edits without prompts; a profile id (a string) opens the profile steps for it. */
  async edit(arg?: unknown): Promise<ProfileSummary | undefined> {
    if (arg !== undefined && typeof arg !== 'string') {
      const { id, profile: name, check, activate, ...changes } = parseCommandArgs('stcrm.editProfile', editArgs, arg);
      const existing = this.find(id, name) ?? this.store.active();
      if (!existing) throw new Error('stcrm.editProfile needs { id } or { profile } naming an existing profile.');
      const taken = changes.name === undefined ? undefined : this.nameTaken(existing.id)(changes.name);
      if (taken) throw new Error(`stcrm.editProfile: ${taken}`);
      const secrets = await this.store.secrets(existing.id);
      const draft: ProfileDraft = { ...existing, clientId: '', clientSecret: '', appKey: '', ...secrets, ...stripUndefined(changes) };
      if (!customNeedsUrls(draft)) throw new Error(`stcrm.editProfile: ${customUrlsMessage.message}.`);
      if (!productionOnlyCustom({ environment: draft.environment, production: changes.production }))
        throw new Error(`stcrm.editProfile: ${productionOnlyCustomMessage.message}.`);
      return this.saveDraft(existing.id, draft, { check: check ?? true, activate: activate ?? false, interactive: false });
    }
    const existing = (typeof arg === 'string' ? this.store.get(arg) : undefined) ?? (await this.pick('Edit which profile?', true));
    const stored = await this.store.secrets(existing.id);
    // Turning another profile into a "Local sandbox" one would check its credentials against
    // the embedded sandbox (and fail): only the sandbox profile itself keeps that choice.
    const steps = { offerSandbox: existing.environment === 'sandbox', nameProblem: this.nameTaken(existing.id) };
    let draft: ProfileDraft = await collectProfile(`Edit Profile "${existing.name}"`, { ...existing, ...stored }, stored !== undefined, steps);
    for (;;) {
      const saved = await this.trySave(existing.id, draft);
      if (saved !== 'edit') return saved;
      draft = await collectProfile(`Edit Profile "${existing.name}"`, draft, false, steps);
    }
  }

  /** Profile names are unique (case-insensitively), as `findByName` and the argument objects assume. */
  private nameTaken(exceptId?: string): (name: string) => string | undefined {
    return (name) => {
      const other = this.store.findByName(name);
      return other && other.id !== exceptId ? `A profile named "${other.name}" already exists. Choose another name.` : undefined;
    };
  }

  async remove(arg?: unknown): Promise<ProfileSummary | undefined> {
    let profile: Profile;
    if (arg !== undefined) {
      const { id, profile: name } = parseCommandArgs('stcrm.removeProfile', pickArgs, arg);
      const found = this.find(id, name);
      if (!found) throw new Error(`stcrm.removeProfile: no profile matches ${JSON.stringify(arg)}.`);
      profile = found;
    } else {
      profile = await this.pick('Remove which profile?', false);
      const answer = await vscode.window.showWarningMessage(
        `Remove the profile "${profile.name}" (${environmentLabels[profile.environment]}, tenant ${profile.tenant})?`,
        { modal: true, detail: 'Its client ID, client secret and app key are deleted from secret storage.' },
        'Remove',
      );
      if (answer !== 'Remove') throw new UserCancelled();
    }
    await this.store.remove(profile.id);
    this.log.info(`Removed profile "${profile.name}"`);
    return summary(profile);
  }

  async select(arg?: unknown): Promise<ProfileSummary | undefined> {
    if (arg !== undefined) {
      const { id, profile: name } = parseCommandArgs('stcrm.selectProfile', pickArgs, arg);
      const found = this.find(id, name);
      if (!found) throw new Error(`stcrm.selectProfile: no profile matches ${JSON.stringify(arg)}.`);
      await this.store.setActive(found.id);
      return summary(found);
    }
    const addItem = { label: '$(add) Add Profile…', id: '' };
    const activeId = this.store.active()?.id;
    const items = [
      ...this.store.list().map((profile) => ({
        label: profile.name,
        description: `${environmentLabels[profile.environment]} · tenant ${profile.tenant}`,
        detail: profile.id === activeId ? 'Active in this workspace' : undefined,
        id: profile.id,
      })),
      addItem,
    ];
    const chosen = await vscode.window.showQuickPick(items, { title: 'Select ServiceTitan CRM Profile', placeHolder: 'Profile for this workspace' });
    if (!chosen) throw new UserCancelled();
    if (chosen === addItem) return this.add();
    await this.store.setActive(chosen.id);
    this.log.info(`Active profile: "${chosen.label}"`);
    const selected = this.store.get(chosen.id);
    return selected && summary(selected);
  }

  /** Checks and saves, asking what to do when the check fails; 'edit' means reopen the steps. */
  private async trySave(id: string, draft: ProfileDraft): Promise<ProfileSummary | 'edit'> {
    try {
      return await this.saveDraft(id, draft, { check: true, activate: true, interactive: true });
    } catch (error) {
      if (error instanceof UserCancelled) throw error;
      this.log.error(`Profile check for "${draft.name}" failed`, error);
      const choice = await notifyProblem(this.log, 'error', `Profile "${draft.name}" was not saved. ${errorMessage(error)}`, ['Edit Again', 'Save Anyway']);
      if (choice === 'Edit Again') return 'edit';
      if (choice === 'Save Anyway') return this.saveDraft(id, draft, { check: false, activate: true, interactive: true });
      throw new UserCancelled();
    }
  }

  private async saveDraft(id: string, draft: ProfileDraft, options: { check: boolean; activate: boolean; interactive: boolean }): Promise<ProfileSummary> {
    const profile: Profile = {
      id,
      name: draft.name.trim(),
      environment: draft.environment,
      tenant: draft.tenant.trim(),
      ...(draft.environment === 'custom'
        ? { apiBaseUrl: draft.apiBaseUrl?.trim(), tokenUrl: draft.tokenUrl?.trim(), ...(draft.production ? { production: true } : {}) }
        : {}),
    };
    const secrets = { clientId: draft.clientId, clientSecret: draft.clientSecret, appKey: draft.appKey };
    if (options.check) {
      const resolved = await this.connections.resolve(profile, secrets);
      const run = (signal?: AbortSignal) => this.connections.check(resolved, signal);
      const result = options.interactive ? await withProgress(`Checking profile "${profile.name}"…`, run) : await run();
      this.log.info(
        `Profile "${profile.name}" checked: token and customer call succeeded${result.customers !== undefined ? ` (${result.customers} customers)` : ''}`,
      );
    }
    await this.store.save(profile, secrets);
    if (options.activate) await this.store.setActive(profile.id);
    this.log.info(`Saved profile "${profile.name}" (${environmentLabels[profile.environment]}, tenant ${profile.tenant})`);
    return summary(profile);
  }

  private find(id: string | undefined, name: string | undefined): Profile | undefined {
    if (id) return this.store.get(id);
    if (name) return this.store.findByName(name);
    return undefined;
  }

  private async pick(title: string, preferActive: boolean): Promise<Profile> {
    const profiles = this.store.list();
    if (profiles.length === 0) throw new Error('There are no profiles yet. Run "ServiceTitan CRM: Add Profile…" first.');
    const active = this.store.active();
    if (profiles.length === 1 && preferActive && active) return active;
    const items = profiles.map((profile) => ({
      label: profile.name,
      description: `${environmentLabels[profile.environment]} · tenant ${profile.tenant}`,
      picked: profile.id === active?.id,
      profile,
    }));
    const chosen = await vscode.window.showQuickPick(items, { title, placeHolder: 'Profile' });
    if (!chosen) throw new UserCancelled();
    return chosen.profile;
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
