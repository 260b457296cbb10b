import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planGrammarJson } from '../src/grammar';
import { CAPTURE_SCOPES, type Capture, SCOPES, scopeMatches, scopeMatchesCapture } from '../src/scopes';
import { grammarPath, innermostScopes, root, scopesOf, tokenize } from './textmate';

describe('syntaxes/plan.tmLanguage.json', () => {
  it('is what src/grammar.ts builds (run `npm run build` after changing it)', () => {
    expect(readFileSync(grammarPath, 'utf8')).toBe(planGrammarJson());
  });

  it('uses only scopes of the mapping table (src/scopes.ts)', () => {
    const used = new Set<string>();
    JSON.stringify(JSON.parse(readFileSync(grammarPath, 'utf8')), (key, value: unknown) => {
      if (key === 'name' && typeof value === 'string' && value !== 'Plan') {
        used.add(value);
      }
      return value;
    });
    const known = new Set<string>(Object.values(SCOPES));
    expect([...used].filter((s) => !known.has(s))).toEqual([]);
  });
});

describe('scope matching', () => {
  it('accepts the mapped scope and more specific ones only', () => {
    expect(scopeMatches('constant.numeric.plan', 'constant.numeric.plan')).toBe(true);
    expect(scopeMatches('constant.numeric.id.plan', 'constant.numeric.plan')).toBe(true);
    expect(scopeMatches('constant.numericx.plan', 'constant.numeric.plan')).toBe(false);
    expect(scopeMatches('constant.language.plan', 'constant.numeric.plan')).toBe(false);
    expect(scopeMatchesCapture('punctuation.section.parens.plan', 'punctuation.bracket')).toBe(true);
    expect(scopeMatchesCapture('punctuation.separator.key-value.plan', 'punctuation.delimiter')).toBe(true);
    expect(scopeMatchesCapture('string.unquoted.plan', 'no.such.capture')).toBe(false);
  });

  it('maps every capture of grammar/queries/highlights.scm', () => {
    const queries = join(root, '..', '..', 'grammar', 'queries', 'highlights.scm');
    let text: string;
    try {
      text = readFileSync(queries, 'utf8');
    } catch {
      return; // the extension folder on its own (outside the repository)
    }
    // `@_name` captures only name a node for a predicate: no editor paints them.
    const captures = new Set([...text.matchAll(/@([\w.]+)/g)].map((m) => m[1]).filter((c) => !c?.startsWith('_')));
    expect([...captures].filter((c) => !(c !== undefined && c in CAPTURE_SCOPES))).toEqual([]);
  });
});

describe('sample lines', () => {
  const S = SCOPES;
  const cases: [string, string, [string, string][]][] = [
    ['comment', '# ふつうのコメント: allow(x)', [['# ふつうのコメント: allow(x)', S.comment]]],
    // Any symbol of a legend is a grade: the grammar knows no fixed list.
    ['a grade of another legend', '    定量評価: B+', [['定量評価', S.fieldKey], [':', S.colon], ['B+', S.valueConstant]]],
    ['a level in words', '  定性評価：概ね順調', [['定性評価', S.fieldKey], ['：', S.colon], ['概ね順調', S.valueConstant]]],
    ['a letter outside a grade field is prose', '  代表課: A', [['代表課', S.fieldKey], [':', S.colon], ['A', S.valueString]]],
    [
      'directive',
      '  # plancheck: allow(rating-mismatch, PC104)',
      [
        ['# plancheck:', S.directive],
        ['allow', S.directive],
        ['(', S.parens],
        ['rating-mismatch', S.ruleName],
        [',', S.comma],
        ['PC104', S.ruleName],
        [')', S.parens],
      ],
    ],
    [
      'full-width directive with a reason',
      '#plancheck：allow-file（duplicate-text、near-duplicate-text，） 原本のまま',
      [
        ['#plancheck：', S.directive],
        ['allow-file', S.directive],
        ['（', S.parens],
        ['duplicate-text', S.ruleName],
        ['、', S.comma],
        ['near-duplicate-text', S.ruleName],
        ['，', S.comma],
        ['）', S.parens],
        ['原本のまま', S.directiveNote],
      ],
    ],
    ['malformed directive', '# plancheck: allow rating-mismatch', [['# plancheck: allow rating-mismatch', S.directiveInvalid]]],
    ['"# plancheck" without a colon is a comment', '# plancheck の説明', [['# plancheck の説明', S.comment]]],
    [
      'block header',
      '施策 1-1-1 健康づくりと疾病予防の推進 {',
      [
        ['施策', S.blockKeyword],
        ['1-1-1', S.blockId],
        ['健康づくりと疾病予防の推進', S.blockTitle],
        ['{', S.braces],
      ],
    ],
    [
      'full-width ID, empty block',
      '施策 ２－１－３{}',
      [
        ['施策', S.blockKeyword],
        ['２－１－３', S.blockId],
        ['{', S.braces],
        ['}', S.braces],
      ],
    ],
    [
      'a title starting with digits is not an ID',
      '指標 3歳児健診受診率 {',
      [
        ['指標', S.blockKeyword],
        ['3歳児健診受診率', S.blockTitle],
        ['{', S.braces],
      ],
    ],
    [
      'a title may hold a colon',
      '指標 市民満足度（%）: 総合 {}',
      [
        ['指標', S.blockKeyword],
        ['市民満足度（%）: 総合', S.blockTitle],
        ['{', S.braces],
        ['}', S.braces],
      ],
    ],
    ['block without title', '計画 {', [['計画', S.blockKeyword], ['{', S.braces]]],
    ['closing brace', '    }', [['}', S.braces]]],
    ['grade', '  全体評価: B', [['全体評価', S.fieldKey], [':', S.colon], ['B', S.valueConstant]]],
    ['full-width colon and level', '  定量評価：高', [['定量評価', S.fieldKey], ['：', S.colon], ['高', S.valueConstant]]],
    ['dash', '  実績: －', [['実績', S.fieldKey], [':', S.colon], ['－', S.valueConstant]]],
    ['direction', '  方向: 減少', [['方向', S.fieldKey], [':', S.colon], ['減少', S.valueConstant]]],
    ['quantity', '  実績: 5,900人 (R4年度)', [['実績', S.fieldKey], [':', S.colon], ['5,900人 (R4年度)', S.valueNumber]]],
    ['full-width quantity', '  目標: ９００g', [['目標', S.fieldKey], [':', S.colon], ['９００g', S.valueNumber]]],
    ['a grade with more text is prose', '  目標: Bランク', [['目標', S.fieldKey], [':', S.colon], ['Bランク', S.valueString]]],
    ['prose', '  代表課: 健康づくり課', [['代表課', S.fieldKey], [':', S.colon], ['健康づくり課', S.valueString]]],
    [
      'a value may hold # and braces',
      '  備考: 受付 9:00 # 注 {a}',
      [['備考', S.fieldKey], [':', S.colon], ['受付 9:00 # 注 {a}', S.valueString]],
    ],
    ['text field opener', '  成果:', [['成果', S.fieldKey], [':', S.colon]]],
    ['text line', '    | 市民の健康づくりを支援した。', [['|', S.textMarker], [' 市民の健康づくりを支援した。', S.textContent]]],
    ['full-width text line', '    ｜全角の縦線', [['｜', S.textMarker], ['全角の縦線', S.textContent]]],
  ];
  it.each(cases)('%s', async (_name, line, expected) => {
    expect(await scopesOf(line)).toEqual(expected);
  });
});

interface ReferenceToken {
  line: number;
  start: number;
  end: number;
  capture: string;
}
interface ReferenceSample {
  name: string;
  text: string;
  tokens: ReferenceToken[];
}

describe('the tree-sitter reference (test/fixtures/highlights.json)', () => {
  const samples = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'highlights.json'), 'utf8')) as ReferenceSample[];

  it('has samples and tokens', () => {
    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples) {
      expect(s.tokens.length, s.name).toBeGreaterThan(0);
    }
  });

  it('uses only captures of the mapping table', () => {
    const unknown = samples.flatMap((s) => s.tokens.map((t) => t.capture)).filter((c) => !(c in CAPTURE_SCOPES));
    expect([...new Set(unknown)]).toEqual([]);
  });

  it.each(samples.map((s) => [s.name, s] as const))('%s: every character has the scope of its capture', async (_name, sample) => {
    const lines = sample.text.split('\n');
    const tokenized = await tokenize(sample.text);
    const failures: string[] = [];
    for (const token of sample.tokens) {
      const line = lines[token.line] ?? '';
      const inner = innermostScopes(tokenized[token.line] ?? [], line.length);
      const expected = CAPTURE_SCOPES[token.capture as Capture];
      for (let col = token.start; col < token.end; col++) {
        const got = inner[col] ?? '';
        if (!scopeMatchesCapture(got, token.capture)) {
          failures.push(
            `${sample.name}:${token.line + 1}:${col + 1} ` +
              `${JSON.stringify(line.slice(token.start, token.end))} (char ${JSON.stringify(line[col])}): ` +
              `expected ${token.capture} → ${expected.join(' | ')}, got ${got === '' ? '(source.plan only)' : got}\n` +
              `    line: ${line}`,
          );
          break; // one failure per token is enough
        }
      }
    }
    expect(failures, `${failures.length} token(s) differ:\n${failures.join('\n')}`).toEqual([]);
  });
});
