import * as vscode from 'vscode';
import { customEnvironment, isTenantId } from '../api/environments';
import { MultiStepInput, type Step } from './multiStepInput';
import { environmentKinds, environmentLabels, type ProfileEnvironment } from '../profiles/profiles';

/** Everything the profile steps collect; secrets included, so it never leaves memory. */
export interface ProfileDraft {
  name: string;
  environment: ProfileEnvironment;
  tenant: string;
  apiBaseUrl?: string;
  tokenUrl?: string;
  /** Custom URL only: the tenant holds real data, so writes ask first as on Production. */
  production?: boolean;
  clientId: string;
  clientSecret: string;
  appKey: string;
}

export const tenantProblem = (value: string): string | undefined =>
  isTenantId(value) ? undefined : 'Enter the tenant ID: digits only, as shown in ServiceTitan (Settings → Integrations → API Application Access).';

export const urlProblem =
  (label: string) =>
  (value: string): string | undefined => {
    try {
      customEnvironment(value, value);
      return undefined;
    } catch {
      return `Enter the ${label} as an absolute URL, such as https://api.example.com.`;
    }
  };

const required =
  (label: string) =>
  (value: string): string | undefined =>
    value.trim() ? undefined : `Enter the ${label}.`;

interface EnvironmentItem extends vscode.QuickPickItem {
  environment: ProfileEnvironment;
}

const environmentDetails: Record<ProfileEnvironment, string> = {
  production: 'api.servicetitan.io: live customer data',
  integration: 'api-integration.servicetitan.io: ServiceTitan test tenants',
  sandbox: 'The local CRM sandbox inside VS Code (sample data)',
  custom: 'Any API base URL and token URL',
};

export interface ProfileStepsOptions {
  /** Offer "Local sandbox" (default true). Only a new profile or the sandbox profile may become one. */
  offerSandbox?: boolean;
  /** Extra check of the profile name, e.g. that no other profile has it. */
  nameProblem?: (value: string) => string | undefined;
}

/**
 * Collects a profile with a multi-step quick input (Back on every step, secrets as password
 * input, validation while typing). `initial` pre-fills every step, so a failed check can
 * reopen the steps with what was typed. When `keepSecrets` is set, empty secret inputs keep
 * the stored values.
 */
export async function collectProfile(
  title: string,
  initial: Partial<ProfileDraft>,
  keepSecrets: boolean,
  options: ProfileStepsOptions = {},
): Promise<ProfileDraft> {
  const draft: Partial<ProfileDraft> = { ...initial };
  const isCustom = () => draft.environment === 'custom';
  const total = () => (isCustom() ? 9 : 6);
  const secretPrompt = (label: string) => (keepSecrets ? `${label} (leave empty to keep the stored one)` : label);

  const pickEnvironment: Step = async (input) => {
    const kinds = environmentKinds.filter((kind) => kind !== 'sandbox' || options.offerSandbox !== false);
    const items: EnvironmentItem[] = kinds.map((kind) => ({
      environment: kind,
      label: environmentLabels[kind],
      detail: environmentDetails[kind],
    }));
    const chosen = await input.showPick({
      title,
      placeholder: 'Which ServiceTitan environment?',
      items,
      active: items.find((item) => item.environment === draft.environment),
    });
    draft.environment = chosen.environment;
    // The sandbox needs no typing: the caller starts it and creates its profile.
    if (chosen.environment === 'sandbox') return undefined;
    return isCustom() ? askApiUrl : askTenant;
  };
  const askApiUrl: Step = async (input) => {
    draft.apiBaseUrl = (
      await input.showText({
        title,
        prompt: 'API base URL (paths /crm/v2/tenant/… are added to it)',
        value: draft.apiBaseUrl,
        placeholder: 'https://api.example.com',
        validate: urlProblem('API base URL'),
      })
    ).trim();
    return askTokenUrl;
  };
  const askTokenUrl: Step = async (input) => {
    const suggested = draft.tokenUrl ?? `${(draft.apiBaseUrl ?? '').replace(/\/+$/, '')}/connect/token`;
    draft.tokenUrl = (await input.showText({ title, prompt: 'OAuth token URL', value: suggested, validate: urlProblem('token URL') })).trim();
    return askProduction;
  };
  const askProduction: Step = async (input) => {
    const items = [
      { label: 'Test data', detail: 'Writes are sent without asking, as on Integration.', production: false },
      { label: 'Production data', detail: 'A staging copy or a proxy of a live tenant: every write asks first, as on Production.', production: true },
    ];
    const chosen = await input.showPick({
      title,
      placeholder: 'What data does this tenant hold?',
      items,
      active: items.find((item) => item.production === (draft.production === true)),
    });
    draft.production = chosen.production;
    return askTenant;
  };
  const askTenant: Step = async (input) => {
    draft.tenant = (await input.showText({ title, prompt: 'Tenant ID', value: draft.tenant, placeholder: 'e.g. 1234567890', validate: tenantProblem })).trim();
    return askClientId;
  };
  const askClientId: Step = async (input) => {
    const value = await input.showText({
      title,
      prompt: secretPrompt('Client ID'),
      value: keepSecrets ? '' : draft.clientId,
      placeholder: 'cid.…',
      password: true,
      validate: keepSecrets ? undefined : required('client ID'),
    });
    if (value.trim() || !keepSecrets) draft.clientId = value.trim();
    return askClientSecret;
  };
  const askClientSecret: Step = async (input) => {
    const value = await input.showText({
      title,
      prompt: secretPrompt('Client secret'),
      value: keepSecrets ? '' : draft.clientSecret,
      placeholder: 'cs1.…',
      password: true,
      validate: keepSecrets ? undefined : required('client secret'),
    });
    if (value.trim() || !keepSecrets) draft.clientSecret = value.trim();
    return askAppKey;
  };
  const askAppKey: Step = async (input) => {
    const value = await input.showText({
      title,
      prompt: secretPrompt('App key (ST-App-Key)'),
      value: keepSecrets ? '' : draft.appKey,
      placeholder: 'ak1.…',
      password: true,
      validate: keepSecrets ? undefined : required('app key'),
    });
    if (value.trim() || !keepSecrets) draft.appKey = value.trim();
    return askName;
  };
  const askName: Step = async (input) => {
    const suggested = draft.name ?? `${environmentLabels[draft.environment ?? 'production']} ${draft.tenant ?? ''}`.trim();
    draft.name = (
      await input.showText({
        title,
        prompt: 'Profile name',
        value: suggested,
        validate: (value) => required('profile name')(value) ?? options.nameProblem?.(value.trim()),
      })
    ).trim();
    return undefined;
  };

  await MultiStepInput.run(pickEnvironment, total);
  return {
    name: draft.name ?? '',
    environment: draft.environment ?? 'production',
    tenant: draft.tenant ?? '',
    apiBaseUrl: isCustom() ? draft.apiBaseUrl : undefined,
    tokenUrl: isCustom() ? draft.tokenUrl : undefined,
    production: isCustom() ? draft.production === true : undefined,
    clientId: draft.clientId ?? '',
    clientSecret: draft.clientSecret ?? '',
    appKey: draft.appKey ?? '',
  };
}
