; Highlights for `.plan` files.
; Capture names follow the common Neovim / Helix vocabulary. Patterns do not
; overlap (the value patterns are mutually exclusive), so the result is the same
; whether an editor lets the first or the last matching pattern win.

; Comments and directives (`# plancheck: allow(rule-name, ...)`). A comment
; that starts like a directive but is not a well-formed one is an error
; (invalid-directive).
((comment) @comment
  (#not-match? @comment "^#[ \t　]*plancheck[ \t　]*[:：]"))

((comment) @comment.error
  (#match? @comment.error "^#[ \t　]*plancheck[ \t　]*[:：]"))

(directive) @keyword.directive

(directive
  kind: (directive_kind) @keyword.directive)

(rule_name) @attribute

; Blocks: `施策 1-1-1 健康づくり {`
(block
  name: (name) @keyword)

(id) @number

(title) @string.special

; Fields: `全体評価: B`
(field
  key: (name) @property)

; Grades and levels: every value of a 評価 field is a symbol of the plan's
; legend (A–D and 高/中/低 by default; S, B+, ◎, 順調 or any other under
; another legend), so it is a constant whatever the legend. (`_key` captures
; only name the key for the predicates: editors do not paint them.)
(field
  key: (name) @_grade_key
  value: (value) @constant
  (#match? @_grade_key "^(全体評価|定量評価|定性評価)$"))

; Elsewhere: `-` (not obtainable: every character NFKC makes a dash) and the
; directions 増加 / 減少 / 維持 / 範囲
(field
  key: (name) @_key
  value: (value) @constant
  (#not-match? @_key "^(全体評価|定量評価|定性評価)$")
  (#match? @constant "^([-‐‑–—―⁻₋−ー︱︲﹘﹣－ｰ]|増加|減少|維持|範囲内|範囲)$"))

; Quantities: `5,900人`, `60.5人 (R3年)`, `32.6% (R4年度)`
(field
  key: (name) @_key
  value: (value) @number
  (#not-match? @_key "^(全体評価|定量評価|定性評価)$")
  (#match? @number "^[0-9０-９]"))

; Any other value is prose
(field
  key: (name) @_key
  value: (value) @string
  (#not-match? @_key "^(全体評価|定量評価|定性評価)$")
  (#not-match? @string "^([-‐‑–—―⁻₋−ー︱︲﹘﹣－ｰ]|増加|減少|維持|範囲内|範囲)$|^[0-9０-９]"))

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
