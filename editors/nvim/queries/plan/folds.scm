; Fold blocks (`NAME ... {` to `}`) and multi-line text blocks (`| ...`).
[
  (block)
  (text_block)
] @fold
