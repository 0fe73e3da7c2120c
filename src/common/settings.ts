/**
 * The extension's settings, each with its default and its range or choices: what the code reads
 * them by (config.ts). package.json `contributes.configuration` declares the same for the Settings
 * editor, with the descriptions; test/node/common/settings.test.ts fails on any difference between
 * the two. No vscode import.
 */
export const SETTINGS_SECTION = 'stcrm';

interface NumberSpec {
  type: 'integer' | 'number';
  default: number;
  minimum: number;
  maximum: number;
}

interface ChoiceSpec {
  type: 'string';
  default: string;
  enum: readonly string[];
}

export const SETTINGS = {
  pageSize: { type: 'integer', default: 50, minimum: 1, maximum: 5000 },
  requestTimeoutSeconds: { type: 'integer', default: 30, minimum: 1, maximum: 600 },
  rateLimitPerSecond: { type: 'number', default: 60, minimum: 1, maximum: 60 },
  createWith: { type: 'string', default: 'form', enum: ['form', 'quickInput'] },
  /** Whether agents (language-model tools) may write: each write asks first, or the write tools are hidden. */
  'agentTools.writes': { type: 'string', default: 'confirm', enum: ['confirm', 'off'] },
} as const satisfies Record<string, NumberSpec | ChoiceSpec>;

export type SettingName = keyof typeof SETTINGS;
type NumberSettingName = { [N in SettingName]: (typeof SETTINGS)[N] extends NumberSpec ? N : never }[SettingName];
type ChoiceSettingName = { [N in SettingName]: (typeof SETTINGS)[N] extends ChoiceSpec ? N : never }[SettingName];
export type Choice<N extends ChoiceSettingName> = (typeof SETTINGS)[N]['enum'][number];

/** The full key (`stcrm.pageSize`), as settings.json and `affectsConfiguration` name it. */
export function settingKey(name: SettingName): string {
  return `${SETTINGS_SECTION}.${name}`;
}

/**
 * A number setting as the code uses it: a whole number within its range; its default when unset
 * or not a finite number (a hand-edited settings.json with `"50"`, which VS Code underlines but
 * still hands over), as VS Code treats a choice it does not know.
 */
export function numberSetting(name: NumberSettingName, raw: unknown): number {
  const spec: NumberSpec = SETTINGS[name];
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return spec.default;
  return Math.min(spec.maximum, Math.max(spec.minimum, Math.round(raw)));
}

/** A choice setting as the code uses it: one of its choices, else its default. */
export function choiceSetting<N extends ChoiceSettingName>(name: N, raw: unknown): Choice<N> {
  const spec = SETTINGS[name];
  return spec.enum.find((choice) => choice === raw) ?? spec.default;
}
