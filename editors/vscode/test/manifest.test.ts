import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECTION, SETTINGS } from '../src/options';
import { root } from './textmate';

interface Manifest {
  name: string;
  publisher: string;
  version: string;
  main: string;
  icon: string;
  engines: { vscode: string };
  activationEvents: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  contributes: {
    languages: { id: string; extensions: string[]; configuration: string; icon?: { light: string; dark: string } }[];
    grammars: { language: string; scopeName: string; path: string }[];
    configuration: { properties: Record<string, { default?: unknown; enum?: string[] }> };
    commands: { command: string; title: string }[];
    menus?: Record<string, { command: string }[]>;
    configurationDefaults: Record<string, Record<string, unknown>>;
  };
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const sources = readdirSync(join(root, 'src'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join(root, 'src', f), 'utf8'))
  .join('\n');
const extensionSource = readFileSync(join(root, 'src', 'extension.ts'), 'utf8');

describe('package.json', () => {
  it('every declared command is registered in extension.ts, and every registered one declared', () => {
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    const registered = [...extensionSource.matchAll(/registerCommand\(\s*'([^']+)'/g)].map((m) => m[1]).sort();
    expect(declared.length).toBeGreaterThan(0);
    expect(registered).toEqual(declared);
  });

  it('declares the five commands of the extension', () => {
    expect(manifest.contributes.commands.map((c) => c.command)).toEqual([
      'plancheck.restartServer',
      'plancheck.showOutput',
      'plancheck.openRuleDocs',
      'plancheck.install',
      'plancheck.formatDocument',
    ]);
  });

  it('commands used in code (menus, command: links, executeCommand of our own) exist', () => {
    const declared = new Set(manifest.contributes.commands.map((c) => c.command));
    const used = [
      ...[...sources.matchAll(/command:(plancheck\.[A-Za-z]+)/g)].map((m) => m[1]),
      ...Object.values(manifest.contributes.menus ?? {}).flatMap((items) => items.map((i) => i.command)),
    ];
    expect(used.filter((c) => c === undefined || !declared.has(c))).toEqual([]);
  });

  it('every configuration key used in code exists in contributes.configuration', () => {
    const properties = manifest.contributes.configuration.properties;
    const keys = Object.values(SETTINGS).map((k) => `${SECTION}.${k}`);
    // Literal keys in the sources too: getConfiguration('plancheck').get('x') and 'plancheck.x'.
    const literal = [...sources.matchAll(/['`](plancheck\.[a-z]+(?:\.[a-z]+)*)['`]/g)]
      .map((m) => m[1] ?? '')
      .filter((k) => !manifest.contributes.commands.some((c) => c.command === k) && !/\.(exe|toml|md)$/.test(k));
    // Settings read through SETTINGS.<name> in extension.ts.
    for (const m of extensionSource.matchAll(/SETTINGS\.(\w+)/g)) {
      expect(Object.keys(SETTINGS)).toContain(m[1]);
    }
    for (const key of [...keys, ...literal]) {
      expect(properties, key).toHaveProperty([key]);
    }
    expect(Object.keys(properties).sort()).toEqual(keys.sort());
    // vscode-languageclient reads `<client id>.trace.server`: the client id must be `plancheck`.
    expect(extensionSource).toMatch(/new LanguageClient\(\s*'plancheck'/);
  });

  it('has the documented settings with their defaults', () => {
    const p = manifest.contributes.configuration.properties;
    expect(p['plancheck.server.path']?.default).toBe('');
    expect(p['plancheck.lang']).toMatchObject({ default: 'ja', enum: ['ja', 'en'] });
    expect(p['plancheck.rules']?.default).toEqual({});
    expect(p['plancheck.trace.server']).toMatchObject({ default: 'off', enum: ['off', 'messages', 'verbose'] });
  });

  it('contributes no static snippets: the server offers those valid at the cursor', () => {
    expect((manifest.contributes as Record<string, unknown>).snippets).toBeUndefined();
  });

  it('points at files that exist', () => {
    const c = manifest.contributes;
    const files = [
      manifest.icon,
      ...c.languages.flatMap((l) => [l.configuration, l.icon?.light, l.icon?.dark]),
      ...c.grammars.map((g) => g.path),
    ].filter((f): f is string => f !== undefined);
    for (const f of files) {
      expect(existsSync(join(root, f)), f).toBe(true);
    }
    expect(manifest.main).toBe('./dist/extension.js');
  });

  it('declares the plan language, its grammar and activation', () => {
    expect(manifest.contributes.languages[0]).toMatchObject({ id: 'plan', extensions: ['.plan'] });
    expect(manifest.contributes.grammars[0]).toMatchObject({ language: 'plan', scopeName: 'source.plan' });
    expect(manifest.activationEvents).toEqual(['onLanguage:plan']);
    expect(manifest.contributes.configurationDefaults['[plan]']).toMatchObject({
      'editor.formatOnSave': false,
      'editor.tabSize': 2,
      'editor.insertSpaces': true,
    });
  });

  it('pins @types/vscode to the engines.vscode version', () => {
    expect(manifest.engines.vscode).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(manifest.devDependencies['@types/vscode']).toBe(manifest.engines.vscode.slice(1));
  });

  it('uses a vscode-languageclient whose engines match ours', () => {
    const lc = JSON.parse(
      readFileSync(join(root, 'node_modules', 'vscode-languageclient', 'package.json'), 'utf8'),
    ) as { version: string; engines: { vscode: string } };
    expect(lc.version).toBe(manifest.dependencies['vscode-languageclient']);
    const min = (range: string) => range.replace(/^[\^~>=]+/, '').split('.').map(Number);
    const [ourMajor = 0, ourMinor = 0] = min(manifest.engines.vscode);
    const [lcMajor = 0, lcMinor = 0] = min(lc.engines.vscode);
    expect(ourMajor > lcMajor || (ourMajor === lcMajor && ourMinor >= lcMinor)).toBe(true);
  });
});

describe('language-configuration.json', () => {
  const config = JSON.parse(readFileSync(join(root, 'language-configuration.json'), 'utf8')) as {
    comments: { lineComment: string };
    brackets: [string, string][];
    autoClosingPairs: { open: string; close: string }[];
    surroundingPairs: [string, string][];
    indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
    onEnterRules: { beforeText: string; action: { indent: string; appendText?: string } }[];
  };

  it('has # comments and the Japanese brackets', () => {
    expect(config.comments.lineComment).toBe('#');
    for (const pair of [['{', '}'], ['(', ')'], ['（', '）'], ['「', '」']]) {
      expect(config.brackets).toContainEqual(pair);
      expect(config.surroundingPairs).toContainEqual(pair);
      expect(config.autoClosingPairs).toContainEqual(expect.objectContaining({ open: pair[0], close: pair[1] }));
    }
  });

  it('indents after `{` and outdents on `}`', () => {
    const inc = new RegExp(config.indentationRules.increaseIndentPattern);
    const dec = new RegExp(config.indentationRules.decreaseIndentPattern);
    expect(inc.test('  施策 1-1-1 健康づくり {')).toBe(true);
    expect(inc.test('  # コメント {')).toBe(false);
    expect(inc.test('    | 文章 {')).toBe(false);
    expect(dec.test('  }')).toBe(true);
    expect(dec.test('  全体評価: B')).toBe(false);
  });

  /** The action VS Code would take on Enter after `before` (the first rule that matches). */
  const onEnter = (before: string) => config.onEnterRules.find((r) => new RegExp(r.beforeText).test(before))?.action;

  it('continues text lines with the same marker', () => {
    expect(onEnter('    | 市民の健康づくりを支援した。')).toEqual({ indent: 'none', appendText: '| ' });
    expect(onEnter('    ｜全角の縦線')).toEqual({ indent: 'none', appendText: '｜' });
    // Enter on an empty text line leaves the text block.
    expect(onEnter('    | ')).toEqual({ indent: 'outdent' });
  });

  it('starts a text block after `KEY:` with nothing after it', () => {
    expect(onEnter('  成果:')).toEqual({ indent: 'indent', appendText: '| ' });
    expect(onEnter('  課題：  ')).toEqual({ indent: 'indent', appendText: '| ' });
    expect(onEnter('  成果: 文章がある')).toBeUndefined();
    expect(onEnter('  施策 1-1-1 健康づくり {')).toBeUndefined();
    expect(onEnter('  # メモ:')).toBeUndefined();
  });
});
