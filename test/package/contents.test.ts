/**
 * What `npm run package` ships: exactly the bundle, media/, README, CHANGELOG, LICENSE and the
 * manifest, built for production, and a README that is the users' page. Runs after
 * `npm run package` (`npm run test:package`).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { before, describe, it } from 'node:test';
import { ROOT } from '../host/codeServer';
import { diskRepository } from '../node/docs/docsCheck';
import { parseMarkdown } from '../node/docs/markdown';
import { MANIFEST, readVsix, VSIX } from './vsix';

/** Files a VSIX may hold: its own two metadata files, then the extension's (vsce names the license LICENSE.txt). */
const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/i,
  /^extension\/changelog\.md$/i,
  /^extension\/LICENSE(\.txt)?$/,
  /^extension\/dist\/(webview\/)?[\w-]+\.(js|css)$/,
  /^extension\/media\/.+$/,
  /^extension\/schemas\/stcrm-(request|request-templates|suite)\.(schema\.)?json$/,
];
// 500 KB until the client carried all 86 operations (about 40 KB of generated schemas and table).
const BUNDLE_BUDGET_BYTES = 600 * 1024;

/** Where vsce points the README's relative links and images: the repository in package.json, at HEAD. */
function repositoryBase(): string {
  const repository = (JSON.parse(fs.readFileSync(`${ROOT}/package.json`, 'utf8')) as { repository?: { url?: string } }).repository?.url ?? '';
  const project = /github\.com[/:]([^/]+\/[^/]+?)(?:\.git)?$/.exec(repository)?.[1];
  assert.ok(project, `package.json names a GitHub repository (it has ${JSON.stringify(repository)})`);
  return `https://github.com/${project}`;
}

void describe('the VSIX', () => {
  let files: Map<string, Buffer>;
  const text = (name: string): string => {
    const content = files.get(name);
    assert.ok(content, `${name} is in the VSIX`);
    return content.toString('utf8');
  };

  before(async () => {
    assert.ok(fs.existsSync(VSIX), `${VSIX} exists: run \`npm run package\` first`);
    files = await readVsix();
  });

  void it('holds nothing but the bundle, media/, README.md, CHANGELOG.md, LICENSE and package.json', () => {
    const unexpected = [...files.keys()].filter((name) => !ALLOWED.some((pattern) => pattern.test(name)));
    assert.deepEqual(unexpected, []);
    for (const required of ['extension/package.json', 'extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt', 'extension/dist/extension.js', 'extension/dist/sandbox.js', 'extension/dist/webview/forms.js', 'extension/dist/webview/forms.css', 'extension/media/icon.png']) {
      assert.ok(files.has(required), `${required} is in the VSIX (it has: ${[...files.keys()].join(', ')})`);
    }
  });

  void it('ships a minified production bundle without source maps', () => {
    for (const name of [...files.keys()].filter((file) => file.startsWith('extension/dist/'))) {
      const code = text(name);
      assert.ok(!code.includes('sourceMappingURL'), `${name} has no source map reference`);
      // esbuild's development bundles name each source file in a comment ("// src/extension.ts").
      assert.ok(!/^\/\/ (src|sandbox|node_modules)\//m.test(code), `${name} is minified`);
    }
  });

  void it(`keeps the code loaded on activation under ${BUNDLE_BUDGET_BYTES / 1024} KB, with the sandbox in its own file`, () => {
    const extension = text('extension/dist/extension.js');
    assert.ok(Buffer.byteLength(extension) < BUNDLE_BUDGET_BYTES, `dist/extension.js is ${Math.round(Buffer.byteLength(extension) / 1024)} KB`);
    // The sandbox's data file format tag is only in its own bundle, which the extension requires on demand.
    const marker = 'format:"stcrm-sandbox"';
    assert.ok(text('extension/dist/sandbox.js').includes(marker), 'dist/sandbox.js holds the sandbox');
    assert.ok(!extension.includes(marker), 'dist/extension.js does not hold the sandbox');
    assert.ok(extension.includes('require("./sandbox.js")'), 'dist/extension.js requires ./sandbox.js');
  });

  void it('has a manifest a marketplace accepts, without build scripts or bundled dependencies', () => {
    const shipped = JSON.parse(text('extension/package.json')) as Record<string, unknown>;
    assert.equal(shipped.name, MANIFEST.name);
    assert.equal(shipped.publisher, MANIFEST.publisher);
    assert.equal(shipped.version, MANIFEST.version);
    assert.equal(shipped.main, './dist/extension.js');
    assert.equal(shipped.license, 'MIT');
    for (const field of ['repository', 'categories', 'keywords', 'icon']) assert.ok(shipped[field], `package.json has ${field}`);
    assert.ok(files.has(`extension/${String(shipped.icon)}`), 'the icon is in the VSIX');
    assert.match(String(shipped.icon), /\.png$/, 'the icon is a PNG (the marketplace refuses SVG icons)');
    for (const field of ['scripts', 'devDependencies', 'dependencies']) assert.equal(shipped[field], undefined, `no ${field} in the shipped package.json`);
    assert.match(text('extension.vsixmanifest'), new RegExp(`Id="${MANIFEST.name}"[^>]*Version="${MANIFEST.version.replace(/\./g, '\\.')}"[^>]*Publisher="${MANIFEST.publisher}"`));
  });

  void it('has a README for users: no sandbox HTTP reference and no bench output', () => {
    const readme = text('extension/readme.md');
    // The sandbox's routes, admin routes and fault rules live in sandbox/README.md.
    for (const reference of ['/__sandbox/', '/connect/token', 'ApiErrorResponse', '### Fault injection', '### Admin routes', 'startSandbox(']) {
      assert.ok(!readme.includes(reference), `the packed README does not hold the sandbox reference (${reference})`);
    }
    // Sizes and timings live in docs/benchmarks.md: no bench table, no figure in ms or µs.
    for (const benchOutput of [/^Summary: /m, /calls\/s/, /\bp95\b/, /\bRSS\b/, /\d ?(ms|µs)\b/]) {
      assert.doesNotMatch(readme, benchOutput, 'the packed README holds no bench output');
    }
  });

  void it("has a README whose links work outside a clone: https URLs into the repository's files, or its own headings", () => {
    const readme = parseMarkdown(text('extension/readme.md'));
    const base = repositoryBase();
    const repository = diskRepository(ROOT);
    const broken: string[] = [];
    for (const link of readme.links) {
      const [target = '', anchor = ''] = link.target.split('#', 2);
      if (target === '') {
        if (!readme.anchors.has(anchor)) broken.push(`${link.target}: no such heading in the README`);
        continue;
      }
      if (!/^https:\/\//.test(target) && files.has(`extension/${target}`)) continue;
      if (!target.startsWith('https://')) {
        broken.push(`${link.target}: neither an https URL nor a file in the VSIX`);
        continue;
      }
      // vsce points relative links at blob/HEAD/ and images at raw/HEAD/ of the repository.
      const inRepository = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(blob|raw)/HEAD/(.+)$`).exec(target);
      if (!inRepository) continue; // another site: nothing here can check it
      const [, kind, file = ''] = inRepository;
      if (link.image && kind !== 'raw') broken.push(`${link.target}: an image must be the raw file`);
      if (!repository.kind(decodeURIComponent(file))) broken.push(`${link.target}: ${file} is not in the repository`);
      else if (anchor !== '' && file.endsWith('.md') && !repository.markdown(file)?.anchors.has(anchor)) broken.push(`${link.target}: ${file} has no heading #${anchor}`);
    }
    assert.ok(readme.links.length > 0, 'the packed README has links');
    assert.deepEqual(broken, []);
  });
});
