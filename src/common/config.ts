import * as vscode from 'vscode';

/** The extension's settings, read fresh each time so changes apply without a reload. */
export interface CrmSettings {
  pageSize: number;
  requestTimeoutMs: number;
  rateLimitPerSecond: number;
  proxy: { url?: string; strictSSL: boolean };
  /** How the create commands ask for a new record: a webview form, or quick inputs. */
  createWith: 'form' | 'quickInput';
}

export function readSettings(): CrmSettings {
  const crm = vscode.workspace.getConfiguration('stcrm');
  const http = vscode.workspace.getConfiguration('http');
  const proxyUrl = http.get<string>('proxy')?.trim();
  return {
    pageSize: clamp(crm.get<number>('pageSize', 50), 1, 5000),
    requestTimeoutMs: clamp(crm.get<number>('requestTimeoutSeconds', 30), 1, 600) * 1000,
    rateLimitPerSecond: clamp(crm.get<number>('rateLimitPerSecond', 60), 1, 60),
    proxy: { url: proxyUrl ? proxyUrl : undefined, strictSSL: http.get<boolean>('proxyStrictSSL', true) },
    createWith: crm.get<string>('createWith') === 'quickInput' ? 'quickInput' : 'form',
  };
}

/** True when a change touches a setting the API connection depends on. */
export function affectsConnection(event: vscode.ConfigurationChangeEvent): boolean {
  return ['stcrm.requestTimeoutSeconds', 'stcrm.rateLimitPerSecond', 'http.proxy', 'http.proxyStrictSSL'].some((key) =>
    event.affectsConfiguration(key),
  );
}

function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.round(value)));
}
