/**
 * Checks the docs against the repository: every relative link and `#anchor` resolves, and every
 * command, setting, sandbox flag, npm script and `STCRM_` variable the docs name exists.
 *
 * Names are checked only where they are unmistakably ours, so that other tools' flags raise no
 * false alarm: code spans that start with `stcrm.`, `stcrm.` ids in code blocks, flags after
 * `npm run sandbox --` (or the CLI file), and code spans that start with `--` on a line or under
 * a heading that mentions the sandbox.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI_OPTIONS } from '../../../sandbox/cliOptions';
import { MCP_USAGE } from '../../../src/cli/mcpCommand';
import { TEST_USAGE } from '../../../src/cli/testCommand';
import { parseMarkdown, type Code, type MarkdownDoc } from './markdown';

export interface Problem {
  /** The Markdown file, relative to the repository root, with `/`. */
  file: string;
  line: number;
  message: string;
}

/** What a link may point at, relative to the repository root with `/`. */
export interface Repository {
  kind(relative: string): 'file' | 'directory' | undefined;
  markdown(relative: string): MarkdownDoc | undefined;
}

/** The names the docs may use, read from the code. */
export interface KnownNames {
  commands: Set<string>;
  settings: Set<string>;
  /** Other `stcrm.` ids the manifest declares: views, walkthroughs, context keys, webview types. */
  otherIds: Set<string>;
  sandboxFlags: Set<string>;
  /** Flags of `stcrm test` (src/cli/testCommand.ts). */
  stcrmFlags: Set<string>;
  /** Flags of `stcrm mcp` (src/cli/mcpCommand.ts). */
  mcpFlags: Set<string>;
  npmScripts: Set<string>;
  environment: Set<string>;
}

/** Folders that hold no docs of ours (dependencies, build output, test runs). */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.test-host', 'out', 'dist', '.package', 'test-results', '.vscode-test']);
/** code-server's own files, installed from its package.json beside them. */
const SKIPPED_PATHS = new Set(['test/host/code-server']);

/** Every `*.md` file of the repository, relative and sorted. */
export function markdownFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name) && !SKIPPED_PATHS.has(child)) walk(child);
      } else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) {
        found.push(child);
      }
    }
  };
  walk('');
  return found.sort();
}

/** The repository on disk; Markdown files are parsed once. */
export function diskRepository(root: string): Repository {
  const parsed = new Map<string, MarkdownDoc | undefined>();
  const kind = (relative: string): 'file' | 'directory' | undefined => {
    try {
      const stat = fs.statSync(path.join(root, relative));
      return stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    kind,
    markdown(relative) {
      if (!parsed.has(relative))
        parsed.set(relative, kind(relative) === 'file' ? parseMarkdown(fs.readFileSync(path.join(root, relative), 'utf8')) : undefined);
      return parsed.get(relative);
    },
  };
}

/** A repository of inline files, for tests of the checker itself. */
export function memoryRepository(files: Record<string, string>): Repository {
  const isDirectory = (relative: string): boolean => Object.keys(files).some((file) => file.startsWith(`${relative}/`));
  return {
    kind: (relative) => (relative in files ? 'file' : relative === '' || isDirectory(relative) ? 'directory' : undefined),
    markdown: (relative) => (relative in files && relative.endsWith('.md') ? parseMarkdown(files[relative] as string) : undefined),
  };
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** ` (did you mean …?)` naming the closest candidate, or nothing when none is close. */
function suggestion(name: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(3, name.length / 3) ? ` (did you mean ${best}?)` : '';
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Every relative link and anchor of one Markdown file resolves. */
export function checkLinks(repository: Repository, file: string): Problem[] {
  const doc = repository.markdown(file);
  if (!doc) return [{ file, line: 0, message: 'is not a Markdown file of the repository' }];
  const problems: Problem[] = [];
  for (const link of doc.links) {
    const report = (message: string): void => {
      problems.push({ file, line: link.line, message: `${link.image ? 'image' : 'link'} ${link.target}: ${message}` });
    };
    if (SCHEME.test(link.target) || link.target.startsWith('//')) continue;
    const hash = link.target.indexOf('#');
    const rawPath = (hash < 0 ? link.target : link.target.slice(0, hash)).replace(/\?.*$/, '');
    const rawAnchor = hash < 0 ? undefined : link.target.slice(hash + 1);
    const linkedPath = decode(rawPath);
    const anchor = rawAnchor === undefined ? '' : decode(rawAnchor);
    if (linkedPath === undefined || anchor === undefined) {
      report('is not valid percent-encoding');
      continue;
    }
    let target = file;
    if (linkedPath !== '') {
      const joined = linkedPath.startsWith('/') ? linkedPath.slice(1) : path.posix.join(path.posix.dirname(file), linkedPath);
      target = path.posix.normalize(joined).replace(/\/$/, '');
      if (target === '..' || target.startsWith('../')) {
        report('leaves the repository');
        continue;
      }
      if (target === '.') target = '';
      if (!repository.kind(target)) {
        report(`${target} does not exist`);
        continue;
      }
    }
    if (anchor === '' || !target.toLowerCase().endsWith('.md')) continue;
    const linked = repository.markdown(target);
    if (linked && !linked.anchors.has(anchor)) report(`${target} has no heading with the anchor #${anchor}${suggestion(anchor, linked.anchors)}`);
  }
  return problems;
}

const STCRM_ID = /^stcrm\.[A-Za-z]\w*(?:\.[A-Za-z]\w*)*/;
/** `stcrm.env.json`, `*.stcrm.json`: file names, not ids. */
const FILE_NAME = /\.(?:json|md|ts|js)$/;
const STCRM_IDS_IN_CODE = /(?<![\w.$/-])stcrm\.[A-Za-z]\w*(?:\.[A-Za-z]\w*)*/g;
/** The sandbox CLI, by any of the ways the docs start it; what follows are its arguments. */
const SANDBOX_INVOCATION = /(?:^|[\s;&|(])(?:npm run sandbox|tsx sandbox\/cli\.ts|node (?:out\/)?sandbox\/cli\.js|(?:npx )?stcrm sandbox)(?=\s|$)(.*)$/;
/** `stcrm test`, the suites' command line; what follows are its arguments. */
const STCRM_TEST_INVOCATION = /(?:^|[\s;&|(])(?:npx )?stcrm test(?=\s|$)(.*)$/;
/** `stcrm mcp`, the MCP server; what follows are its arguments. */
const STCRM_MCP_INVOCATION = /(?:^|[\s;&|(])(?:npx )?stcrm mcp(?=\s|$)(.*)$/;
const FLAG = /(?:^|\s)(--[A-Za-z0-9][\w-]*)/g;
const NPM_SCRIPT = /\bnpm (?:run ([\w:.-]+)|(start|test)\b)/g;
const ENVIRONMENT_NAME = /\bSTCRM_[A-Z0-9_]+\b/g;

/** `stcrm.` ids of a code span or code line. */
function stcrmIds(code: Code): string[] {
  if (code.fenced) return [...code.text.matchAll(STCRM_IDS_IN_CODE)].map((match) => match[0]).filter((id) => !FILE_NAME.test(id));
  const id = STCRM_ID.exec(code.text.trim());
  return id && !FILE_NAME.test(id[0]) ? [id[0]] : [];
}

/** The arguments of an invocation, up to the first `&&`, `||`, `;` or `|`, as flags. */
function flagsOf(args: string): string[] {
  const first = args.split(/&&|\|\||;|\|/)[0] as string;
  return [...first.replace(/^\s+--(?=\s|$)/, '').matchAll(FLAG)].map((match) => match[1] as string);
}

/** Flags of `stcrm test` in a code span or code line. */
function stcrmTestFlags(code: Code): string[] {
  const invocation = STCRM_TEST_INVOCATION.exec(code.text);
  return invocation ? flagsOf(invocation[1] as string) : [];
}

/** Flags of the sandbox CLI in a code span or code line. */
function sandboxFlags(code: Code, file: string): string[] {
  const invocation = SANDBOX_INVOCATION.exec(code.text);
  if (invocation) return flagsOf(invocation[1] as string);
  const standalone = !code.fenced && code.text.trimStart().startsWith('--');
  const aboutSandbox = file.startsWith('sandbox/') || /sandbox/i.test(code.lineText) || code.headings.some((heading) => /sandbox/i.test(heading));
  return standalone && aboutSandbox && !aboutStcrmTest(code, file) && !aboutStcrmMcp(code, file)
    ? [...code.text.matchAll(FLAG)].map((match) => match[1] as string)
    : [];
}

/** Flags of `stcrm mcp` in a code span or code line, or a flag span on a line or under a heading about it. */
function stcrmMcpFlags(code: Code, file: string): string[] {
  const invocation = STCRM_MCP_INVOCATION.exec(code.text);
  if (invocation) return flagsOf(invocation[1] as string);
  const standalone = !code.fenced && code.text.trimStart().startsWith('--');
  return standalone && aboutStcrmMcp(code, file) ? [...code.text.matchAll(FLAG)].map((match) => match[1] as string) : [];
}

function aboutStcrmMcp(code: Code, file: string): boolean {
  if (file.startsWith('sandbox/')) return false;
  return /stcrm mcp|MCP server/i.test(code.lineText) || code.headings.some((heading) => /\bMCP\b/.test(heading));
}

/** A code span on a line or under a heading about `stcrm test` (whose `--sandbox` is its own); never in the sandbox's own docs. */
function aboutStcrmTest(code: Code, file: string): boolean {
  if (file.startsWith('sandbox/')) return false;
  return /stcrm test|test suites?/i.test(code.lineText) || code.headings.some((heading) => /test suites?|command line/i.test(heading));
}

/** Every command, setting, flag, script and variable one Markdown file names exists. */
export function checkNames(doc: MarkdownDoc, file: string, known: KnownNames): Problem[] {
  const problems: Problem[] = [];
  const viewFocus = (id: string): boolean => id.endsWith('.focus') && known.otherIds.has(id.slice(0, -'.focus'.length));
  const anyId = new Set([...known.commands, ...known.settings, ...known.otherIds]);
  for (const code of doc.code) {
    const report = (message: string): void => {
      problems.push({ file, line: code.line, message });
    };
    const section = code.headings[code.headings.length - 1] ?? '';
    for (const id of stcrmIds(code)) {
      if (/\bsettings?\b/i.test(section) && !code.fenced) {
        if (!known.settings.has(id)) report(`${id} is not a setting in package.json contributes.configuration${suggestion(id, known.settings)}`);
      } else if (/\bcommands?\b/i.test(section) && !code.fenced) {
        if (!known.commands.has(id)) report(`${id} is not a command in package.json contributes.commands${suggestion(id, known.commands)}`);
      } else if (!anyId.has(id) && !viewFocus(id)) {
        report(`${id} is no command, setting or other id in package.json contributes${suggestion(id, anyId)}`);
      }
    }
    for (const flag of sandboxFlags(code, file)) {
      if (!known.sandboxFlags.has(flag)) report(`${flag} is not a flag of the sandbox CLI (sandbox/cliOptions.ts)${suggestion(flag, known.sandboxFlags)}`);
    }
    for (const flag of stcrmMcpFlags(code, file)) {
      if (!known.mcpFlags.has(flag)) report(`${flag} is not a flag of stcrm mcp (src/cli/mcpCommand.ts)${suggestion(flag, known.mcpFlags)}`);
    }
    const testFlags = aboutStcrmMcp(code, file) && !STCRM_TEST_INVOCATION.test(code.text) ? [] : stcrmTestFlags(code);
    // A flag span on a line about `stcrm test` is one of its flags.
    if (testFlags.length === 0 && !code.fenced && code.text.trimStart().startsWith('--') && aboutStcrmTest(code, file) && !aboutStcrmMcp(code, file))
      testFlags.push(...[...code.text.matchAll(FLAG)].map((match) => match[1] as string));
    for (const flag of testFlags) {
      if (!known.stcrmFlags.has(flag)) report(`${flag} is not a flag of stcrm test (src/cli/testCommand.ts)${suggestion(flag, known.stcrmFlags)}`);
    }
    for (const match of code.text.matchAll(NPM_SCRIPT)) {
      const script = (match[1] ?? match[2]) as string;
      if (!known.npmScripts.has(script)) report(`npm script ${script} is not in package.json scripts${suggestion(script, known.npmScripts)}`);
    }
    for (const match of code.text.matchAll(ENVIRONMENT_NAME)) {
      if (!known.environment.has(match[0])) report(`${match[0]} is read nowhere in the code${suggestion(match[0], known.environment)}`);
    }
  }
  for (const link of doc.links) {
    const command = /^command:(stcrm\.[\w.]+)/.exec(link.target)?.[1];
    if (command !== undefined && !known.commands.has(command) && !viewFocus(command)) {
      problems.push({
        file,
        line: link.line,
        message: `command link ${command} names no command in package.json contributes.commands${suggestion(command, known.commands)}`,
      });
    }
  }
  return problems;
}

interface Manifest {
  scripts?: Record<string, string>;
  activationEvents?: string[];
  contributes?: {
    commands?: { command: string }[];
    configuration?: { properties?: Record<string, unknown> } | { properties?: Record<string, unknown> }[];
    views?: Record<string, { id: string }[]>;
    walkthroughs?: { id: string }[];
    menus?: Record<string, { when?: string }[]>;
    keybindings?: { when?: string }[];
    viewsWelcome?: { when?: string }[];
  };
}

/** Source files whose `STCRM_` names count as read (the checker's own tests excluded). */
function environmentNames(root: string): Set<string> {
  const names = new Set<string>();
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name) && child !== 'test/node/docs') walk(child);
      } else if (/\.(ts|mjs|cjs|js)$/.test(entry.name)) {
        for (const match of fs.readFileSync(path.join(root, child), 'utf8').matchAll(ENVIRONMENT_NAME)) names.add(match[0]);
      }
    }
  };
  for (const folder of ['src', 'sandbox', 'scripts', 'test']) walk(folder);
  return names;
}

/** The names the code declares: package.json's contributes and scripts, the sandbox CLI's flags. */
export function knownNames(root: string): KnownNames {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
  const contributes = manifest.contributes ?? {};
  const configurations = Array.isArray(contributes.configuration) ? contributes.configuration : [contributes.configuration ?? {}];
  const whenClauses = [...Object.values(contributes.menus ?? {}).flat(), ...(contributes.keybindings ?? []), ...(contributes.viewsWelcome ?? [])].map(
    (entry) => entry.when ?? '',
  );
  const otherIds = new Set<string>([
    ...Object.values(contributes.views ?? {})
      .flat()
      .map((view) => view.id),
    ...(contributes.walkthroughs ?? []).map((walkthrough) => walkthrough.id),
    ...whenClauses.flatMap((when) => [...when.matchAll(/stcrm\.\w+/g)].map((match) => match[0])),
    ...(manifest.activationEvents ?? []).flatMap((event) => [...event.matchAll(/stcrm\.\w+/g)].map((match) => match[0])),
  ]);
  return {
    commands: new Set((contributes.commands ?? []).map((command) => command.command)),
    settings: new Set(configurations.flatMap((configuration) => Object.keys(configuration.properties ?? {}))),
    otherIds,
    // The sandbox CLI's option table, the one place its flags are declared (it drives parsing and --help).
    sandboxFlags: new Set(CLI_OPTIONS.map((option) => option.flag)),
    // Its help text lists each flag at the start of a line.
    stcrmFlags: new Set([...TEST_USAGE.matchAll(/^\s+(--[\w-]+)/gm)].map((match) => match[1] as string)),
    mcpFlags: new Set([...MCP_USAGE.matchAll(/^\s+(--[\w-]+)/gm)].map((match) => match[1] as string)),
    npmScripts: new Set(Object.keys(manifest.scripts ?? {})),
    environment: environmentNames(root),
  };
}

export function formatProblems(problems: Problem[]): string {
  return problems.map((problem) => `${problem.file}:${problem.line}: ${problem.message}`).join('\n');
}
