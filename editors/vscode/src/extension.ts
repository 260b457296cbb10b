/**
 * VS Code glue: starts `plancheck lsp`, registers the commands and the rule docs
 * provider. Every decision lives in the pure modules (options.ts), tested with vitest.
 */
import { execFile } from 'node:child_process';
import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  INSTALL_URL,
  type Lang,
  type ResolveEnv,
  type ResolveResult,
  RULE_DOCS_SCHEME,
  SECTION,
  SERVER_ARGS,
  SETTINGS,
  type ServerSettings,
  baseClientOptions,
  buildServerSettings,
  bundledServerPath,
  didChangeConfigurationParams,
  explainArgs,
  explainListArgs,
  isRuleArgument,
  parseRuleDocsUri,
  parseRuleList,
  resolveServerCommand,
  rewriteDiagnosticCode,
  ruleDocsUri,
  serverExecutable,
  serverMissingMessage,
} from './options';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let extensionPath = '';
/** The binary the running client was started with (also used by `explain`). */
let serverCommand: string | undefined;
/** The last reported settings problems, so the same warning is not shown twice. */
let lastProblems = '';

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) {
      return false;
    }
    if (process.platform !== 'win32') {
      accessSync(path, constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

function resolveEnv(): ResolveEnv {
  return {
    platform: process.platform,
    extensionPath,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    homeDir: os.homedir(),
    pathEnv: process.env.PATH ?? process.env.Path,
    pathExt: process.env.PATHEXT,
    isExecutable,
  };
}

/**
 * A platform package's server/plancheck should keep its exec bit through installation; if an
 * unzip lost it, restore it (the extension's folder belongs to the user).
 */
function repairBundledBinary(): void {
  if (process.platform === 'win32') {
    return;
  }
  const bundled = bundledServerPath({ platform: process.platform, extensionPath });
  try {
    if (statSync(bundled).isFile() && !isExecutable(bundled)) {
      chmodSync(bundled, 0o755);
      output.appendLine(`plancheck: made ${bundled} executable`);
    }
  } catch {
    // no bundled binary (universal package), or not ours to change
  }
}

function resolveServer(): ResolveResult {
  const setting = vscode.workspace.getConfiguration(SECTION).get<string>(SETTINGS.serverPath, '');
  return resolveServerCommand(setting, resolveEnv());
}

/** The validated settings sent to the server; problems go to the output and a warning. */
function serverSettings(): ServerSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const { settings, problems } = buildServerSettings({
    lang: config.get<unknown>(SETTINGS.lang),
    rules: config.get<unknown>(SETTINGS.rules),
  });
  const text = problems.map((p) => p.message).join('\n');
  if (text !== '' && text !== lastProblems) {
    output.appendLine(text);
    void vscode.window
      .showWarningMessage(
        `plancheck の設定に使えない値があります (無視しました) / Some plancheck settings were ignored:\n${text}`,
        '設定を開く / Open Settings',
      )
      .then((choice) => {
        if (choice) {
          void vscode.commands.executeCommand('workbench.action.openSettings', `@ext:plancheck.plancheck`);
        }
      });
  }
  lastProblems = text;
  return settings;
}

function currentLang(): Lang {
  return vscode.workspace.getConfiguration(SECTION).get<string>(SETTINGS.lang) === 'en' ? 'en' : 'ja';
}

async function showServerMissing(result: Extract<ResolveResult, { ok: false }>): Promise<void> {
  output.appendLine(serverMissingMessage(result));
  if (result.tried.length > 0) {
    output.appendLine(`探した場所 / looked at:\n  ${result.tried.join('\n  ')}`);
  }
  const install = 'インストール方法 / How to install';
  const setting = '設定を開く / Open Setting';
  const choice = await vscode.window.showErrorMessage(serverMissingMessage(result), install, setting);
  if (choice === install) {
    await vscode.env.openExternal(vscode.Uri.parse(INSTALL_URL));
  } else if (choice === setting) {
    await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.${SETTINGS.serverPath}`);
  }
}

async function startClient(): Promise<void> {
  repairBundledBinary();
  const resolved = resolveServer();
  if (!resolved.ok) {
    serverCommand = undefined;
    // Not awaited: activation must not wait for the user to answer the message.
    void showServerMissing(resolved);
    return;
  }
  serverCommand = resolved.command;
  output.appendLine(`plancheck: ${resolved.command} ${SERVER_ARGS.join(' ')} (${resolved.source})`);
  const executable = serverExecutable(resolved.command);
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    ...baseClientOptions(serverSettings()),
    outputChannel: output,
    middleware: {
      // Docs links of diagnostics open the rule's docs inside VS Code.
      handleDiagnostics: (uri, diagnostics, next) => {
        for (const diagnostic of diagnostics) {
          const code = diagnostic.code;
          const rewritten = rewriteDiagnosticCode(
            typeof code === 'object' ? { value: code.value, target: code.target.toString(true) } : code,
          );
          if (rewritten) {
            diagnostic.code = { value: rewritten.value, target: vscode.Uri.parse(rewritten.target) };
          }
        }
        next(uri, diagnostics);
      },
      workspace: {
        // Send the validated { lang, rules } rather than the raw plancheck.* section.
        // Errors are only logged: when plancheck.server.path changes, this runs while the
        // old client is being stopped, and the failure is expected.
        didChangeConfiguration: async () => {
          const running = client;
          if (!running) {
            return;
          }
          try {
            await running.sendNotification(DidChangeConfigurationNotification.type, didChangeConfigurationParams(serverSettings()));
          } catch (error) {
            output.appendLine(`plancheck: workspace/didChangeConfiguration not sent: ${String(error)}`);
          }
        },
      },
    },
  };
  const started = new LanguageClient('plancheck', 'plancheck', serverOptions, clientOptions);
  client = started;
  try {
    await started.start();
  } catch (error) {
    // vscode-languageclient has already shown its own error message.
    client = undefined;
    output.appendLine(`plancheck lsp を起動できませんでした / could not start plancheck lsp: ${String(error)}`);
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (error) {
      output.appendLine(`plancheck: stop: ${String(error)}`);
    }
  }
}

/** Restarts run one after the other (two quick setting changes must not start two servers). */
let restarting: Promise<void> = Promise.resolve();

function restartServer(): Promise<void> {
  const restart = async () => {
    await stopClient();
    await startClient();
  };
  restarting = restarting.then(restart, restart);
  return restarting;
}

/** The binary for `plancheck explain`: the running server's, else a fresh resolution. */
function plancheckCommand(): string | undefined {
  if (serverCommand !== undefined) {
    return serverCommand;
  }
  const resolved = resolveServer();
  if (resolved.ok) {
    return resolved.command;
  }
  void showServerMissing(resolved);
  return undefined;
}

/** Runs the plancheck binary and returns its standard output. */
function runPlancheck(args: string[]): Promise<string> {
  const command = plancheckCommand();
  if (command === undefined) {
    return Promise.reject(new Error('plancheck が見つかりません / plancheck not found'));
  }
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'utf8', timeout: 15000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(stderr.trim() || error.message));
      } else {
        resolve(stdout);
      }
    });
  });
}

/** The read-only Markdown documents `plancheck-rule:/RULE.md?lang=ja`. */
class RuleDocsProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const parsed = parseRuleDocsUri(uri.path, uri.query);
    if (!parsed) {
      return `# plancheck\n\n読めない URI です / not a rule docs URI: \`${uri.toString()}\`\n`;
    }
    try {
      return await runPlancheck(explainArgs(parsed.rule, parsed.lang));
    } catch (error) {
      return (
        `# ${parsed.rule}\n\n` +
        `\`plancheck explain ${parsed.rule}\` を実行できませんでした / could not run \`plancheck explain\`:\n\n` +
        '```\n' +
        `${error instanceof Error ? error.message : String(error)}\n` +
        '```\n'
      );
    }
  }
}

async function openRuleDocs(rule?: unknown): Promise<void> {
  const lang = currentLang();
  let name: string | undefined = isRuleArgument(rule) ? rule : undefined;
  if (name === undefined) {
    let listing: string;
    try {
      listing = await runPlancheck(explainListArgs(lang));
    } catch (error) {
      void vscode.window.showErrorMessage(
        `plancheck explain --list を実行できませんでした / could not list the rules: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    const picked = await vscode.window.showQuickPick(
      parseRuleList(listing).map((r) => ({ label: r.name, description: `${r.code} ${r.severity}`, detail: r.summary })),
      {
        title: lang === 'en' ? 'plancheck: rule documentation' : 'plancheck: ルールの説明',
        placeHolder: lang === 'en' ? 'Choose a rule' : 'ルールを選んでください (名前・コード・説明で絞り込めます)',
        matchOnDescription: true,
        matchOnDetail: true,
      },
    );
    if (!picked) {
      return;
    }
    name = picked.label;
  }
  const uri = vscode.Uri.from(ruleDocsUri(name, lang));
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    // Without the built-in Markdown extension: show the Markdown source.
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true });
  }
}

async function formatDocument(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.languageId !== 'plan') {
    void vscode.window.showInformationMessage(
      '.plan ファイルを開いてから実行してください / Open a .plan file first.',
    );
    return;
  }
  await vscode.commands.executeCommand('editor.action.formatDocument');
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionPath = context.extensionPath;
  output = vscode.window.createOutputChannel('plancheck');
  context.subscriptions.push(
    output,
    vscode.workspace.registerTextDocumentContentProvider(RULE_DOCS_SCHEME, new RuleDocsProvider()),
    vscode.commands.registerCommand('plancheck.restartServer', restartServer),
    vscode.commands.registerCommand('plancheck.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('plancheck.openRuleDocs', openRuleDocs),
    vscode.commands.registerCommand('plancheck.formatDocument', formatDocument),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // A new binary needs a new server; lang and rules go to the running server as
      // workspace/didChangeConfiguration (see the middleware above).
      if (event.affectsConfiguration(`${SECTION}.${SETTINGS.serverPath}`)) {
        await restartServer();
      }
    }),
  );
  await startClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
