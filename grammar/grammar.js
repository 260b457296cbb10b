/**
 * @file Tree-sitter grammar for `.plan` files (municipal plan evaluation sheets).
 *
 * The format is line oriented (see shared/spec/plan-format.md):
 *
 *   - a block header `NAME [ID] [TITLE] {` ... a line starting with `}`,
 *     or an empty block `NAME [ID] [TITLE] {}` on one line;
 *   - a field `KEY: VALUE` (ASCII `:` or full-width `：`), whose empty value may
 *     be followed by a text block of lines starting with `|` / `｜`;
 *   - comment lines `# ...`, and directives `# plancheck: allow(RULE, ...)` /
 *     `# plancheck: allow-file(RULE, ...)`.
 *
 * Newlines are significant tokens (hidden), indentation is not. Every line-level
 * token stops before `\r` / `\n`, so no token text ever contains a line end.
 *
 * Lexing notes (tree-sitter picks the longest match among the tokens valid in a
 * parse state, unless lexical precedence says otherwise):
 *
 *   - After a block/field name, both `id` and `title` are valid. The title token
 *     used there (`_title_after_name`) cannot match text that begins with an
 *     ID-shaped run of digits and hyphens followed by whitespace, `{` or the end
 *     of the line, so `施策 1-1-1 健康づくり {` lexes `1-1-1` as the id, while
 *     `指標 3歳児健診受診率 {` lexes the whole `3歳児健診受診率` as a title (the
 *     title match is longer than the id match `3`). After an id, any text is a
 *     title (`_title_after_id`). Both are aliased to `title`.
 *   - Comments come from the external scanner (src/scanner.c), which reads a
 *     `#` line to its end first: a whole, well-formed directive is left to the
 *     `directive` rule, and anything else (`# plancheck: allow(x {` included)
 *     is one `comment` token, whose `{` or `}` cannot take part in the
 *     structure. The model reports broken directives (invalid-directive).
 *   - The line end is an external token (src/scanner.c) whose state changes
 *     from line to line; this keeps error recovery on the bad line (see the
 *     scanner for details). A line end followed by a text line (`|`) is a
 *     token of its own, `_text_newline`, so that the grammar is LR(1).
 */

/* eslint-disable no-undef */

// Horizontal whitespace: space, tab, ideographic space, BOM / ZWNBSP, and a
// carriage return that is not part of a CRLF line end (a lone CR is blank
// inside a line, as in src/syntax/line_index.rs; it never ends one).
const WS = ' \\t\\r\\u3000\\uFEFF';
// ASCII and full-width digits.
const DIGIT = '0-9\\uFF10-\\uFF19';
// Hyphen-like characters accepted inside an ID: - － ‐ ‑ ‒ – − ー
const HYPHEN = '\\-\\uFF0D\\u2010\\u2011\\u2012\\u2013\\u2212\\u30FC';

const re = (source) => new RegExp(source);

module.exports = grammar({
  name: 'plan',

  extras: (_) => [re(`[${WS}]+`)],

  // The line end (LF or CRLF) comes from src/scanner.c (see there for why).
  // `_text_newline` is a line end whose next line is a text line (`|`): the
  // scanner looks ahead, so the parser needs no GLR split after `KEY:` or a
  // text line (it used to fork there on every line, 20% of parse time).
  externals: ($) => [$._newline, $._text_newline, $.comment],


  rules: {
    // Items are separated by newlines; blank lines are just extra newlines.
    // The last line need not end with a newline.
    source_file: ($) =>
      seq(optional($._item), repeat(seq($._newline, optional($._item)))),

    _item: ($) => choice($.block, $.field, $.comment, $.directive),

    // ---------------------------------------------------------------- blocks

    block: ($) =>
      seq(
        field('name', $.name),
        optional(
          choice(
            seq(
              field('id', $.id),
              optional(field('title', alias($._title_after_id, $.title))),
            ),
            field('title', alias($._title_after_name, $.title)),
          ),
        ),
        '{',
        choice(
          '}',
          seq(
            $._newline,
            repeat(seq(optional($._item), $._newline)),
            '}',
          ),
        ),
      ),

    // A keyword or a field key: one word. It cannot start with a character
    // that begins another construct, and stops at whitespace, a colon or `{`.
    name: (_) => re(`[^${WS}\\r\\n:：{}|｜#][^${WS}\\r\\n:：{]*`),

    // `N`, `N-N`, `N-N-N` (any count), ASCII or full-width.
    id: (_) => re(`[${DIGIT}]+([${HYPHEN}][${DIGIT}]+)*`),

    // Title right after the name. Either it starts with a character that
    // cannot start an ID, or its leading run of digits/hyphens is followed by
    // something other than whitespace / `{` / line end (so it cannot be an ID
    // followed by a title). No leading/trailing whitespace, no `{`.
    _title_after_name: (_) =>
      re(
        `([^${WS}\\r\\n{:：${DIGIT}]|[${DIGIT}][${DIGIT}${HYPHEN}]*[^${WS}\\r\\n{${DIGIT}${HYPHEN}])` +
          `([^\\n{]*[^${WS}\\r\\n{])?`,
      ),

    // Title after an ID: any text up to `{`, trimmed.
    _title_after_id: (_) => re(`[^${WS}\\r\\n{]([^\\n{]*[^${WS}\\r\\n{])?`),

    // ---------------------------------------------------------------- fields

    field: ($) =>
      seq(
        field('key', $.name),
        choice(':', '：'),
        optional(
          choice(
            field('value', $.value),
            seq($._text_newline, field('text', $.text_block)),
          ),
        ),
      ),

    // Rest of the line, trimmed (may contain `:`, `{`, `}`, `#`, `|`).
    value: (_) => re(`[^${WS}\\r\\n]([^\\n]*[^${WS}\\r\\n])?`),

    text_block: ($) => seq($.text_line, repeat(seq($._text_newline, $.text_line))),

    text_line: ($) =>
      seq(choice('|', '｜'), optional(field('content', $.text))),

    // Everything after the marker up to the line end, including the leading
    // space(s) (the model strips at most one).
    text: (_) => token.immediate(re('[^\\n]+')),

    // -------------------------------------------------------------- comments

    // `comment` is an external token (src/scanner.c): a `#` line that is
    // not a whole, well-formed directive, trailing blanks excluded.

    directive: ($) =>
      seq(
        $._directive_start,
        field('kind', $.directive_kind),
        choice('(', '（'),
        $.rule_name,
        repeat(seq(choice(',', '，', '、'), $.rule_name)),
        optional(choice(',', '，', '、')),
        choice(')', '）'),
        optional($._directive_note),
      ),

    _directive_start: (_) =>
      token(prec(2, re(`#[${WS}]*plancheck[${WS}]*[:：]`))),

    directive_kind: (_) => token(choice('allow', 'allow-file')),

    // A rule's name (`rating-mismatch`) or code, in either case (`PC201`, `pc201`).
    rule_name: (_) => re('[A-Za-z0-9][A-Za-z0-9-]*'),

    // Free text after the closing parenthesis (e.g. a reason); hidden.
    _directive_note: (_) => re(`[^${WS}\\r\\n][^\\n]*`),

  },
});
