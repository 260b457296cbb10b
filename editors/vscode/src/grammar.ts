/**
 * The TextMate grammar of `.plan` files, built from named regex pieces that mirror the
 * tree-sitter grammar (../../../grammar/grammar.js) token by token. `npm run build`
 * writes it to syntaxes/plan.tmLanguage.json; a test checks that the committed file is
 * up to date.
 *
 * The format is line oriented, so every rule matches one whole line:
 *   directive  `# plancheck: allow(rule-a, rule-b) reason`
 *   comment    `# ...`
 *   text line  `| ...` / `｜ ...`
 *   close      `}`
 *   header     `KEYWORD [ID] [TITLE] {` (or `... {}`)
 *   field      `KEY: VALUE` / `KEY：VALUE`
 * Regexes are Oniguruma (what VS Code runs); `\x{HHHH}` is a code point.
 */
import { ROOT_SCOPE, SCOPES } from './scopes';

const r = String.raw;

// Character class bodies (as in grammar.js).
/** Horizontal whitespace: space, tab, ideographic space, BOM. */
const WS_ = r` \t\x{3000}\x{FEFF}`;
/** ASCII and full-width digits. */
const DIGIT_ = r`0-9\x{FF10}-\x{FF19}`;
/** Hyphens accepted inside an ID: - － ‐ ‑ ‒ – − ー */
const HYPHEN_ = r`\-\x{FF0D}\x{2010}\x{2011}\x{2012}\x{2013}\x{2212}\x{30FC}`;

const WS = `[${WS_}]`;

/** A keyword or key: one word, not starting with a character that begins another construct. */
const NAME = r`[^${WS_}\r\n:：{}|｜#][^${WS_}\r\n:：{]*`;
/** `N`, `N-N`, `N-N-N`, ASCII or full-width. */
const ID = r`[${DIGIT_}]+(?:[${HYPHEN_}][${DIGIT_}]+)*`;
/**
 * Right after the name, a digit/hyphen run is an ID only when whitespace, `{` or the line
 * end follows the whole run; otherwise the text is a title (`指標 3歳児健診受診率 {`).
 */
const ID_FOLLOWS = r`(?=[${DIGIT_}${HYPHEN_}]*(?:${WS}|\{|$))`;
/** Title after an ID: any text up to `{`, trimmed. */
const TITLE_AFTER_ID = r`[^${WS_}\r\n{](?:[^\r\n{]*[^${WS_}\r\n{])?`;
/** Title right after the name: cannot start with a colon, nor be an ID followed by a blank. */
const TITLE_AFTER_NAME =
  r`(?:[^${WS_}\r\n{:：${DIGIT_}]|[${DIGIT_}][${DIGIT_}${HYPHEN_}]*[^${WS_}\r\n{${DIGIT_}${HYPHEN_}])` +
  r`(?:[^\r\n{]*[^${WS_}\r\n{])?`;

/**
 * highlights.scm: the keys whose every value is a symbol of the legend (a grade or a level:
 * A–D, 高/中/低 by default, any symbol under another legend).
 */
const GRADE_KEY = r`(?:全体評価|定量評価|定性評価)`;
/** highlights.scm: a value of another key that is exactly a dash, 増加, 減少, 維持 or 範囲. */
const CONSTANT_VALUE = r`(?:[\-‐‑–—―⁻₋−ー︱︲﹘﹣－ｰ]|増加|減少|維持|範囲内|範囲)`;
/** highlights.scm: a value starting with a digit (a quantity). */
const NUMBER_VALUE = r`[0-9０-９](?:[^\r\n]*[^${WS_}\r\n])?`;
/** Any other value (trimmed rest of the line). */
const STRING_VALUE = r`[^${WS_}\r\n](?:[^\r\n]*[^${WS_}\r\n])?`;

/** grammar.js `rule_name`: a rule's name or its code, in either case (PC201). */
const RULE = r`[A-Za-z0-9][A-Za-z0-9\-]*`;
const SEPARATOR = r`[,，、]`;
const RULE_LIST = r`${WS}*${RULE}(?:${WS}*${SEPARATOR}${WS}*${RULE})*(?:${WS}*${SEPARATOR})?${WS}*`;
const DIRECTIVE_START = r`#${WS}*plancheck${WS}*[:：]`;

export interface TmCapture {
  name?: string;
  patterns?: TmRule[];
}
export interface TmRule {
  comment?: string;
  name?: string;
  match?: string;
  captures?: Record<string, TmCapture>;
  include?: string;
}
export interface TmGrammar {
  $schema: string;
  name: string;
  scopeName: string;
  fileTypes: string[];
  patterns: TmRule[];
  repository: Record<string, TmRule>;
}

export function planGrammar(): TmGrammar {
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'Plan',
    scopeName: ROOT_SCOPE,
    fileTypes: ['plan'],
    patterns: [
      { include: '#directive' },
      { include: '#invalid-directive' },
      { include: '#comment' },
      { include: '#text-line' },
      { include: '#block-close' },
      { include: '#block-header' },
      { include: '#grade-field' },
      { include: '#field' },
    ],
    repository: {
      directive: {
        comment: '# plancheck: allow(rule, ...) / allow-file(...), optionally followed by a reason',
        name: SCOPES.directiveMeta,
        match:
          r`^${WS}*(${DIRECTIVE_START})${WS}*(allow-file|allow)${WS}*([(（])(${RULE_LIST})([)）])` +
          r`(?:${WS}*([^${WS_}\r\n].*?))?${WS}*$`,
        captures: {
          '1': { name: SCOPES.directive },
          '2': { name: SCOPES.directive },
          '3': { name: SCOPES.parens },
          '4': {
            patterns: [
              { name: SCOPES.ruleName, match: RULE },
              { name: SCOPES.comma, match: SEPARATOR },
            ],
          },
          '5': { name: SCOPES.parens },
          '6': { name: SCOPES.directiveNote },
        },
      },
      'invalid-directive': {
        comment: 'a line starting with `# plancheck:` that is not a directive is a syntax error',
        match: r`^${WS}*(${DIRECTIVE_START}.*)$`,
        captures: { '1': { name: SCOPES.directiveInvalid } },
      },
      comment: {
        match: r`^${WS}*(#.*)$`,
        captures: { '1': { name: SCOPES.comment } },
      },
      'text-line': {
        comment: 'a line of a text block: `| text` (ASCII or full-width bar)',
        name: SCOPES.textLineMeta,
        match: r`^${WS}*([|｜])(.*)$`,
        captures: {
          '1': { name: SCOPES.textMarker },
          '2': { name: SCOPES.textContent },
        },
      },
      'block-close': {
        match: r`^${WS}*(\})`,
        captures: { '1': { name: SCOPES.braces } },
      },
      'block-header': {
        comment: 'KEYWORD [ID] [TITLE] {   or an empty block  KEYWORD [ID] [TITLE] {}',
        name: SCOPES.blockHeaderMeta,
        match:
          r`^${WS}*(${NAME})` +
          r`(?:${WS}+(?:(?>(${ID}))${ID_FOLLOWS}${WS}*(${TITLE_AFTER_ID})?|(${TITLE_AFTER_NAME})))?` +
          r`${WS}*(\{)(?:${WS}*(\}))?${WS}*$`,
        captures: {
          '1': { name: SCOPES.blockKeyword },
          '2': { name: SCOPES.blockId },
          '3': { name: SCOPES.blockTitle },
          '4': { name: SCOPES.blockTitle },
          '5': { name: SCOPES.braces },
          '6': { name: SCOPES.braces },
        },
      },
      'grade-field': {
        comment: 'a grade or level KEY: VALUE: any value is a symbol of the legend',
        name: SCOPES.fieldMeta,
        match: r`^${WS}*(${GRADE_KEY})${WS}*([:：])(?:${WS}*(${STRING_VALUE}))?${WS}*$`,
        captures: {
          '1': { name: SCOPES.fieldKey },
          '2': { name: SCOPES.colon },
          '3': { name: SCOPES.valueConstant },
        },
      },
      field: {
        comment: 'KEY: VALUE (the value is classified as highlights.scm does)',
        name: SCOPES.fieldMeta,
        match:
          r`^${WS}*(${NAME})${WS}*([:：])` +
          r`(?:${WS}*(?:(${CONSTANT_VALUE})|(${NUMBER_VALUE})|(${STRING_VALUE})))?${WS}*$`,
        captures: {
          '1': { name: SCOPES.fieldKey },
          '2': { name: SCOPES.colon },
          '3': { name: SCOPES.valueConstant },
          '4': { name: SCOPES.valueNumber },
          '5': { name: SCOPES.valueString },
        },
      },
    },
  };
}

/** The grammar as written to syntaxes/plan.tmLanguage.json. */
export function planGrammarJson(): string {
  return `${JSON.stringify(planGrammar(), null, 2)}\n`;
}
