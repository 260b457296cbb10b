/*
 * External scanner for the `.plan` grammar: the line-end token only.
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
 * Plain C11; the only allocation is the 4-byte state.
 */

#include "tree_sitter/alloc.h"
#include "tree_sitter/parser.h"

#include <stdint.h>
#include <string.h>

enum TokenType {
  NEWLINE,
  TEXT_NEWLINE, /* a line end whose next line starts with `|` or `｜` */
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

bool tree_sitter_plan_external_scanner_scan(void *payload, TSLexer *lexer,
                                            const bool *valid_symbols) {
  Scanner *scanner = (Scanner *)payload;
  if (!valid_symbols[NEWLINE] && !valid_symbols[TEXT_NEWLINE]) return false;

  // Trailing blanks before the line end are extras.
  while (is_blank(lexer->lookahead)) lexer->advance(lexer, true);

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
