import * as vscode from 'vscode';
import { choiceSetting, numberSetting, settingKey, SETTINGS_SECTION, type Choice } from './settings';

/** The extension's settings, read fresh each time so changes apply without a reload. */
export interface CrmSettings {
  pageSize: number;
  requestTimeoutMs: number;
  rateLimitPerSecond: number;
  proxy: { url?: string; strictSSL: boolean };
  /** How the create commands ask for a new record: a webview form, or quick inputs. */
  createWith: Choice<'createWith'>;
  /** Whether agents (language-model tools) may write: `confirm` (each write asks first) or `off`. */
  agentWrites: Choice<'agentTools.writes'>;
}

/** What a timeout's message offers besides trying again, for transports that take the setting (TransportOptions.timeoutHint). */
export const REQUEST_TIMEOUT_HINT = `raise "${settingKey('requestTimeoutSeconds')}"`;

export function readSettings(): CrmSettings {
  const crm = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const http = vscode.workspace.getConfiguration('http');
  const proxyUrl = http.get<string>('proxy')?.trim();
  return {
    pageSize: numberSetting('pageSize', crm.get('pageSize')),
    requestTimeoutMs: numberSetting('requestTimeoutSeconds', crm.get('requestTimeoutSeconds')) * 1000,
    rateLimitPerSecond: numberSetting('rateLimitPerSecond', crm.get('rateLimitPerSecond')),
    proxy: { url: proxyUrl ? proxyUrl : undefined, strictSSL: http.get<boolean>('proxyStrictSSL', true) },
    createWith: choiceSetting('createWith', crm.get('createWith')),
    agentWrites: choiceSetting('agentTools.writes', crm.get('agentTools.writes')),
  };
}

/** True when a change touches a setting the API connection depends on. */
export function affectsConnection(event: vscode.ConfigurationChangeEvent): boolean {
  return [settingKey('requestTimeoutSeconds'), settingKey('rateLimitPerSecond'), 'http.proxy', 'http.proxyStrictSSL'].some((key) =>
    event.affectsConfiguration(key),
  );
}
