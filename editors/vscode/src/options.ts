/**
 * Pure logic of the extension (no `vscode` import, so vitest can run it):
 * which server binary to start, what to send it (initializationOptions and
 * workspace/didChangeConfiguration), the client's document selector, and the
 * rewrite of a diagnostic's docs link to our own rule docs command.
 */

/** The configuration section and its keys (contributes.configuration in package.json). */
import { messages } from './messages';

export const SECTION = 'plancheck';
export const SETTINGS = {
  serverPath: 'server.path',
  lang: 'lang',
  rules: 'rules',
  traceServer: 'trace.server',
} as const;

/** Where the install instructions are (the extension README's install section). */
export const INSTALL_URL = 'https://github.com/plancheck/plancheck/blob/main/editors/vscode/README.md#install';

export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];

export type Severity = 'error' | 'warning' | 'info' | 'off';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'off'];

/** A rule name as the spec writes them (kebab-case), e.g. `rating-mismatch`. */
export const RULE_NAME = /^[a-z0-9][a-z0-9-]*$/;

// ------------------------------------------------------------------ server path

/** The environment the resolver looks at; injected so tests need no real files. */
export interface ResolveEnv {
  platform: NodeJS.Platform;
  /** The extension's own folder (`context.extensionPath`). */
  extensionPath: string;
  /** The first workspace folder's path, for a relative `plancheck.server.path`. */
  workspaceFolder?: string;
  homeDir: string;
  /** `PATH` (and `PATHEXT` on Windows). */
  pathEnv: string | undefined;
  pathExt?: string | undefined;
  /** True when `path` is an existing file that can be executed. */
  isExecutable: (path: string) => boolean;
}

export type ServerSource = 'setting' | 'bundled' | 'path';

export type ResolveResult =
  | { ok: true; command: string; source: ServerSource }
  | {
      ok: false;
      /** `setting`: plancheck.server.path names nothing usable; `not-found`: no setting, no bundled binary, nothing on PATH. */
      reason: 'setting' | 'not-found';
      /** The setting's value as written (for `setting`). */
      setting?: string;
      /** Every place that was looked at, in order. */
      tried: string[];
    };

const isWindows = (env: Pick<ResolveEnv, 'platform'>) => env.platform === 'win32';

function sep(env: Pick<ResolveEnv, 'platform'>): string {
  return isWindows(env) ? '\\' : '/';
}

function isAbsolute(path: string, env: Pick<ResolveEnv, 'platform'>): boolean {
  if (isWindows(env)) {
    return /^[A-Za-z]:[\\/]/.test(path) || /^[\\/]{2}/.test(path) || /^[\\/]/.test(path);
  }
  return path.startsWith('/');
}

function join(env: Pick<ResolveEnv, 'platform'>, ...parts: string[]): string {
  const s = sep(env);
  return parts
    .filter((p) => p !== '')
    .map((p, i) => (i === 0 ? p.replace(/[\\/]+$/, '') : p.replace(/^[\\/]+|[\\/]+$/g, '')))
    .join(s);
}

/** `plancheck` or `plancheck.exe`: the binary's file name on this platform. */
export function binaryName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'plancheck.exe' : 'plancheck';
}

/** Where a platform package puts the binary: `<extension>/server/plancheck[.exe]`. */
export function bundledServerPath(env: Pick<ResolveEnv, 'platform' | 'extensionPath'>): string {
  return join(env, env.extensionPath, 'server', binaryName(env.platform));
}

/**
 * Looks a command up on PATH like a shell would (PATHEXT on Windows).
 * Returns the first match's full path and every candidate tried.
 */
export function which(name: string, env: ResolveEnv): { found?: string; tried: string[] } {
  const tried: string[] = [];
  const delimiter = isWindows(env) ? ';' : ':';
  const dirs = (env.pathEnv ?? '').split(delimiter).filter((d) => d.trim() !== '');
  let exts = [''];
  if (isWindows(env) && !/\.[^\\/.]+$/.test(name)) {
    exts = (env.pathExt ?? '.COM;.EXE;.BAT;.CMD')
      .split(';')
      .filter((e) => e !== '')
      .map((e) => e.toLowerCase());
  }
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = join(env, dir.replace(/^"(.*)"$/, '$1'), name + ext);
      tried.push(candidate);
      if (env.isExecutable(candidate)) {
        return { found: candidate, tried };
      }
    }
  }
  return { tried };
}

/** Expands `~`, `${userHome}` and `${workspaceFolder}` in a configured path. */
export function expandPath(value: string, env: ResolveEnv): string | undefined {
  let path = value.trim();
  if (path.includes('${workspaceFolder}')) {
    if (env.workspaceFolder === undefined) {
      return undefined;
    }
    path = path.split('${workspaceFolder}').join(env.workspaceFolder);
  }
  path = path.split('${userHome}').join(env.homeDir);
  if (path === '~') {
    path = env.homeDir;
  } else if (path.startsWith('~/') || (isWindows(env) && path.startsWith('~\\'))) {
    path = join(env, env.homeDir, path.slice(2));
  }
  return path;
}

/**
 * Which binary runs the language server, in this order:
 *  1. `plancheck.server.path` when set (a path, absolute or relative to the workspace
 *     folder, or a bare command name looked up on PATH). If it names nothing usable
 *     this is an error: an explicit setting is never silently replaced.
 *  2. the binary bundled in a platform package: `<extension>/server/plancheck[.exe]`;
 *  3. `plancheck` (`plancheck.exe`) on PATH.
 */
export function resolveServerCommand(settingValue: string | undefined, env: ResolveEnv): ResolveResult {
  const setting = (settingValue ?? '').trim();
  if (setting !== '') {
    const expanded = expandPath(setting, env);
    if (expanded === undefined) {
      return { ok: false, reason: 'setting', setting, tried: [] };
    }
    const hasSeparator = /[\\/]/.test(expanded) || (isWindows(env) && /^[A-Za-z]:/.test(expanded));
    if (!hasSeparator) {
      const hit = which(expanded, env);
      return hit.found !== undefined
        ? { ok: true, command: hit.found, source: 'setting' }
        : { ok: false, reason: 'setting', setting, tried: hit.tried };
    }
    let candidate = expanded;
    if (!isAbsolute(candidate, env)) {
      if (env.workspaceFolder === undefined) {
        return { ok: false, reason: 'setting', setting, tried: [candidate] };
      }
      candidate = join(env, env.workspaceFolder, candidate.replace(/^\.[\\/]/, ''));
    }
    const tried = [candidate];
    if (env.isExecutable(candidate)) {
      return { ok: true, command: candidate, source: 'setting' };
    }
    // `C:\tools\plancheck` written without `.exe`.
    if (isWindows(env) && !/\.exe$/i.test(candidate)) {
      tried.push(`${candidate}.exe`);
      if (env.isExecutable(`${candidate}.exe`)) {
        return { ok: true, command: `${candidate}.exe`, source: 'setting' };
      }
    }
    return { ok: false, reason: 'setting', setting, tried };
  }
  const bundled = bundledServerPath(env);
  if (env.isExecutable(bundled)) {
    return { ok: true, command: bundled, source: 'bundled' };
  }
  const hit = which('plancheck', env);
  if (hit.found !== undefined) {
    return { ok: true, command: hit.found, source: 'path' };
  }
  return { ok: false, reason: 'not-found', tried: [bundled, ...hit.tried] };
}

/** The message shown when no binary could be found (Japanese first, then English). */
export function serverMissingMessage(result: Extract<ResolveResult, { ok: false }>, lang: Lang): string {
  const m = messages(lang);
  return result.reason === 'setting' ? m.serverNotAtSetting(result.setting ?? '') : m.serverNotFound;
}

// ------------------------------------------------------------------ settings → server

/** The raw `plancheck.*` settings as VS Code returns them (anything the user wrote). */
export interface RawSettings {
  lang?: unknown;
  rules?: unknown;
}

/** What the server receives, both as initializationOptions and in didChangeConfiguration. */
export interface ServerSettings {
  lang: Lang;
  rules: Record<string, Severity>;
}

export interface SettingsProblem {
  setting: string;
  message: string;
}

/**
 * Validates the settings for the server: an unknown language falls back to `ja`, a rule
 * entry whose name is not a rule name or whose severity is not error/warning/info/off is
 * dropped. Every dropped entry is reported (in Japanese and English).
 */
export function buildServerSettings(raw: RawSettings): { settings: ServerSettings; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  let lang: Lang = 'ja';
  if (raw.lang !== undefined && raw.lang !== null) {
    if (typeof raw.lang === 'string' && (LANGS as readonly string[]).includes(raw.lang)) {
      lang = raw.lang as Lang;
    } else {
      problems.push({
        setting: 'plancheck.lang',
        message: `plancheck.lang: ${JSON.stringify(raw.lang)} は使えません (ja か en)。ja を使います / not "ja" or "en"; using "ja"`,
      });
    }
  }
  const rules: Record<string, Severity> = {};
  if (raw.rules !== undefined && raw.rules !== null) {
    if (typeof raw.rules !== 'object' || Array.isArray(raw.rules)) {
      problems.push({
        setting: 'plancheck.rules',
        message: 'plancheck.rules: ルール名 → 重要度 のオブジェクトではありません / not an object of rule name → severity',
      });
    } else {
      for (const [name, value] of Object.entries(raw.rules as Record<string, unknown>)) {
        if (!RULE_NAME.test(name)) {
          problems.push({
            setting: `plancheck.rules.${name}`,
            message: `plancheck.rules: 「${name}」はルール名の形ではありません (例: rating-mismatch) / "${name}" is not a rule name (e.g. rating-mismatch)`,
          });
          continue;
        }
        if (typeof value !== 'string' || !(SEVERITIES as readonly string[]).includes(value)) {
          problems.push({
            setting: `plancheck.rules.${name}`,
            message: `plancheck.rules.${name}: ${JSON.stringify(value)} は使えません (error, warning, info, off のいずれか)。無視します / not one of error, warning, info, off; ignored`,
          });
          continue;
        }
        rules[name] = value as Severity;
      }
    }
  }
  return { settings: { lang, rules }, problems };
}

/** The params of workspace/didChangeConfiguration: `{ settings: { plancheck: { lang, rules } } }`. */
export function didChangeConfigurationParams(settings: ServerSettings): { settings: { plancheck: ServerSettings } } {
  return { settings: { plancheck: settings } };
}

// ------------------------------------------------------------------ client options

/** The documents the server is given: `.plan` files on disk and unsaved (untitled) ones. */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'plan' },
  { scheme: 'untitled', language: 'plan' },
] as const;

/** The parts of LanguageClientOptions that are plain data (extension.ts adds the rest). */
export function baseClientOptions(settings: ServerSettings) {
  return {
    documentSelector: DOCUMENT_SELECTOR.map((s) => ({ ...s })),
    diagnosticCollectionName: 'plancheck',
    // Changes of any plancheck.* setting trigger workspace/didChangeConfiguration; the
    // middleware in extension.ts replaces the raw section by didChangeConfigurationParams().
    synchronize: { configurationSection: SECTION },
    initializationOptions: { ...settings, rules: { ...settings.rules } },
  };
}

/** `plancheck lsp`: the server's arguments. */
export const SERVER_ARGS = ['lsp'] as const;

/**
 * How vscode-languageclient starts the server: `plancheck lsp` over stdin/stdout. No
 * `transport` on purpose: with `TransportKind.stdio` the client appends `--stdio` to the
 * arguments, which `plancheck lsp` does not take; without one it uses stdio as it is.
 */
export function serverExecutable(command: string): { command: string; args: string[] } {
  return { command, args: [...SERVER_ARGS] };
}

// ------------------------------------------------------------------ rule docs

/** The URI scheme of the read-only rule documents. */
export const RULE_DOCS_SCHEME = 'plancheck-rule';

/** The virtual document of a rule's docs: `plancheck-rule:/rating-mismatch.md?lang=ja`. */
export function ruleDocsUri(rule: string, lang: Lang): { scheme: string; path: string; query: string } {
  return { scheme: RULE_DOCS_SCHEME, path: `/${rule}.md`, query: `lang=${lang}` };
}

/** The rule and language of a rule docs URI's path and query (undefined if not one). */
export function parseRuleDocsUri(path: string, query: string): { rule: string; lang: Lang } | undefined {
  const m = /^\/?([A-Za-z0-9][A-Za-z0-9-]*)\.md$/.exec(path);
  if (!m?.[1]) {
    return undefined;
  }
  const lang = /(?:^|&)lang=(en|ja)(?:&|$)/.exec(query)?.[1] === 'en' ? 'en' : 'ja';
  return { rule: m[1], lang };
}

/** A rule name or code as `plancheck explain` accepts it (rating-mismatch, PC201). */
export function isRuleArgument(value: unknown): value is string {
  return typeof value === 'string' && /^(?:[a-z0-9][a-z0-9-]*|PC\d{3})$/.test(value);
}

/** `plancheck explain RULE --lang LANG` */
export function explainArgs(rule: string, lang: Lang): string[] {
  return ['explain', rule, '--lang', lang];
}

/** `plancheck explain --list --lang LANG` */
export function explainListArgs(lang: Lang): string[] {
  return ['explain', '--list', '--lang', lang];
}

export interface RuleInfo {
  name: string;
  code: string;
  severity: string;
  summary: string;
}

/** Parses `plancheck explain --list`: `name  PC201  warning  summary` per line. */
export function parseRuleList(stdout: string): RuleInfo[] {
  const rules: RuleInfo[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^([a-z0-9][a-z0-9-]*)\s+([A-Z]+\d+)\s+(error|warning|info|off)\s+(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] && m[3] && m[4] !== undefined) {
      rules.push({ name: m[1], code: m[2], severity: m[3], summary: m[4].trim() });
    }
  }
  return rules;
}
