import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Snippet, SnippetSyntaxError, bodyText, expandSnippet, tabStops } from '../src/snippets';
import { root } from './textmate';

/**
 * Block keywords and field names of the format: the spec's "Blocks" and "Fields" tables
 * (shared/spec/plan-format.md), as in crates/plancheck_core/src/model/schema.rs (BlockKind::KEYWORDS, FIELDS)
 * of the repository. Hard-coded here so the extension's tests run on their own.
 */
const BLOCK_KEYWORDS = ['計画', '基本政策', '政策', '施策', '指標', '展開', '施策の展開'];
const FIELD_NAMES = [
  '実績年度',
  '目標年度',
  '全体評価',
  '自己評価',
  '定量評価',
  '定性評価',
  '次期課題',
  '次期計画で取り組むべき課題',
  '次期方向性',
  '次期計画での取組の方向性',
  '代表課',
  '施策代表課',
  '備考',
  '実績',
  '実績値',
  '目標',
  '目標値',
  '見込み',
  '方向',
  '取組',
  '主な取組',
  '成果',
  '課題',
];

const snippets = JSON.parse(readFileSync(join(root, 'snippets', 'plan.json'), 'utf8')) as Record<string, Snippet>;

function named(name: string): Snippet {
  const snippet = snippets[name];
  if (!snippet) {
    throw new Error(`no snippet named ${name}`);
  }
  return snippet;
}

/** The shape of an expanded snippet, line by line (the same line rules as the grammar). */
function structure(text: string): { keywords: string[]; keys: string[]; balanced: boolean; problems: string[] } {
  const keywords: string[] = [];
  const keys: string[] = [];
  const problems: string[] = [];
  let depth = 0;
  let balanced = true;
  let textAllowed = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    if (/^[|｜]/.test(line)) {
      if (!textAllowed) {
        problems.push(`a text line not under an empty "KEY:": ${raw}`);
      }
      continue;
    }
    textAllowed = false;
    if (line.startsWith('}')) {
      depth -= 1;
      if (depth < 0 || line !== '}') {
        balanced = false;
      }
      continue;
    }
    const header = /^([^\s:：{}|｜#][^\s:：{]*)(?:\s+[^{]*?)?\s*\{\s*(\})?$/.exec(line);
    if (header?.[1]) {
      keywords.push(header[1]);
      if (!header[2]) {
        depth += 1;
      }
      continue;
    }
    const field = /^([^\s:：{}|｜#][^\s:：{]*)\s*[:：]\s*(.*)$/.exec(line);
    if (field?.[1] !== undefined) {
      keys.push(field[1]);
      textAllowed = field[2] === '';
      continue;
    }
    problems.push(`neither a block header, a field, a text line nor "}": ${raw}`);
  }
  return { keywords, keys, balanced: balanced && depth === 0, problems };
}

describe('snippets/plan.json', () => {
  const entries = Object.entries(snippets);

  it('has the 施策, 指標 and 展開 snippets', () => {
    const prefixes = entries.flatMap(([, s]) => (Array.isArray(s.prefix) ? s.prefix : [s.prefix]));
    expect(prefixes).toEqual(expect.arrayContaining(['施策', '指標', '展開']));
  });

  it.each(entries)('%s: prefix, body and description', (_name, snippet) => {
    const prefixes = Array.isArray(snippet.prefix) ? snippet.prefix : [snippet.prefix];
    expect(prefixes.length).toBeGreaterThan(0);
    for (const p of prefixes) {
      expect(typeof p === 'string' && p.trim() !== '').toBe(true);
    }
    expect(typeof snippet.description === 'string' && snippet.description.trim() !== '').toBe(true);
    const body = bodyText(snippet);
    expect(body.trim()).not.toBe('');
    expect(Object.keys(snippet).sort()).toEqual(['body', 'description', 'prefix']);
  });

  it.each(entries)('%s: placeholders are well-formed and numbered 1..n, then $0', (_name, snippet) => {
    const stops = tabStops(bodyText(snippet));
    const numbered = [...new Set(stops.filter((n) => n > 0))].sort((a, b) => a - b);
    expect(numbered).toEqual(numbered.map((_, i) => i + 1));
    expect(stops.filter((n) => n === 0).length).toBeLessThanOrEqual(1);
  });

  it.each(entries)('%s: the expansion is valid .plan with the spec\'s names', (_name, snippet) => {
    const text = expandSnippet(bodyText(snippet));
    expect(text).not.toMatch(/\$|\t/);
    const s = structure(text);
    expect(s.problems).toEqual([]);
    expect(s.balanced, text).toBe(true);
    expect(s.keywords.filter((k) => !BLOCK_KEYWORDS.includes(k))).toEqual([]);
    expect(s.keys.filter((k) => !FIELD_NAMES.includes(k))).toEqual([]);
  });

  it('expands the 施策 snippet to a consistent 施策', () => {
    const text = expandSnippet(bodyText(named('施策 (指標・展開つき)')));
    expect(text.split('\n').slice(0, 6)).toEqual([
      '施策 1-1-1 施策名 {',
      '  全体評価: A',
      '  自己評価:',
      '    | 自己評価の文章',
      '  指標 指標名 {',
      '    実績: 100人',
    ]);
    expect(text).toContain('    定量評価: A\n  }\n  定量評価: 高');
    expect(text.endsWith('  代表課: 担当課\n}')).toBe(true);
  });
});

describe('expandSnippet', () => {
  it('expands tab stops, placeholders, nested placeholders, choices and escapes', () => {
    expect(expandSnippet('a $1 ${2} ${3:x} ${4:y ${5:z}} ${6|p,q|} \\$ \\} $0')).toBe('a   x y z p $ } ');
    expect(expandSnippet('\tb', '    ')).toBe('    b');
    expect(tabStops('${1:a ${2:b}} $0 $3')).toEqual([1, 2, 0, 3]);
  });

  it('rejects malformed bodies', () => {
    for (const bad of ['${1:abc', '${1|a,b}', '$', '${x}', '$TM_FILENAME', '${1|a']) {
      expect(() => expandSnippet(bad), bad).toThrow(SnippetSyntaxError);
    }
  });
});

/**
 * With PLANCHECK_BIN set (ci.sh passes the binary it is given), every expansion is checked
 * by the real checker: the 施策 snippet must be clean, and every snippet, placed in a 施策
 * when it belongs in one, must read without syntax, value, name or rating errors.
 */
describe.runIf(process.env.PLANCHECK_BIN)('the expansions, checked by plancheck', () => {
  const binary = process.env.PLANCHECK_BIN ?? '';
  const check = (text: string): { rule: string; message: string }[] => {
    const stdout = execFileSync(binary, ['check', '--format', 'json', '--stdin-filename', 'snippet.plan', '-'], {
      input: `${text}\n`,
      encoding: 'utf8',
      // exit status 1 = findings
    }).toString();
    return (JSON.parse(stdout) as { diagnostics: { rule: string; message: string }[] }).diagnostics;
  };
  const checkAllowingFindings = (text: string) => {
    try {
      return check(text);
    } catch (error) {
      const stdout = (error as { stdout?: string }).stdout;
      if (stdout) {
        return (JSON.parse(stdout) as { diagnostics: { rule: string; message: string }[] }).diagnostics;
      }
      throw error;
    }
  };
  const serious = new Set([
    'syntax-error',
    'invalid-value',
    'unknown-field',
    'misplaced-field',
    'unknown-block',
    'misplaced-block',
    'invalid-id',
    'duplicate-field',
    'rating-mismatch',
    'quantitative-summary-mismatch',
    'qualitative-summary-mismatch',
  ]);

  it('the 施策 snippet is clean', () => {
    expect(checkAllowingFindings(expandSnippet(bodyText(named('施策 (指標・展開つき)'))))).toEqual([]);
  });

  it.each(Object.entries(snippets))('%s', (_name, snippet) => {
    let text = expandSnippet(bodyText(snippet));
    const first = text.split('\n')[0] ?? '';
    const indent = (t: string) =>
      t
        .split('\n')
        .map((l) => (l === '' ? l : `  ${l}`))
        .join('\n');
    if (/^[^\s:：{]+\s*[:：]/.test(first)) {
      // A field snippet (テキスト欄): its default key (成果) belongs in a 展開.
      text = `展開 スニペットの確認 {\n${indent(text)}\n  定性評価: 中\n}`;
    }
    if (!/^(施策|政策|計画|基本政策)\s/.test(text)) {
      text = `施策 9-9-9 スニペットの確認 {\n  全体評価: A\n${indent(text)}\n  代表課: 担当課\n}`;
    }
    expect(checkAllowingFindings(text).filter((d) => serious.has(d.rule))).toEqual([]);
  });
});
