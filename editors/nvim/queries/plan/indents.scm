; Indentation (nvim-treesitter capture names). Everything inside a block is
; indented one level; the closing `}` goes back to the header's level.
(block) @indent.begin

(block
  "}" @indent.end)

"}" @indent.branch

; A text block continues the indentation of its field's lines.
(text_block) @indent.auto
