// Builds the extension: bundles src/extension.ts (and vscode-languageclient) into
// dist/extension.js with esbuild, and writes syntaxes/plan.tmLanguage.json from
// src/grammar.ts. `--watch` rebuilds on change; `--dev` keeps a source map, unminified.
import * as esbuild from 'esbuild';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const dev = watch || process.argv.includes('--dev');

async function writeGrammar() {
  const out = await esbuild.build({
    entryPoints: [join(root, 'src/grammar.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0].text;
  const mod = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  writeFileSync(join(root, 'syntaxes/plan.tmLanguage.json'), mod.planGrammarJson());
  console.log('wrote syntaxes/plan.tmLanguage.json');
}

const options = {
  absWorkingDir: root,
  entryPoints: [join(root, 'src/extension.ts')],
  outfile: join(root, 'dist/extension.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // VS Code 1.82 runs extensions on Node 18.
  target: 'node18',
  external: ['vscode'],
  minify: !dev,
  sourcemap: dev,
  legalComments: 'none',
  metafile: true,
  logLevel: 'info',
};

// The licences of the packages bundled into dist/extension.js (they are MIT/ISC and
// ask for their notice to be kept), as dist/THIRD-PARTY-NOTICES.txt.
function writeNotices(metafile) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    // The last node_modules/ of the path: nested copies are packages of their own.
    const m = /^(.*node_modules\/)((?:@[^/]+\/)?[^/]+)\//.exec(input.replaceAll('\\', '/'));
    if (m) packages.set(`${m[2]}@${m[1]}`, { name: m[2], dir: m[1] + m[2] });
  }
  const parts = [];
  for (const { name, dir: rel } of [...packages.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = join(root, rel);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
    const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `License: ${pkg.license}`;
    parts.push(`${name} ${pkg.version} (${pkg.license})\n\n${text}\n`);
  }
  const header = 'plancheck for VS Code bundles the following packages into dist/extension.js.\n\n';
  writeFileSync(join(root, 'dist/THIRD-PARTY-NOTICES.txt'), header + parts.join('\n' + '-'.repeat(72) + '\n\n'));
  console.log(`wrote dist/THIRD-PARTY-NOTICES.txt (${packages.size} packages)`);
}

await writeGrammar();
if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  const result = await esbuild.build(options);
  writeNotices(result.metafile);
}
