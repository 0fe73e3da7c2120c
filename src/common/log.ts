import * as vscode from 'vscode';
import { redact, redactDeep } from '../api/redact';
import { Disposable } from './lifecycle';

/**
 * The extension's one log. Every line passes through the API's redaction with every secret
 * this window knows, so a token, client secret or app key can never reach the output channel.
 */
export class Log extends Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor() {
    super();
    this.channel = this.register(vscode.window.createOutputChannel('ServiceTitan CRM', { log: true }));
  }

  /** Registers values that must never be printed (client ids, secrets, app keys, tokens). */
  addSecrets(values: Iterable<string | undefined>): void {
    for (const value of values) if (value && value.trim().length >= 4) this.secrets.add(value.trim());
  }

  clean(text: string): string {
    return redact(text, [...this.secrets]);
  }

  /** Every string and key of a plain JSON-like value redacted (records a server sent, before a view shows them). */
  cleanDeep<T>(value: T): T {
    return redactDeep(value, [...this.secrets]);
  }

  trace(message: string): void {
    this.channel.trace(this.clean(message));
  }
  info(message: string): void {
    this.channel.info(this.clean(message));
  }
  warn(message: string): void {
    this.channel.warn(this.clean(message));
  }
  error(message: string, error?: unknown): void {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : error === undefined ? '' : JSON.stringify(error);
    this.channel.error(this.clean(detail ? `${message}: ${detail}` : message));
  }
  show(): void {
    this.channel.show(true);
  }
}
