/*
 * External scanner for the `.plan` grammar: the line-end tokens, and comments.
 *
 * Why a scanner at all: tree-sitter's error recovery may, after a bad line such
 * as `実績 5,900人` (a field without its colon), keep skipping tokens into the
 * NEXT line and resume inside the bad line's half-built construct when it meets
 * a token that fits there (e.g. the `:` of `目標: 10人`), producing
 * `実績: 10人` and losing the `目標` field. The runtime stops that kind of
 * skipping at a token that changes the external scanner's state, as soon as a
 * recovery to an earlier state (here: the start of a line) has succeeded. So
 * the newline token is produced here, and its serialized state is a small hash
 * of the beginning of the line that follows it. Consecutive line ends thus
 * (almost always) differ in state, and error recovery stays on the bad line.
 *
 * The state depends only on the text right after the newline, so incremental
 * re-parsing still reuses everything that is not next to an edit.
 *
 * Comments are scanned here too, so that a line starting with `#` is a
 * comment unless it is a whole, well-formed directive
 * (`# plancheck: allow(RULE, ...)`, which the grammar then parses). A broken
 * directive such as `# plancheck: allow(x {` is thus one comment token, and
 * its `{` can never open a block during error recovery (the model reports it
 * as invalid-directive).
 *
 * Plain C11; the only allocation is the 4-byte state.
 */

#include "tree_sitter/alloc.h"
#include "tree_sitter/parser.h"

#include <stdint.h>
#include <string.h>

enum TokenType {
  NEWLINE,
  TEXT_NEWLINE, /* a line end whose next line starts with `|` or `｜` */
  COMMENT,      /* a `#` line that is not a well-formed directive */
};

/* How many non-blank characters of the next line (after its indentation,
 * which is hashed too) go into the state hash. Every character peeked here
 * is lexed twice, and tree-sitter's lexer costs tens of nanoseconds a
 * character: 48 characters made parsing 40% slower than 3 do. Three are
 * enough to tell a key from the next (`実績 5,900人` / `目標: 10人`, or
 * `取組 a` / `取組: b`). */
#define PEEK_LIMIT 3

typedef struct {
  uint32_t state;
} Scanner;

static inline bool is_blank(int32_t c) {
  // A CR is blank here: before an LF it is part of the CRLF line end, and a
  // lone CR is blank inside the line (grammar.js, WS).
  return c == ' ' || c == '\t' || c == '\r' || c == 0x3000 || c == 0xFEFF;
}

void *tree_sitter_plan_external_scanner_create(void) {
  return ts_calloc(1, sizeof(Scanner));
}

void tree_sitter_plan_external_scanner_destroy(void *payload) {
  ts_free(payload);
}

unsigned tree_sitter_plan_external_scanner_serialize(void *payload, char *buffer) {
  Scanner *scanner = (Scanner *)payload;
  memcpy(buffer, &scanner->state, sizeof(scanner->state));
  return sizeof(scanner->state);
}

void tree_sitter_plan_external_scanner_deserialize(void *payload, const char *buffer,
                                                   unsigned length) {
  Scanner *scanner = (Scanner *)payload;
  if (length == sizeof(scanner->state)) {
    memcpy(&scanner->state, buffer, sizeof(scanner->state));
  } else {
    scanner->state = 0;
  }
}

/* Advances one character inside a comment; the comment ends after its last
 * non-blank character (in case the line turns out not to be a directive). */
static inline void step(TSLexer *lexer) {
  int32_t c = lexer->lookahead;
  lexer->advance(lexer, false);
  if (!is_blank(c)) lexer->mark_end(lexer);
}

static inline void skip_blanks(TSLexer *lexer) {
  while (is_blank(lexer->lookahead) && !lexer->eof(lexer)) step(lexer);
}

/* Consumes `word` (ASCII) if the input continues with it. */
static bool consume(TSLexer *lexer, const char *word) {
  for (; *word; word++) {
    if (lexer->lookahead != (int32_t)*word) return false;
    step(lexer);
  }
  return true;
}

static inline bool is_rule_char(int32_t c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (!first && c == '-');
}

static inline bool is_separator(int32_t c) { return c == ',' || c == 0xFF0C || c == 0x3001; }

/* After `#`: whether the rest of the line is a well-formed directive, exactly
 * as grammar.js reads one (`directive`, blanks being extras between tokens). */
static bool well_formed_directive(TSLexer *lexer) {
  skip_blanks(lexer);
  if (!consume(lexer, "plancheck")) return false;
  skip_blanks(lexer);
  if (lexer->lookahead != ':' && lexer->lookahead != 0xFF1A) return false;
  step(lexer);
  skip_blanks(lexer);
  if (!consume(lexer, "allow")) return false;
  if (lexer->lookahead == '-' && !consume(lexer, "-file")) return false;
  skip_blanks(lexer);
  if (lexer->lookahead != '(' && lexer->lookahead != 0xFF08) return false;
  step(lexer);
  bool separated = true; /* a rule name may come next */
  int rules = 0;
  for (;;) {
    skip_blanks(lexer);
    int32_t c = lexer->lookahead;
    if (c == ')' || c == 0xFF09) return rules > 0;
    if (separated && is_rule_char(c, true)) {
      while (is_rule_char(lexer->lookahead, false)) step(lexer);
      rules++;
      separated = false;
    } else if (!separated && is_separator(c)) {
      step(lexer);
      separated = true;
    } else {
      return false;
    }
  }
}

/* A comment from `#` to the line end (its trailing blanks excluded). */
static bool scan_comment(TSLexer *lexer) {
  step(lexer); /* `#` */
  if (well_formed_directive(lexer)) return false; /* the grammar's directive */
  /* Not a directive: the whole line is the comment (scanning resumes after
   * wherever the check stopped, which is on the same line). */
  for (;;) {
    int32_t c = lexer->lookahead;
    if (c == '\n' || lexer->eof(lexer)) break;
    step(lexer);
  }
  lexer->result_symbol = COMMENT;
  return true;
}

bool tree_sitter_plan_external_scanner_scan(void *payload, TSLexer *lexer,
                                            const bool *valid_symbols) {
  Scanner *scanner = (Scanner *)payload;
  if (!valid_symbols[NEWLINE] && !valid_symbols[TEXT_NEWLINE] && !valid_symbols[COMMENT]) return false;

  // Blanks before a token are extras.
  uint32_t blanks = 0;
  while (is_blank(lexer->lookahead)) {
    lexer->advance(lexer, true);
    blanks++;
  }

  // A comment starts its line: a `#` after other text (`施策 1 a {# note`,
  // reached in error recovery) is not one, and stays in the error.
  if (lexer->lookahead == '#' && valid_symbols[COMMENT] && lexer->get_column(lexer) == blanks) return scan_comment(lexer);
  if (!valid_symbols[NEWLINE] && !valid_symbols[TEXT_NEWLINE]) return false;
  if (lexer->lookahead != '\n') return false;
  lexer->advance(lexer, false);
  lexer->mark_end(lexer);

  // FNV-1a over the start of the next line (indentation included); the
  // first character after the indentation tells a text line.
  uint32_t hash = 2166136261u;
  int32_t first = 0;
  int seen = 0;
  while (seen < PEEK_LIMIT) {
    int32_t c = lexer->lookahead;
    if (c == '\n' || lexer->eof(lexer)) break;
    if (!is_blank(c)) {
      if (first == 0) first = c;
      seen++;
    }
    hash = (hash ^ (uint32_t)c) * 16777619u;
    lexer->advance(lexer, false);
  }
  bool text_follows = first == '|' || first == 0xFF5C;
  if (text_follows && valid_symbols[TEXT_NEWLINE]) {
    lexer->result_symbol = TEXT_NEWLINE;
  } else if (valid_symbols[NEWLINE]) {
    lexer->result_symbol = NEWLINE;
  } else {
    return false;
  }
  scanner->state = hash;
  return true;
}
