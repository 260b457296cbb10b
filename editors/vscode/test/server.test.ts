/**
 * The contract with the language server, spoken over stdio exactly as the extension does
 * (initializationOptions and workspace/didChangeConfiguration from src/options.ts). Runs
 * when PLANCHECK_BIN names a plancheck binary (ci.sh passes the one it is given).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MessageConnection, StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import {
  SERVER_ARGS,
  type ServerSettings,
  baseClientOptions,
  didChangeConfigurationParams,
} from '../src/options';

interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
  message: string;
}

const PLAN = [
  '施策 1-1-1 健康づくりと疾病予防の推進 {',
  '  全体評価: B',
  '  指標 健康づくり事業への参加者数 {',
  '    実績: 5,900人',
  '    目標: 10,650人',
  '    定量評価: C',
  '  }',
  '  代表課: 健康づくり課',
  '}',
  '',
].join('\n');

describe.runIf(process.env.PLANCHECK_BIN)('plancheck lsp with the extension\'s settings', () => {
  let dir: string;
  let proc: ChildProcessWithoutNullStreams;
  let connection: MessageConnection;
  let uri: string;
  let stderr = '';
  /** Every publishDiagnostics for the document, in order. */
  const published: LspDiagnostic[][] = [];
  const waiters: (() => void)[] = [];

  /** Waits for a publication (after `since`) that satisfies `accept`. */
  async function waitFor(since: number, accept: (d: LspDiagnostic[]) => boolean, what: string): Promise<LspDiagnostic[]> {
    const deadline = Date.now() + 20000;
    for (;;) {
      const hit = published.slice(since).find(accept);
      if (hit) {
        return hit;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(published.slice(since))}\nstderr: ${stderr}`);
      }
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  const settings: ServerSettings = { lang: 'ja', rules: { 'rating-mismatch': 'error' } };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plancheck-vscode-'));
    writeFileSync(join(dir, 'plancheck.toml'), '');
    writeFileSync(join(dir, 'kenko.plan'), PLAN);
    uri = pathToFileURL(join(dir, 'kenko.plan')).href;
    proc = spawn(process.env.PLANCHECK_BIN ?? '', [...SERVER_ARGS], { stdio: 'pipe' });
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    connection = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: LspDiagnostic[] }) => {
      if (decodeURIComponent(params.uri) === decodeURIComponent(uri)) {
        published.push(params.diagnostics);
        waiters.splice(0).forEach((w) => {
          w();
        });
      }
    });
    connection.onNotification('window/showMessage', () => undefined);
    connection.onNotification('window/logMessage', () => undefined);
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
    connection.listen();
    const options = baseClientOptions(settings);
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'plans' }],
      capabilities: {
        general: { positionEncodings: ['utf-16'] },
        textDocument: { publishDiagnostics: { codeDescriptionSupport: true, relatedInformation: true } },
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
      },
      initializationOptions: options.initializationOptions,
    });
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'plan', version: 1, text: PLAN },
    });
  }, 30000);

  afterAll(async () => {
    try {
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
    } catch {
      // the server may be gone already
    }
    connection.dispose();
    proc.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies initializationOptions { lang, rules } and sends a docs link that opens without a command', async () => {
    const diagnostics = await waitFor(0, (d) => d.some((x) => x.code === 'rating-mismatch'), 'rating-mismatch');
    const finding = diagnostics.find((x) => x.code === 'rating-mismatch');
    expect(finding).toMatchObject({ severity: 1, source: 'plancheck', range: { start: { line: 5, character: 10 } } });
    expect(finding?.message).toMatch(/D です/);
    // The rule's page: an https link, which hovers, the Problems panel and Alt+F8 all open
    // (a command: link needs a permission a hover does not have).
    expect(finding?.codeDescription?.href).toBe('https://github.com/plancheck/plancheck/blob/main/docs/rules/rating-mismatch.md');
  });

  it('applies workspace/didChangeConfiguration { settings: { plancheck: { lang, rules } } }', async () => {
    let since = published.length;
    await connection.sendNotification(
      'workspace/didChangeConfiguration',
      didChangeConfigurationParams({ lang: 'en', rules: { 'rating-mismatch': 'info' } }),
    );
    const english = await waitFor(
      since,
      (d) => d.some((x) => x.code === 'rating-mismatch' && x.severity === 3 && !x.message.includes('です')),
      'an English info rating-mismatch',
    );
    expect(english.find((x) => x.code === 'rating-mismatch')?.message).toMatch(/\bD\b/);

    since = published.length;
    await connection.sendNotification(
      'workspace/didChangeConfiguration',
      didChangeConfigurationParams({ lang: 'en', rules: { 'rating-mismatch': 'off' } }),
    );
    await waitFor(since, (d) => !d.some((x) => x.code === 'rating-mismatch'), 'rating-mismatch turned off');
  });
});
