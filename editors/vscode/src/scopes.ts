/**
 * The TextMate scopes of the `.plan` grammar, and which tree-sitter highlight capture
 * (grammar/queries/highlights.scm) each one stands for. The grammar (src/grammar.ts)
 * uses these scopes and the tests (test/grammar.test.ts) check the TextMate tokens
 * against tree-sitter's captures through CAPTURE_SCOPES.
 */

export const SCOPES = {
  comment: 'comment.line.number-sign.plan',
  /** `# plancheck:` and the kind (`allow`, `allow-file`) of a directive. */
  directive: 'keyword.other.directive.plan',
  /** Free text after a directive's `)` (a reason); tree-sitter captures it as part of the directive. */
  directiveNote: 'keyword.other.directive.note.plan',
  /** A `# plancheck:` line that is not a well-formed directive (a syntax error). */
  directiveInvalid: 'invalid.illegal.directive.plan',
  /** The whole directive line (no colour of its own). */
  directiveMeta: 'meta.directive.plan',
  ruleName: 'entity.other.attribute-name.rule.plan',
  blockKeyword: 'keyword.other.block.plan',
  blockId: 'constant.numeric.id.plan',
  blockTitle: 'entity.name.section.plan',
  blockHeaderMeta: 'meta.block.header.plan',
  fieldKey: 'variable.other.property.plan',
  fieldMeta: 'meta.field.plan',
  /** A grade A–D, a level 高/中/低, a dash (not obtainable), 増加/減少. */
  valueConstant: 'constant.language.plan',
  /** A value starting with a digit: a quantity such as `5,900人 (R4年度)`. */
  valueNumber: 'constant.numeric.plan',
  valueString: 'string.unquoted.plan',
  textLineMeta: 'meta.text-line.plan',
  textContent: 'string.unquoted.text.plan',
  textMarker: 'punctuation.section.text.plan',
  colon: 'punctuation.separator.key-value.plan',
  comma: 'punctuation.separator.comma.plan',
  braces: 'punctuation.section.braces.plan',
  parens: 'punctuation.section.parens.plan',
} as const;

/** The root scope of the grammar. */
export const ROOT_SCOPE = 'source.plan';

/** The highlight captures of grammar/queries/highlights.scm. */
export type Capture =
  | 'comment'
  | 'comment.error'
  | 'keyword.directive'
  | 'attribute'
  | 'keyword'
  | 'number'
  | 'string.special'
  | 'property'
  | 'constant'
  | 'string'
  | 'punctuation.special'
  | 'punctuation.delimiter'
  | 'punctuation.bracket';

/**
 * tree-sitter capture → the TextMate scope(s) it corresponds to. A character captured
 * as the key must have, as its innermost TextMate scope, one of these scopes or a more
 * specific one (same name with more segments before the `.plan` suffix, e.g.
 * `constant.numeric.id.plan` for `constant.numeric.plan`).
 */
export const CAPTURE_SCOPES: Readonly<Record<Capture, readonly string[]>> = {
  comment: ['comment.line.number-sign.plan'],
  'comment.error': ['invalid.illegal.directive.plan'],
  'keyword.directive': ['keyword.other.directive.plan'],
  attribute: ['entity.other.attribute-name.rule.plan'],
  keyword: ['keyword.other.block.plan'],
  number: ['constant.numeric.plan'],
  'string.special': ['entity.name.section.plan'],
  property: ['variable.other.property.plan'],
  constant: ['constant.language.plan'],
  string: ['string.unquoted.plan'],
  'punctuation.special': ['punctuation.section.text.plan'],
  'punctuation.delimiter': ['punctuation.separator.plan'],
  'punctuation.bracket': ['punctuation.section.braces.plan', 'punctuation.section.parens.plan'],
};

/** True when `actual` is `expected` or a more specific scope of it (see CAPTURE_SCOPES). */
export function scopeMatches(actual: string, expected: string): boolean {
  const strip = (s: string) => s.replace(/\.plan$/, '');
  const a = strip(actual);
  const e = strip(expected);
  return a === e || a.startsWith(`${e}.`);
}

/** True when `actual` stands for the capture. */
export function scopeMatchesCapture(actual: string, capture: string): boolean {
  const expected = (CAPTURE_SCOPES as Readonly<Record<string, readonly string[]>>)[capture];
  return expected?.some((e) => scopeMatches(actual, e)) ?? false;
}
