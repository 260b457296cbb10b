import { describe, expect, it } from 'vitest';
import {
  type ResolveEnv,
  baseClientOptions,
  binaryName,
  buildServerSettings,
  bundledServerPath,
  didChangeConfigurationParams,
  expandPath,
  explainArgs,
  explainListArgs,
  isRuleArgument,
  parseRuleDocsUri,
  parseRuleList,
  resolveServerCommand,
  ruleDocsUri,
  serverExecutable,
  serverMissingMessage,
  which,
} from '../src/options';

/** A fake machine: `files` are the executable files that exist. */
function env(files: string[], overrides: Partial<ResolveEnv> = {}): ResolveEnv {
  const set = new Set(files);
  return {
    platform: 'linux',
    extensionPath: '/ext/plancheck-0.1.0',
    workspaceFolder: '/work/plans',
    homeDir: '/home/tanaka',
    pathEnv: '/usr/local/bin:/usr/bin',
    isExecutable: (p) => set.has(p),
    ...overrides,
  };
}

describe('resolveServerCommand: the order', () => {
  const all = ['/opt/plancheck/plancheck', '/ext/plancheck-0.1.0/server/plancheck', '/usr/bin/plancheck'];

  it('1. the setting wins over the bundled binary and PATH', () => {
    expect(resolveServerCommand('/opt/plancheck/plancheck', env(all))).toEqual({
      ok: true,
      command: '/opt/plancheck/plancheck',
      source: 'setting',
    });
  });

  it('2. without a setting, the bundled binary wins over PATH', () => {
    for (const setting of [undefined, '', '   ']) {
      expect(resolveServerCommand(setting, env(all))).toEqual({
        ok: true,
        command: '/ext/plancheck-0.1.0/server/plancheck',
        source: 'bundled',
      });
    }
  });

  it('3. else plancheck on PATH, the first directory that has it', () => {
    expect(resolveServerCommand('', env(['/usr/bin/plancheck', '/usr/local/bin/plancheck']))).toEqual({
      ok: true,
      command: '/usr/local/bin/plancheck',
      source: 'path',
    });
  });

  it('nothing anywhere: not-found, listing every place looked at', () => {
    const result = resolveServerCommand('', env([]));
    expect(result).toEqual({
      ok: false,
      reason: 'not-found',
      tried: ['/ext/plancheck-0.1.0/server/plancheck', '/usr/local/bin/plancheck', '/usr/bin/plancheck'],
    });
  });

  it('a setting that names nothing is an error, never replaced by the bundled binary or PATH', () => {
    const result = resolveServerCommand('/opt/missing/plancheck', env(all));
    expect(result).toEqual({ ok: false, reason: 'setting', setting: '/opt/missing/plancheck', tried: ['/opt/missing/plancheck'] });
  });
});

describe('resolveServerCommand: the setting', () => {
  it('expands ~ and ${userHome}', () => {
    const e = env(['/home/tanaka/bin/plancheck']);
    expect(resolveServerCommand('~/bin/plancheck', e)).toMatchObject({ ok: true, command: '/home/tanaka/bin/plancheck' });
    expect(resolveServerCommand('${userHome}/bin/plancheck', e)).toMatchObject({ ok: true, command: '/home/tanaka/bin/plancheck' });
  });

  it('resolves ${workspaceFolder} and relative paths against the workspace folder', () => {
    const e = env(['/work/plans/tools/plancheck']);
    expect(resolveServerCommand('${workspaceFolder}/tools/plancheck', e)).toMatchObject({ ok: true, command: '/work/plans/tools/plancheck' });
    expect(resolveServerCommand('./tools/plancheck', e)).toMatchObject({ ok: true, command: '/work/plans/tools/plancheck' });
    expect(resolveServerCommand('tools/plancheck', e)).toMatchObject({ ok: true, command: '/work/plans/tools/plancheck' });
  });

  it('a relative path without a workspace folder is an error', () => {
    const e = env(['/work/plans/tools/plancheck'], { workspaceFolder: undefined });
    expect(resolveServerCommand('tools/plancheck', e)).toMatchObject({ ok: false, reason: 'setting' });
    expect(resolveServerCommand('${workspaceFolder}/tools/plancheck', e)).toMatchObject({ ok: false, reason: 'setting' });
  });

  it('a bare command name is looked up on PATH', () => {
    const e = env(['/usr/bin/plancheck-nightly']);
    expect(resolveServerCommand('plancheck-nightly', e)).toEqual({ ok: true, command: '/usr/bin/plancheck-nightly', source: 'setting' });
    expect(resolveServerCommand('plancheck-beta', e)).toMatchObject({
      ok: false,
      reason: 'setting',
      tried: ['/usr/local/bin/plancheck-beta', '/usr/bin/plancheck-beta'],
    });
  });
});

describe('resolveServerCommand on Windows', () => {
  const win = (files: string[], overrides: Partial<ResolveEnv> = {}) =>
    env(files, {
      platform: 'win32',
      extensionPath: 'C:\\Users\\tanaka\\.vscode\\extensions\\plancheck.plancheck-0.1.0',
      workspaceFolder: 'C:\\plans',
      homeDir: 'C:\\Users\\tanaka',
      pathEnv: 'C:\\Windows\\system32;"C:\\Program Files\\plancheck"',
      pathExt: '.COM;.EXE;.BAT',
      ...overrides,
    });

  it('uses server\\plancheck.exe as the bundled binary', () => {
    const bundled = 'C:\\Users\\tanaka\\.vscode\\extensions\\plancheck.plancheck-0.1.0\\server\\plancheck.exe';
    expect(binaryName('win32')).toBe('plancheck.exe');
    expect(bundledServerPath(win([]))).toBe(bundled);
    expect(resolveServerCommand('', win([bundled]))).toMatchObject({ ok: true, command: bundled, source: 'bundled' });
  });

  it('finds plancheck.exe on PATH with PATHEXT (quoted directories too)', () => {
    const exe = 'C:\\Program Files\\plancheck\\plancheck.exe';
    expect(resolveServerCommand('', win([exe]))).toEqual({ ok: true, command: exe, source: 'path' });
  });

  it('accepts a setting without .exe, and drive-letter and relative paths', () => {
    expect(resolveServerCommand('D:\\tools\\plancheck', win(['D:\\tools\\plancheck.exe']))).toMatchObject({
      ok: true,
      command: 'D:\\tools\\plancheck.exe',
    });
    expect(resolveServerCommand('D:/tools/plancheck.exe', win(['D:/tools/plancheck.exe']))).toMatchObject({ ok: true });
    expect(resolveServerCommand('bin\\plancheck.exe', win(['C:\\plans\\bin\\plancheck.exe']))).toMatchObject({
      ok: true,
      command: 'C:\\plans\\bin\\plancheck.exe',
    });
    expect(resolveServerCommand('~\\bin\\plancheck.exe', win(['C:\\Users\\tanaka\\bin\\plancheck.exe']))).toMatchObject({ ok: true });
  });
});

describe('which and expandPath', () => {
  it('skips empty PATH entries and handles an unset PATH', () => {
    expect(which('plancheck', env(['/usr/bin/plancheck'], { pathEnv: '::/usr/bin:' })).found).toBe('/usr/bin/plancheck');
    expect(which('plancheck', env(['/usr/bin/plancheck'], { pathEnv: undefined }))).toEqual({ tried: [] });
  });

  it('expands only known variables', () => {
    expect(expandPath('  ~  ', env([]))).toBe('/home/tanaka');
    expect(expandPath('/a/${other}/b', env([]))).toBe('/a/${other}/b');
  });
});

describe('serverMissingMessage', () => {
  it('is in the chosen language and names the setting', () => {
    const notFound = serverMissingMessage({ ok: false, reason: 'not-found', tried: [] }, 'ja');
    expect(notFound).toMatch(/^チェッカー本体 \(plancheck\) が見つかりません/);
    expect(notFound).toContain('plancheck.server.path');
    expect(notFound).not.toMatch(/[A-Za-z]{4,} [a-z]{3,}/);
    expect(serverMissingMessage({ ok: false, reason: 'not-found', tried: [] }, 'en')).toMatch(/^The plancheck binary was not found/);
    const setting = serverMissingMessage({ ok: false, reason: 'setting', setting: '/opt/x', tried: ['/opt/x'] }, 'ja');
    expect(setting).toContain('「/opt/x」');
    expect(serverMissingMessage({ ok: false, reason: 'setting', setting: '/opt/x', tried: ['/opt/x'] }, 'en')).toContain('"/opt/x"');
  });
});

describe('buildServerSettings', () => {
  it('defaults: Japanese, no rule overrides', () => {
    expect(buildServerSettings({})).toEqual({ settings: { lang: 'ja', rules: {} }, problems: [] });
    expect(buildServerSettings({ lang: null, rules: null })).toEqual({ settings: { lang: 'ja', rules: {} }, problems: [] });
  });

  it('passes valid values through', () => {
    const { settings, problems } = buildServerSettings({
      lang: 'en',
      rules: { 'near-duplicate-text': 'off', 'rating-mismatch': 'error', 'period-mismatch': 'warning', 'missing-field': 'info' },
    });
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      lang: 'en',
      rules: { 'near-duplicate-text': 'off', 'rating-mismatch': 'error', 'period-mismatch': 'warning', 'missing-field': 'info' },
    });
  });

  it('drops invalid severities and rule names, and reports each', () => {
    const { settings, problems } = buildServerSettings({
      lang: 'fr',
      rules: { 'rating-mismatch': 'fatal', 'duplicate-text': 'off', 'Bad Name': 'off', 'missing-field': 2, 'unit-mismatch': 'Warning' },
    });
    expect(settings).toEqual({ lang: 'ja', rules: { 'duplicate-text': 'off' } });
    expect(problems.map((p) => p.setting)).toEqual([
      'plancheck.lang',
      'plancheck.rules.rating-mismatch',
      'plancheck.rules.Bad Name',
      'plancheck.rules.missing-field',
      'plancheck.rules.unit-mismatch',
    ]);
    expect(problems[1]?.message).toContain('"fatal"');
    expect(problems[1]?.message).toContain('error, warning, info, off');
  });

  it('reports a rules value that is not an object', () => {
    for (const rules of [['rating-mismatch'], 'off', 3]) {
      const { settings, problems } = buildServerSettings({ rules });
      expect(settings.rules).toEqual({});
      expect(problems.map((p) => p.setting)).toEqual(['plancheck.rules']);
    }
  });
});

describe('client options', () => {
  const settings = { lang: 'en' as const, rules: { 'near-duplicate-text': 'off' as const } };

  it('selects plan files on disk and untitled plan documents', () => {
    expect(baseClientOptions(settings).documentSelector).toEqual([
      { scheme: 'file', language: 'plan' },
      { scheme: 'untitled', language: 'plan' },
    ]);
  });

  it('sends { lang, rules } as initializationOptions and syncs the plancheck section', () => {
    const options = baseClientOptions(settings);
    expect(options.initializationOptions).toEqual({ lang: 'en', rules: { 'near-duplicate-text': 'off' } });
    expect(options.initializationOptions.rules).not.toBe(settings.rules);
    expect(options.synchronize).toEqual({ configurationSection: 'plancheck' });
  });

  it('sends the same shape in workspace/didChangeConfiguration', () => {
    expect(didChangeConfigurationParams(settings)).toEqual({
      settings: { plancheck: { lang: 'en', rules: { 'near-duplicate-text': 'off' } } },
    });
  });
});

describe('serverExecutable', () => {
  it('is `plancheck lsp` without a transport (vscode-languageclient would append --stdio)', () => {
    expect(serverExecutable('/usr/bin/plancheck')).toEqual({ command: '/usr/bin/plancheck', args: ['lsp'] });
    expect(serverExecutable('/usr/bin/plancheck')).not.toHaveProperty('transport');
  });
});

describe('rule docs', () => {
  it('names rule documents plancheck-rule:/RULE.md?lang=LANG and reads them back', () => {
    expect(ruleDocsUri('rating-mismatch', 'en')).toEqual({ scheme: 'plancheck-rule', path: '/rating-mismatch.md', query: 'lang=en' });
    expect(parseRuleDocsUri('/rating-mismatch.md', 'lang=en')).toEqual({ rule: 'rating-mismatch', lang: 'en' });
    expect(parseRuleDocsUri('/PC201.md', '')).toEqual({ rule: 'PC201', lang: 'ja' });
    expect(parseRuleDocsUri('/../etc/passwd', 'lang=ja')).toBeUndefined();
    expect(parseRuleDocsUri('/--help.md', 'lang=ja')).toBeUndefined();
  });

  it('accepts rule names and codes as command arguments, nothing else', () => {
    expect(isRuleArgument('rating-mismatch')).toBe(true);
    expect(isRuleArgument('PC201')).toBe(true);
    for (const bad of [undefined, 3, '', '--list', 'a b', { rule: 'x' }]) {
      expect(isRuleArgument(bad)).toBe(false);
    }
  });

  it('builds the explain command lines', () => {
    expect(explainArgs('rating-mismatch', 'en')).toEqual(['explain', 'rating-mismatch', '--lang', 'en']);
    expect(explainListArgs('ja')).toEqual(['explain', '--list', '--lang', 'ja']);
  });

  it('parses `plancheck explain --list`', () => {
    const listing = [
      'syntax-error                    PC001  error    文法として読めない記述',
      'rating-mismatch                 PC201  warning  指標の定量評価が、実績と目標から計算した評価と違う',
      '',
      'not a rule line',
    ].join('\n');
    expect(parseRuleList(listing)).toEqual([
      { name: 'syntax-error', code: 'PC001', severity: 'error', summary: '文法として読めない記述' },
      { name: 'rating-mismatch', code: 'PC201', severity: 'warning', summary: '指標の定量評価が、実績と目標から計算した評価と違う' },
    ]);
  });
});
