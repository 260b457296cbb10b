/**
 * VS Code glue: starts `plancheck lsp`, registers the commands and the rule docs
 * provider. Every decision lives in the pure modules (options.ts), tested with vitest.
 */
import { execFile } from 'node:child_process';
import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { messages } from './messages';
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
  ruleDocsUri,
  serverExecutable,
  serverMissingMessage,
} from './options';
import { CrashCounter, type ServerState, notCheckedMessage, statusView } from './status';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let extensionPath = '';
/** The binary the running client was started with (also used by `explain`). */
let serverCommand: string | undefined;
/** The last reported settings problems, so the same warning is not shown twice. */
let lastProblems = '';
/** The status-bar item: shown while a .plan file is open, and always when the server is not running. */
let statusItem: vscode.StatusBarItem;
/** What the Problems panel shows while the server is not running (one note per open .plan file). */
let notChecked: vscode.DiagnosticCollection;
let serverState: ServerState = 'starting';
const crashes = new CrashCounter();

/** Shows `state` in the status bar and, when nothing checks the files, in the Problems panel. */
function setServerState(state: ServerState): void {
  serverState = state;
  const view = statusView(state, currentLang());
  statusItem.text = view.text;
  statusItem.tooltip = view.tooltip;
  statusItem.command = view.command;
  statusItem.backgroundColor = view.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  updateStatusVisibility();
  markUnchecked();
}

function updateStatusVisibility(): void {
  const planOpen = vscode.window.activeTextEditor?.document.languageId === 'plan';
  if (planOpen || serverState === 'stopped' || serverState === 'missing') {
    statusItem.show();
  } else {
    statusItem.hide();
  }
}

/** One note on each open .plan file while the server is not running; none once it runs. */
function markUnchecked(): void {
  const text = notCheckedMessage(serverState, currentLang());
  notChecked.clear();
  if (text === undefined) {
    return;
  }
  for (const document of vscode.workspace.textDocuments) {
    if (document.languageId === 'plan') {
      const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), text, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'plancheck';
      notChecked.set(document.uri, [diagnostic]);
    }
  }
}

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
    const m = messages(currentLang());
    void vscode.window
      .showWarningMessage(m.settingsIgnored(text), m.openSettings)
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
  const m = messages(currentLang());
  const text = serverMissingMessage(result, currentLang());
  output.appendLine(text);
  if (result.tried.length > 0) {
    output.appendLine(`${m.lookedAt}:\n  ${result.tried.join('\n  ')}`);
  }
  const install = m.install;
  const setting = m.openSettings;
  const choice = await vscode.window.showErrorMessage(text, install, setting);
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
    setServerState('missing');
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
    // A crash is restarted quietly a few times, then shown where the user looks (status bar,
    // a notification with a restart button, a note in the Problems panel), in their language.
    errorHandler: {
      error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
      closed: () => {
        if (crashes.crashed(Date.now()) === 'restart') {
          output.appendLine(messages(currentLang()).restarting);
          setServerState('starting');
          return { action: CloseAction.Restart, handled: true };
        }
        setServerState('stopped');
        void showCrashed(crashes.count);
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
    // A failed initialize is reported once, by startClient, in the user's language.
    initializationFailedHandler: (error) => {
      output.appendLine(`initialize: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    },
    middleware: {
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
  setServerState('starting');
  started.onDidChangeState((event) => {
    if (client !== started) {
      return;
    }
    if (event.newState === State.Running) {
      setServerState('running');
    } else if (event.newState === State.Stopped && serverState !== 'starting') {
      setServerState('stopped');
    }
  });
  try {
    await started.start();
  } catch (error) {
    client = undefined;
    const text = messages(currentLang()).couldNotStart(error instanceof Error ? error.message : String(error));
    output.appendLine(text);
    setServerState('stopped');
    void showCrashedText(text);
  }
}

/** The server gave up after crashing `times` times: say so, with a restart button. */
async function showCrashed(times: number): Promise<void> {
  await showCrashedText(messages(currentLang()).crashed(times));
}

async function showCrashedText(text: string): Promise<void> {
  const m = messages(currentLang());
  const choice = await vscode.window.showErrorMessage(text, m.restart, m.showOutput);
  if (choice === m.restart) {
    await restartServer();
  } else if (choice === m.showOutput) {
    output.show(true);
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
  crashes.reset();
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
    return Promise.reject(new Error(messages(currentLang()).notFound));
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
      return `# plancheck\n\n${messages(currentLang()).badDocsUri(uri.toString())}\n`;
    }
    try {
      return await runPlancheck(explainArgs(parsed.rule, parsed.lang));
    } catch (error) {
      return (
        `# ${parsed.rule}\n\n` +
        `${messages(parsed.lang).explainRunFailed(parsed.rule)}\n\n` +
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
      void vscode.window.showErrorMessage(messages(lang).explainFailed(error instanceof Error ? error.message : String(error)));
      return;
    }
    const picked = await vscode.window.showQuickPick(
      parseRuleList(listing).map((r) => ({ label: r.name, description: `${r.code} ${r.severity}`, detail: r.summary })),
      {
        title: messages(lang).rulePickTitle,
        placeHolder: messages(lang).rulePickPlaceholder,
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
    void vscode.window.showInformationMessage(messages(currentLang()).openPlanFirst);
    return;
  }
  await vscode.commands.executeCommand('editor.action.formatDocument');
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionPath = context.extensionPath;
  output = vscode.window.createOutputChannel('plancheck');
  statusItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 0);
  statusItem.name = 'plancheck';
  notChecked = vscode.languages.createDiagnosticCollection('plancheck-status');
  context.subscriptions.push(
    output,
    statusItem,
    notChecked,
    vscode.window.onDidChangeActiveTextEditor(updateStatusVisibility),
    vscode.workspace.onDidOpenTextDocument(markUnchecked),
    vscode.workspace.onDidCloseTextDocument(markUnchecked),
    vscode.commands.registerCommand('plancheck.install', () => vscode.env.openExternal(vscode.Uri.parse(INSTALL_URL))),
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
      } else if (event.affectsConfiguration(`${SECTION}.${SETTINGS.lang}`)) {
        setServerState(serverState);
      }
    }),
  );
  await startClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
