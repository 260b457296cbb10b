/**
 * A small stand-in for the `vscode` module, enough for dist/extension.js (our glue and
 * vscode-languageclient) to activate, start the real `plancheck lsp`, open a document and
 * receive diagnostics — without a VS Code binary. It records what the extension does
 * (messages, commands run, diagnostics set). Anything not modelled here is a harmless stub.
 */

type Listener<T> = (e: T) => unknown;

const disposable = () => ({ dispose: () => undefined });

/** A callable, constructible stub: any property is another stub, calls return stubs. */
function stub(path: string): unknown {
  const target = function () {
    /* stub */
  };
  return new Proxy(target, {
    get(_t, key) {
      if (key === 'then' || key === Symbol.iterator || key === 'toJSON') {
        return undefined;
      }
      if (key === Symbol.toPrimitive) {
        return () => path;
      }
      if (key === 'dispose') {
        return () => undefined;
      }
      return stub(`${path}.${String(key)}`);
    },
    apply: () => stub(`${path}()`),
    construct: () => stub(`new ${path}`) as object,
  });
}

/** Unknown members of `obj` become stubs (so new API use cannot crash the test). */
function withStubs<T extends object>(obj: T, path: string): T {
  return new Proxy(obj, {
    get(t, key, receiver) {
      if (key in t || typeof key === 'symbol' || key === 'then') {
        return Reflect.get(t, key, receiver) as unknown;
      }
      return stub(`${path}.${key}`);
    },
  });
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  static parse(value: string): Uri {
    const m = /^([A-Za-z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
    if (!m) {
      throw new Error(`not a URI: ${value}`);
    }
    const d = (s: string | undefined) => decodeURIComponent(s ?? '');
    return new Uri(m[1] ?? '', d(m[2]), d(m[3]), d(m[4]), d(m[5]));
  }
  static file(path: string): Uri {
    return new Uri('file', '', path, '', '');
  }
  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '', c.query ?? '', c.fragment ?? '');
  }
  get fsPath(): string {
    return this.path;
  }
  with(c: Partial<{ scheme: string; authority: string; path: string; query: string; fragment: string }>): Uri {
    return new Uri(c.scheme ?? this.scheme, c.authority ?? this.authority, c.path ?? this.path, c.query ?? this.query, c.fragment ?? this.fragment);
  }
  toString(skipEncoding = false): string {
    const enc = skipEncoding ? (s: string) => s : (s: string) => encodeURI(s).replace(/[?#]/g, encodeURIComponent);
    const encQuery = skipEncoding ? (s: string) => s : encodeURIComponent;
    let s = `${this.scheme}:`;
    if (this.authority !== '' || this.scheme === 'file') {
      s += `//${enc(this.authority)}`;
    }
    s += enc(this.path);
    if (this.query !== '') {
      s += `?${encQuery(this.query)}`;
    }
    if (this.fragment !== '') {
      s += `#${enc(this.fragment)}`;
    }
    return s;
  }
  toJSON(): unknown {
    return { scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    if (typeof a === 'number' && typeof b === 'number') {
      this.start = new Position(a, b);
      this.end = new Position(c ?? a, d ?? b);
    } else {
      this.start = a as Position;
      this.end = b as Position;
    }
  }
}

export class Diagnostic {
  code?: string | number | { value: string | number; target: Uri };
  source?: string;
  relatedInformation?: unknown[];
  tags?: number[];
  constructor(
    public range: Range,
    public message: string,
    public severity = 0,
  ) {}
}

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T): void {
    for (const l of this.listeners) {
      l(e);
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Disposable {
  constructor(private readonly fn?: () => unknown) {}
  static from(...items: ({ dispose(): unknown } | undefined)[]): Disposable {
    return new Disposable(() => items.forEach((i) => i?.dispose()));
  }
  dispose(): void {
    this.fn?.();
  }
}

export class CancellationTokenSource {
  token = { isCancellationRequested: false, onCancellationRequested: () => disposable() };
  cancel(): void {
    this.token.isCancellationRequested = true;
  }
  dispose(): void {
    /* nothing */
  }
}

export interface MockDocument {
  uri: Uri;
  languageId: string;
  version: number;
  text: string;
}

/** Everything the mock records, and the knobs a test turns. */
export interface MockState {
  settings: Record<string, unknown>;
  documents: MockDocument[];
  workspaceFolder: string;
  log: string[];
  messages: { level: 'error' | 'warning' | 'info'; text: string; items: string[] }[];
  /** What showErrorMessage & co. answer (undefined: dismissed). */
  answer?: string;
  /** What showQuickPick answers: the label of the item to pick. */
  pick?: string;
  picked: { label: string; description?: string; detail?: string }[][];
  commands: Map<string, (...args: unknown[]) => unknown>;
  executed: { command: string; args: unknown[] }[];
  /** The language client's diagnostics ("plancheck"), by URI. */
  diagnostics: Map<string, Diagnostic[]>;
  /** The extension's own notes ("plancheck-status": a file not checked), by URI. */
  statusDiagnostics: Map<string, Diagnostic[]>;
  /** The status-bar item as last set. */
  statusBar: { text: string; tooltip: string; command?: string; visible: boolean; error: boolean };
  contentProviders: Map<string, { provideTextDocumentContent(uri: Uri): unknown }>;
  configListeners: Listener<{ affectsConfiguration(section: string): boolean }>[];
  opened: string[];
  activeTextEditor?: { document: { languageId: string; uri: Uri } };
}

export function createVscodeMock(state: MockState): unknown {
  const textDocument = (d: MockDocument) => {
    const lines = d.text.split('\n');
    return {
      uri: d.uri,
      fileName: d.uri.fsPath,
      languageId: d.languageId,
      version: d.version,
      isClosed: false,
      isDirty: false,
      isUntitled: d.uri.scheme === 'untitled',
      lineCount: lines.length,
      eol: 1,
      getText: () => d.text,
      lineAt: (n: number) => ({ text: lines[n] ?? '' }),
    };
  };
  const configuration = (section?: string) => ({
    get: <T>(key: string, fallback?: T): T | undefined => {
      const full = section ? `${section}.${key}` : key;
      if (full in state.settings) {
        return state.settings[full] as T;
      }
      // vscode-languageclient reads whole sections too (e.g. get('plancheck')).
      const prefix = `${full}.`;
      const entries = Object.entries(state.settings).filter(([k]) => k.startsWith(prefix));
      if (entries.length > 0) {
        const obj: Record<string, unknown> = {};
        for (const [k, v] of entries) {
          obj[k.slice(prefix.length)] = v;
        }
        return obj as T;
      }
      return fallback;
    },
    has: (key: string) => `${section}.${key}` in state.settings,
    inspect: () => undefined,
    update: () => Promise.resolve(),
  });
  const message = (level: 'error' | 'warning' | 'info') => (text: string, ...items: unknown[]) => {
    state.messages.push({ level, text, items: items.filter((i): i is string => typeof i === 'string') });
    return Promise.resolve(state.answer);
  };
  const matches = (selector: unknown, doc: { languageId: string; uri: Uri }): number => {
    const list = Array.isArray(selector) ? (selector as unknown[]) : [selector];
    return list.some((s) => {
      if (typeof s === 'string') {
        return s === doc.languageId;
      }
      const f = s as { language?: string; scheme?: string };
      return (f.language === undefined || f.language === doc.languageId) && (f.scheme === undefined || f.scheme === doc.uri.scheme);
    })
      ? 10
      : 0;
  };
  const vscode = {
    version: '1.82.0',
    env: withStubs({ language: 'ja', appName: 'Mock Code', openExternal: (uri: Uri) => (state.opened.push(uri.toString()), Promise.resolve(true)) }, 'env'),
    Uri,
    Position,
    Range,
    Diagnostic,
    EventEmitter,
    Disposable,
    CancellationTokenSource,
    CancellationError: class extends Error {},
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ThemeColor: class {
      constructor(readonly id: string) {}
    },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    workspace: withStubs(
      {
        getConfiguration: configuration,
        get textDocuments() {
          return state.documents.map(textDocument);
        },
        get workspaceFolders() {
          return [{ uri: Uri.file(state.workspaceFolder), name: 'plans', index: 0 }];
        },
        onDidChangeConfiguration: (l: Listener<{ affectsConfiguration(section: string): boolean }>) => {
          state.configListeners.push(l);
          return disposable();
        },
        registerTextDocumentContentProvider: (scheme: string, provider: { provideTextDocumentContent(uri: Uri): unknown }) => {
          state.contentProviders.set(scheme, provider);
          return disposable();
        },
        createFileSystemWatcher: () => withStubs({ dispose: () => undefined }, 'watcher'),
        openTextDocument: (uri: Uri) => Promise.resolve({ uri }),
      },
      'workspace',
    ),
    window: withStubs(
      {
        createOutputChannel: (name: string) =>
          withStubs(
            {
              name,
              append: (s: string) => state.log.push(s),
              appendLine: (s: string) => state.log.push(s),
              show: () => state.executed.push({ command: '(output.show)', args: [name] }),
              clear: () => undefined,
              dispose: () => undefined,
            },
            'outputChannel',
          ),
        createStatusBarItem: () => {
          const bar = state.statusBar;
          return withStubs(
            {
              name: '',
              set text(v: string) {
                bar.text = v;
              },
              get text() {
                return bar.text;
              },
              set tooltip(v: string) {
                bar.tooltip = v;
              },
              set command(v: string | undefined) {
                bar.command = v;
              },
              set backgroundColor(v: unknown) {
                bar.error = v !== undefined;
              },
              show: () => (bar.visible = true),
              hide: () => (bar.visible = false),
              dispose: () => undefined,
            },
            'statusBarItem',
          );
        },
        onDidChangeActiveTextEditor: () => disposable(),
        showErrorMessage: message('error'),
        showWarningMessage: message('warning'),
        showInformationMessage: message('info'),
        showQuickPick: (items: { label: string }[]) => {
          state.picked.push(items);
          return Promise.resolve(items.find((i) => i.label === state.pick));
        },
        get activeTextEditor() {
          return state.activeTextEditor;
        },
        visibleTextEditors: [],
        tabGroups: withStubs({ all: [] }, 'tabGroups'),
        showTextDocument: () => Promise.resolve(undefined),
      },
      'window',
    ),
    languages: withStubs(
      {
        match: matches,
        createDiagnosticCollection: (name: string) => {
          const map = name === 'plancheck-status' ? state.statusDiagnostics : state.diagnostics;
          return withStubs(
            {
              name,
              set: (uri: Uri, diagnostics: Diagnostic[] | undefined) => {
                map.set(uri.toString(), diagnostics ?? []);
              },
              delete: (uri: Uri) => map.delete(uri.toString()),
              clear: () => map.clear(),
              get: (uri: Uri) => map.get(uri.toString()),
              has: (uri: Uri) => map.has(uri.toString()),
              forEach: () => undefined,
              dispose: () => undefined,
            },
            'diagnosticCollection',
          );
        },
      },
      'languages',
    ),
    commands: withStubs(
      {
        registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
          state.commands.set(id, fn);
          return { dispose: () => state.commands.delete(id) };
        },
        executeCommand: (command: string, ...args: unknown[]) => {
          state.executed.push({ command, args });
          const fn = state.commands.get(command);
          return Promise.resolve(fn ? fn(...args) : undefined);
        },
      },
      'commands',
    ),
  };
  return withStubs(vscode, 'vscode');
}
