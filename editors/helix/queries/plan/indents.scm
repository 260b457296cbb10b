; Indentation for Helix (its capture names: book/src/guides/indent.md).
; Everything inside a block is one level in; the closing `}` goes back to
; the header's level. The grammar's own indents.scm uses nvim-treesitter's
; names; tests/editors.rs checks that both compile and that this file uses
; only Helix's captures.
(block) @indent

"}" @outdent
