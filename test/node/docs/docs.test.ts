// The docs stay true to the repository: links and anchors resolve, and the commands, settings,
// flags, scripts and variables they name exist. The checker's own tests run it on inline
// Markdown, so a checker that found nothing would fail here too.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkLinks, checkNames, diskRepository, formatProblems, knownNames, markdownFiles, memoryRepository, type KnownNames } from './docsCheck';
import { githubSlug, parseMarkdown } from './markdown';

const ROOT = path.resolve(__dirname, '../../../..');

void describe('the docs', () => {
  const files = markdownFiles(ROOT);
  const known = knownNames(ROOT);

  void it('are found, with README.md and the docs/ folder among them', () => {
    for (const file of ['README.md', 'CHANGELOG.md', 'docs/development.md', 'docs/benchmarks.md', 'test/host/README.md'])
      assert.ok(files.includes(file), `${file} is checked (found: ${files.join(', ')})`);
    assert.ok(!files.some((file) => file.startsWith('node_modules/') || file.startsWith('test/host/code-server/')), 'dependencies are not checked');
  });

  void it('link only to files that exist and to headings that exist', () => {
    const repository = diskRepository(ROOT);
    const problems = files.flatMap((file) => checkLinks(repository, file));
    assert.equal(formatProblems(problems), '');
  });

  void it('name only commands, settings, sandbox flags, npm scripts and STCRM_ variables that exist', () => {
    // The changelog is history: it may name what a later version renamed or removed.
    const problems = files
      .filter((file) => file !== 'CHANGELOG.md')
      .flatMap((file) => checkNames(parseMarkdown(fs.readFileSync(path.join(ROOT, file), 'utf8')), file, known));
    assert.equal(formatProblems(problems), '');
  });

  void it('read the names from the code, so an empty list cannot pass everything', () => {
    for (const flag of ['--port', '--data', '--rate-limit', '--429-rate', '--help'])
      assert.ok(known.sandboxFlags.has(flag), `the sandbox CLI's ${flag} is read from sandbox/cliOptions.ts (read: ${[...known.sandboxFlags].join(' ')})`);
    assert.ok(known.commands.has('stcrm.addProfile') && known.settings.has('stcrm.pageSize') && known.otherIds.has('stcrm.customers'));
    assert.ok(known.npmScripts.has('sandbox') && known.environment.has('STCRM_TEST_GREP'));
    assert.ok(known.mcpFlags.has('--allow-writes') && known.mcpFlags.has('--allow-production-writes') && known.stcrmFlags.has('--junit'));
  });

  void it('keep README.md, the Extensions-view page, for users: under 20 KB, with the rest linked', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'));
    assert.ok(
      readme.length < 20 * 1024,
      `README.md is ${(readme.length / 1024).toFixed(1)} KB: move contributor or sandbox reference to docs/ or sandbox/README.md`,
    );
    const links = parseMarkdown(readme.toString('utf8')).links.map((link) => link.target);
    for (const page of ['docs/development.md', 'sandbox/README.md']) assert.ok(links.includes(page), `README.md links ${page}`);
  });

  void it('list every contributed command and setting in README.md (scripts rely on its tables)', () => {
    const readme = parseMarkdown(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    const named = new Set(readme.code.map((code) => code.text.trim()));
    assert.deepEqual(
      [...known.commands].filter((command) => !named.has(command)),
      [],
      'commands missing from README.md',
    );
    assert.deepEqual(
      [...known.settings].filter((setting) => !named.has(setting)),
      [],
      'settings missing from README.md',
    );
  });
});

void describe('GitHub heading anchors', () => {
  void it('lower-case, keep letters, digits, - and _, turn spaces into - and drop other punctuation', () => {
    assert.equal(githubSlug('Writes to production ask first'), 'writes-to-production-ask-first');
    assert.equal(githubSlug('Commands (category "ServiceTitan CRM")'), 'commands-category-servicetitan-crm');
    assert.equal(githubSlug('Enforced rate limit (--rate-limit N)'), 'enforced-rate-limit---rate-limit-n');
    assert.equal(githubSlug('Show / Hide'), 'show--hide');
    assert.equal(githubSlug('snake_case & C#'), 'snake_case--c');
    assert.equal(githubSlug('Größe über Ærø'), 'größe-über-ærø');
    assert.equal(githubSlug('Validation (ASP.NET Core style)'), 'validation-aspnet-core-style');
  });

  void it('come from the rendered heading and number repeats as GitHub does', () => {
    const doc = parseMarkdown(
      [
        '# Title',
        '## Routes (relative to `/crm/v2/tenant/{tenant}`)',
        '## A [link](x.md) and *stress*',
        '## Notes',
        '## Notes',
        '## Notes-1',
        '## Notes',
        '### _snake_case_',
        'Setext',
        '---',
      ].join('\n'),
    );
    assert.deepEqual(
      doc.headings.map((heading) => heading.slug),
      ['title', 'routes-relative-to-crmv2tenanttenant', 'a-link-and-stress', 'notes', 'notes-1', 'notes-1-1', 'notes-2', 'snake_case', 'setext'],
    );
  });

  void it('ignore # lines inside fenced code', () => {
    const doc = parseMarkdown(['```bash', '# a comment', '```', '## Real'].join('\n'));
    assert.deepEqual([...doc.anchors], ['real']);
  });
});

void describe('the docs checker', () => {
  const known: KnownNames = {
    commands: new Set(['stcrm.addProfile', 'stcrm.refresh']),
    settings: new Set(['stcrm.pageSize']),
    otherIds: new Set(['stcrm.customers']),
    sandboxFlags: new Set(['--port', '--data', '--help']),
    stcrmFlags: new Set(['--sandbox', '--junit', '--help']),
    mcpFlags: new Set(['--sandbox', '--allow-writes']),
    npmScripts: new Set(['test', 'start', 'sandbox', 'package']),
    environment: new Set(['STCRM_TEST_GREP']),
  };
  const names = (markdown: string, file = 'README.md'): string[] =>
    checkNames(parseMarkdown(markdown), file, known).map((problem) => `${problem.line}: ${problem.message}`);

  void it('finds links to missing files and anchors, in the same file and in others', () => {
    const repository = memoryRepository({
      'README.md': [
        '# Guide',
        'See [Guide](#guide), [missing](#nowhere), [dev](docs/dev.md#testing), [dev gone](docs/dev.md#tests),',
        '[gone](docs/gone.md), ![shot](docs/shot.png), [folder](docs/) and [outside](../x.md).',
        '`[not a link](nowhere.md)` and',
        '```',
        '[not a link either](nowhere.md)',
        '```',
        '[ref]: docs/missing.md',
      ].join('\n'),
      'docs/dev.md': '# Dev\n## Testing\n',
      'docs/shot.png': '',
    });
    assert.deepEqual(
      checkLinks(repository, 'README.md').map((problem) => `${problem.line}: ${problem.message}`),
      [
        '2: link #nowhere: README.md has no heading with the anchor #nowhere',
        '2: link docs/dev.md#tests: docs/dev.md has no heading with the anchor #tests (did you mean testing?)',
        '3: link docs/gone.md: docs/gone.md does not exist',
        '3: link ../x.md: leaves the repository',
        '8: link docs/missing.md: docs/missing.md does not exist',
      ],
    );
  });

  void it('resolves links relative to the file that holds them', () => {
    const repository = memoryRepository({ 'docs/a.md': '[b](b.md#b) [readme](../README.md#top)', 'docs/b.md': '# B', 'README.md': '# Top' });
    assert.deepEqual(checkLinks(repository, 'docs/a.md'), []);
  });

  void it('finds commands and settings that do not exist, by the section they are in', () => {
    assert.deepEqual(names(['## Commands', '| Add | `stcrm.addProfile` |', '| Old | `stcrm.addProfiles` |', '| Setting | `stcrm.pageSize` |'].join('\n')), [
      '3: stcrm.addProfiles is not a command in package.json contributes.commands (did you mean stcrm.addProfile?)',
      '4: stcrm.pageSize is not a command in package.json contributes.commands',
    ]);
    assert.deepEqual(names(['## Settings', '`stcrm.pageSize` and `stcrm.pagesize`'].join('\n')), [
      '2: stcrm.pagesize is not a setting in package.json contributes.configuration (did you mean stcrm.pageSize?)',
    ]);
    assert.deepEqual(
      names(
        [
          '## Elsewhere',
          'Run `stcrm.refresh`, see `stcrm.customers`, set `stcrm.pageSize: 10`; `stcrm.nothing`.',
          '```js',
          "executeCommand('stcrm.refreh'); open('x.stcrm.json')",
          '```',
        ].join('\n'),
      ),
      [
        '2: stcrm.nothing is no command, setting or other id in package.json contributes',
        '4: stcrm.refreh is no command, setting or other id in package.json contributes (did you mean stcrm.refresh?)',
      ],
    );
  });

  void it('finds sandbox flags that do not exist, and leaves other tools\u2019 flags alone', () => {
    assert.deepEqual(
      names(
        [
          '# Install',
          '`code --install-extension x.vsix`, `node --test --test-concurrency=1 out/`, `--baseContentUrl` of vsce.',
          '`npm run sandbox -- --port 8080 --dat x`',
          '```bash',
          'npm run sandbox -- --help --rate-limit 60 && node --test',
          '```',
          '## The sandbox',
          '`--data FILE`, `--customers N`',
          '# Other',
          'The sandbox flag `--latency MS`.',
        ].join('\n'),
      ),
      [
        '3: --dat is not a flag of the sandbox CLI (sandbox/cliOptions.ts) (did you mean --data?)',
        '5: --rate-limit is not a flag of the sandbox CLI (sandbox/cliOptions.ts)',
        '8: --customers is not a flag of the sandbox CLI (sandbox/cliOptions.ts)',
        '10: --latency is not a flag of the sandbox CLI (sandbox/cliOptions.ts)',
      ],
    );
    assert.deepEqual(names('`--anything` goes in sandbox/README.md', 'sandbox/README.md'), [
      '1: --anything is not a flag of the sandbox CLI (sandbox/cliOptions.ts)',
    ]);
  });

  void it('tells the flags of stcrm test from the sandbox\u2019s, and file names from ids', () => {
    assert.deepEqual(
      names(
        [
          '## Test suites',
          '`npx stcrm test examples --sandbox --jnuit out.xml`, `--sandbox` and `--bail`, the file `stcrm.env.json`.',
          '`npx stcrm sandbox --port 1 --sandbox`',
        ].join('\n'),
      ),
      [
        '2: --jnuit is not a flag of stcrm test (src/cli/testCommand.ts) (did you mean --junit?)',
        '2: --bail is not a flag of stcrm test (src/cli/testCommand.ts)',
        '3: --sandbox is not a flag of the sandbox CLI (sandbox/cliOptions.ts)',
      ],
    );
  });

  void it('tells the flags of stcrm mcp from those of stcrm test and the sandbox', () => {
    assert.deepEqual(
      names(
        [
          '## The MCP server',
          '`npx stcrm mcp --sandbox --allow-write`, `--allow-writes` and `--junit` (a fresh sandbox).',
          '`npx stcrm test --sandbox` beside it.',
        ].join('\n'),
      ),
      [
        '2: --allow-write is not a flag of stcrm mcp (src/cli/mcpCommand.ts) (did you mean --allow-writes?)',
        '2: --junit is not a flag of stcrm mcp (src/cli/mcpCommand.ts)',
      ],
    );
  });

  void it('finds npm scripts, STCRM_ variables and command links that do not exist', () => {
    assert.deepEqual(
      names(
        [
          '`npm start`, `npm test`, `npm run package`, `npm run bench`',
          '`STCRM_TEST_GREP=x`, `STCRM_SANDBOX_PORTS`',
          '[Add](command:stcrm.addProfile) [Focus](command:stcrm.customers.focus) [Old](command:stcrm.add) [Other](command:workbench.action.reloadWindow)',
        ].join('\n'),
      ),
      [
        '1: npm script bench is not in package.json scripts',
        '2: STCRM_SANDBOX_PORTS is read nowhere in the code',
        '3: command link stcrm.add names no command in package.json contributes.commands',
      ],
    );
  });
});
