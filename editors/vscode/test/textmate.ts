/**
 * Test helper: tokenizes text with the committed TextMate grammar through vscode-textmate
 * and vscode-oniguruma (the same engine VS Code uses), without a VS Code binary.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const require = createRequire(import.meta.url);
export const root = fileURLToPath(new URL('..', import.meta.url));
export const grammarPath = join(root, 'syntaxes', 'plan.tmLanguage.json');

let grammarPromise: Promise<vsctm.IGrammar> | undefined;

async function load(): Promise<vsctm.IGrammar> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: (scopeName: string) => {
      if (scopeName !== 'source.plan') {
        return Promise.resolve(null);
      }
      return Promise.resolve(vsctm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath));
    },
  });
  const grammar = await registry.loadGrammar('source.plan');
  if (!grammar) {
    throw new Error('could not load source.plan');
  }
  return grammar;
}

export function planGrammar(): Promise<vsctm.IGrammar> {
  grammarPromise ??= load();
  return grammarPromise;
}

export interface Token {
  start: number;
  end: number;
  scopes: string[];
  text: string;
}

/**
 * Tokens of each line of `text` (split on \n, columns in UTF-16 code units). As in VS Code,
 * a line is tokenized without its line end: the \r of a CRLF is not part of it.
 */
export async function tokenize(text: string): Promise<Token[][]> {
  const grammar = await planGrammar();
  let stack = vsctm.INITIAL;
  const result: Token[][] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    result.push(
      r.tokens.map((t) => ({
        start: t.startIndex,
        end: Math.min(t.endIndex, line.length),
        scopes: t.scopes,
        text: line.slice(t.startIndex, t.endIndex),
      })),
    );
  }
  return result;
}

/** The innermost scope at each UTF-16 column of a line ('' where only source.plan applies). */
export function innermostScopes(tokens: Token[], length: number): string[] {
  const scopes = new Array<string>(length).fill('');
  for (const t of tokens) {
    const inner = t.scopes.length > 1 ? (t.scopes[t.scopes.length - 1] ?? '') : '';
    for (let i = t.start; i < t.end && i < length; i++) {
      scopes[i] = inner;
    }
  }
  return scopes;
}

/** `{ text: innermost scope }` for each token with a scope of its own, for readable assertions. */
export async function scopesOf(line: string): Promise<[string, string][]> {
  const [tokens = []] = await tokenize(line);
  return tokens
    .filter((t) => t.scopes.length > 1 && t.text.trim() !== '')
    .map((t) => [t.text, t.scopes[t.scopes.length - 1] ?? '']);
}
