/**
 * The bundled extension (esbuild, as `npm run build` makes it) activated against a stand-in
 * `vscode` module (test/vscode-mock.ts): it starts the real `plancheck lsp` through
 * vscode-languageclient, gets diagnostics with links to the rule pages, registers its commands,
 * opens rule docs, reports a missing binary, and shows a server that keeps crashing (status bar,
 * a Japanese notification with a restart button, a note in the Problems panel). Runs when PLANCHECK_BIN names a binary.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileFunction } from 'node:vm';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from './textmate';
import { type MockState, Uri, createVscodeMock } from './vscode-mock';

interface Extension {
  activate(context: unknown): Promise<void>;
  deactivate(): Promise<void>;
}

const PLAN = ['施策 1-1-1 健康づくり {', '  全体評価: B', '  指標 参加者数 {', '    実績: 5,900人', '    目標: 10,650人', '    定量評価: C', '  }', '  代表課: 健康づくり課', '}', ''].join('\n');

/** Bundles src/extension.ts like scripts/build.mjs and loads it with `vscode` replaced. */
async function loadExtension(vscode: unknown): Promise<Extension> {
  const out = await esbuild.build({
    entryPoints: [join(root, 'src', 'extension.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]?.text ?? '';
  const realRequire = createRequire(join(root, 'dist', 'extension.js'));
  const module = { exports: {} as Extension };
  const filename = join(root, 'dist', 'extension.js');
  const load = compileFunction(code, ['require', 'module', 'exports', '__filename', '__dirname'], { filename }) as (
    r: (id: string) => unknown,
    m: typeof module,
    e: Extension,
    f: string,
    d: string,
  ) => void;
  load((id) => (id === 'vscode' ? vscode : realRequire(id)), module, module.exports, filename, join(root, 'dist'));
  return module.exports;
}

async function until<T>(what: string, get: () => T | undefined, state: MockState, ms = 20000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}\n--- output channel:\n${state.log.join('\n')}\n--- messages: ${JSON.stringify(state.messages)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.runIf(process.env.PLANCHECK_BIN)('the bundled extension, activated with a stand-in vscode', () => {
  let dir: string;
  let extension: Extension;
  let state: MockState;
  let docUri: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plancheck-activation-'));
    writeFileSync(join(dir, 'plancheck.toml'), '');
    writeFileSync(join(dir, 'kenko.plan'), PLAN);
    const uri = Uri.file(join(dir, 'kenko.plan'));
    docUri = uri.toString();
    state = {
      settings: {
        'plancheck.server.path': process.env.PLANCHECK_BIN,
        'plancheck.lang': 'ja',
        'plancheck.rules': { 'near-duplicate-text': 'off', 'rating-mismatch': 'loud' },
        'plancheck.trace.server': 'off',
      },
      documents: [{ uri, languageId: 'plan', version: 1, text: PLAN }],
      workspaceFolder: dir,
      log: [],
      messages: [],
      picked: [],
      commands: new Map(),
      executed: [],
      diagnostics: new Map(),
      statusDiagnostics: new Map(),
      statusBar: { text: '', tooltip: '', visible: false, error: false },
      contentProviders: new Map(),
      configListeners: [],
      opened: [],
    };
    extension = await loadExtension(createVscodeMock(state));
    await extension.activate({ extensionPath: root, subscriptions: [] });
  }, 60000);

  afterAll(async () => {
    await extension.deactivate();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers every command of package.json', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
    expect([...state.commands.keys()].sort()).toEqual(manifest.contributes.commands.map((c) => c.command).sort());
  });

  it('starts the server from plancheck.server.path and reports the dropped setting', () => {
    expect(state.log.join('\n')).toContain(`${process.env.PLANCHECK_BIN} lsp (setting)`);
    const warning = state.messages.find((m) => m.level === 'warning');
    expect(warning?.text).toContain('plancheck.rules.rating-mismatch');
  });

  it('shows the diagnostics with the rule page as the docs link (no command: link)', async () => {
    const diagnostics = await until('diagnostics', () => {
      const d = state.diagnostics.get(docUri);
      return d && d.length > 0 ? d : undefined;
    }, state);
    const finding = diagnostics.find((d) => typeof d.code === 'object' && d.code.value === 'rating-mismatch');
    expect(finding?.message).toContain('D です');
    const code = finding?.code as { value: string; target: Uri };
    expect(code.target.toString(true)).toBe('https://github.com/plancheck/plancheck/blob/main/docs/rules/rating-mismatch.md');
    // Running: the status bar says so, and the Problems panel has no note of ours.
    expect(state.statusBar.text).toBe('$(check) plancheck');
    expect(state.statusBar.error).toBe(false);
    expect([...state.statusDiagnostics.values()].flat()).toEqual([]);
  });

  it('opens a rule\'s docs: Markdown preview of a plancheck-rule: document from `plancheck explain`', async () => {
    const before = state.executed.length;
    await state.commands.get('plancheck.openRuleDocs')?.('rating-mismatch');
    const preview = state.executed.slice(before).find((e) => e.command === 'markdown.showPreview');
    const uri = preview?.args[0] as Uri;
    expect(uri.toString()).toBe('plancheck-rule:/rating-mismatch.md?lang%3Dja');
    const text = await state.contentProviders.get('plancheck-rule')?.provideTextDocumentContent(uri);
    expect(text).toMatch(/^# rating-mismatch \(PC201\)/);
  });

  it('offers the rule list when no rule is given', async () => {
    state.pick = 'duplicate-id';
    const before = state.executed.length;
    await state.commands.get('plancheck.openRuleDocs')?.();
    const items = state.picked.at(-1) ?? [];
    expect(items.map((i) => i.label)).toEqual(expect.arrayContaining(['syntax-error', 'rating-mismatch', 'duplicate-id']));
    expect(items.find((i) => i.label === 'rating-mismatch')?.description).toBe('PC201 warning');
    const preview = state.executed.slice(before).find((e) => e.command === 'markdown.showPreview');
    expect((preview?.args[0] as Uri).path).toBe('/duplicate-id.md');
  });

  it('formats only plan editors', async () => {
    state.activeTextEditor = undefined;
    await state.commands.get('plancheck.formatDocument')?.();
    expect(state.messages.at(-1)?.text).toContain('.plan ファイルを開いてから');
    state.activeTextEditor = { document: { languageId: 'plan', uri: Uri.parse(docUri) } };
    await state.commands.get('plancheck.formatDocument')?.();
    expect(state.executed.at(-1)?.command).toBe('editor.action.formatDocument');
  });

  it('restarts when plancheck.server.path changes, and explains a missing binary', async () => {
    state.settings['plancheck.server.path'] = join(dir, 'no-such-plancheck');
    const event = { affectsConfiguration: (s: string) => 'plancheck.server.path'.startsWith(s) };
    await Promise.all(state.configListeners.map((l) => l(event)));
    const error = await until(
      'the missing binary message',
      () => state.messages.find((m) => m.level === 'error' && m.text.includes('plancheck.server.path')),
      state,
    );
    // Stopping the old server while the settings change shows no other error.
    expect(state.messages.filter((m) => m.level === 'error' && m !== error)).toEqual([]);
    expect(error.text).toContain('plancheck.server.path');
    expect(error.text).toContain('no-such-plancheck');
    expect(error.items).toEqual(['インストール方法', '設定を開く']);
    // Nothing checks the file now: the status bar and the Problems panel say so.
    expect(state.statusBar).toMatchObject({ visible: true, error: true, command: 'plancheck.install' });
    expect(state.statusDiagnostics.get(docUri)?.[0]?.message).toContain('検査されていません');
  });

  it('starts again with a good path', async () => {
    state.diagnostics.clear();
    state.settings['plancheck.server.path'] = process.env.PLANCHECK_BIN;
    const event = { affectsConfiguration: (s: string) => 'plancheck.server.path'.startsWith(s) };
    await Promise.all(state.configListeners.map((l) => l(event)));
    await until('diagnostics after the restart', () => {
      const d = state.diagnostics.get(docUri);
      return d && d.length > 0 ? d : undefined;
    }, state);
  });

  it('restarts a crashing server a few times, then says so in Japanese with a restart button', async () => {
    // A server that dies two seconds after it starts, every time.
    const crashing = join(dir, 'crashing-plancheck');
    writeFileSync(crashing, `#!/bin/sh\nexec timeout -s KILL 2 "${process.env.PLANCHECK_BIN}" lsp\n`);
    chmodSync(crashing, 0o755);
    state.answer = undefined;
    const before = state.messages.length;
    state.settings['plancheck.server.path'] = crashing;
    const event = { affectsConfiguration: (s: string) => 'plancheck.server.path'.startsWith(s) };
    await Promise.all(state.configListeners.map((l) => l(event)));
    const gaveUp = await until('the crash notification', () => state.messages.find((m) => m.level === 'error' && m.text.includes('再起動をやめました')), state, 40000);
    expect(gaveUp.text).toContain('4 回続けて止まった');
    expect(gaveUp.items).toEqual(['再起動', '出力を表示']);
    // Every message since is ours, in Japanese (none of vscode-languageclient's English ones).
    expect(state.messages.slice(before).filter((m) => !/[\u3040-\u30ff]/.test(m.text))).toEqual([]);
    expect(state.statusBar).toMatchObject({ visible: true, error: true, command: 'plancheck.restartServer' });
    expect(state.statusBar.text).toContain('停止中');
    // The Problems panel is not empty: it says the file is not being checked.
    expect(state.statusDiagnostics.get(docUri)?.[0]?.message).toMatch(/検査されていません/);
    // Restarted with a good binary, the note goes away and the findings come back.
    state.settings['plancheck.server.path'] = process.env.PLANCHECK_BIN;
    state.diagnostics.clear();
    await state.commands.get('plancheck.restartServer')?.();
    await until('diagnostics after the restart', () => {
      const d = state.diagnostics.get(docUri);
      return d && d.length > 0 ? d : undefined;
    }, state);
    expect([...state.statusDiagnostics.values()].flat()).toEqual([]);
    expect(state.statusBar.error).toBe(false);
  }, 60000);
});
