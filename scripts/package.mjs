// `npm run package`: builds servicetitan-crm-<version>.vsix with @vscode/vsce from a staging
// folder (.package/), so dist/ keeps the development bundle with its source maps. The stage holds
// exactly what ships: the minified production bundle without source maps, media/, README.md,
// CHANGELOG.md, LICENSE, the request-file JSON Schema and templates and the suite-file JSON Schema (schemas/), and a package.json
// without scripts or dependencies (they are bundled).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build, ROOT } from './build.mjs';

const STAGE = path.join(ROOT, '.package');
const SHIPPED = [
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'media',
  'schemas/stcrm-request.schema.json',
  'schemas/stcrm-request-templates.json',
  'schemas/stcrm-suite.schema.json',
];

export async function packageExtension() {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const vsix = path.join(ROOT, `${manifest.name}-${manifest.version}.vsix`);
  fs.rmSync(STAGE, { recursive: true, force: true });
  fs.mkdirSync(STAGE, { recursive: true });

  await build({ production: true, outdir: path.join(STAGE, 'dist') });
  for (const entry of SHIPPED) {
    fs.mkdirSync(path.dirname(path.join(STAGE, entry)), { recursive: true });
    fs.cpSync(path.join(ROOT, entry), path.join(STAGE, entry), { recursive: true });
  }
  const { scripts: _scripts, dependencies: _dependencies, devDependencies: _devDependencies, allowScripts: _allowScripts, ...shipped } = manifest;
  // `files` tells vsce what to pack; the stage holds nothing else anyway.
  fs.writeFileSync(path.join(STAGE, 'package.json'), `${JSON.stringify({ ...shipped, files: ['dist/**/*.js', 'dist/**/*.css', ...SHIPPED] }, null, 2)}\n`);

  // stdin closed: a question from vsce (a missing field) fails the build instead of waiting forever.
  const vsce = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', vsix], {
    cwd: STAGE,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (vsce.status !== 0) throw new Error(`vsce package failed (exit code ${vsce.status ?? vsce.signal})`);
  return vsix;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, 'scripts', 'package.mjs')) {
  const vsix = await packageExtension();
  console.log(`package: ${path.relative(ROOT, vsix)} (${Math.round(fs.statSync(vsix).size / 1024)} KB)`);
}
