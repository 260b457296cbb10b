; Generated from grammar/queries/highlights.scm by tests/editors.rs, with
; Helix's scope names. Edit the grammar's file, then run
; PLANCHECK_UPDATE_EDITORS=1 cargo test --test editors

; Highlights for `.plan` files.
; Capture names follow the common Neovim / Helix vocabulary. Patterns do not
; overlap (the value patterns are mutually exclusive), so the result is the same
; whether an editor lets the first or the last matching pattern win.

; Comments and directives (`# plancheck: allow(rule-name, ...)`). A comment
; that starts like a directive but is not a well-formed one is an error
; (invalid-directive).
((comment) @comment
  (#not-match? @comment "^#[ \t　]*plancheck[ \t　]*[:：]"))

((comment) @comment
  (#match? @comment "^#[ \t　]*plancheck[ \t　]*[:：]"))

(directive) @keyword.directive

(directive
  kind: (directive_kind) @keyword.directive)

(rule_name) @attribute

; Blocks: `施策 1-1-1 健康づくり {`
(block
  name: (name) @keyword)

(id) @constant.numeric

(title) @string.special

; Fields: `全体評価: B`
(field
  key: (name) @variable.other.member)

; Grades (A–D, full-width Ａ–Ｄ) and levels (高 中 低), `-` (not obtainable)
((value) @constant
  (#match? @constant "^([A-DＡ-Ｄ]|[高中低]|[-－―‐−–—ーｰ]|増加|減少)$"))

; Quantities: `5,900人`, `60.5人 (R3年)`, `32.6% (R4年度)`
((value) @constant.numeric
  (#match? @constant.numeric "^[0-9０-９]"))

; Any other value is prose
((value) @string
  (#not-match? @string "^([A-DＡ-Ｄ]|[高中低]|[-－―‐−–—ーｰ]|増加|減少)$|^[0-9０-９]"))

; Text blocks
(text) @string

[
  "|"
  "｜"
] @punctuation.special

[
  ":"
  "："
  ","
  "，"
  "、"
] @punctuation.delimiter

[
  "{"
  "}"
  "("
  ")"
  "（"
  "）"
] @punctuation.bracket
