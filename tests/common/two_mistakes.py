"""The two mistakes of the adoption tests (tests/pre-commit, tests/action), made in
3-anzen.plan of a copy of examples/isesaki: a wrong grade (80 of 72 is A, written B)
and the 課題 of one 展開 pasted over another's.

    python3 tests/common/two_mistakes.py PATH/3-anzen.plan
"""
import sys

path = sys.argv[1]
text = open(path, encoding="utf-8").read()
grade = "目標: 72件\n        定量評価: A"
old = "行政区での自主防災組織は構築されているが、地区防災計画の整備並びに避難行動要支援者への災害時での対応については途上段階にあるため、更なる推進を促す必要がある。"
pasted = "同報系防災無線の撤去により情報伝達手段が一部減少したことにより、それに代わる新たな情報伝達の構築が急がれる。"
if grade not in text or old not in text:
    sys.exit(f"{path}: the example changed; update tests/common/two_mistakes.py")
text = text.replace(grade, grade[:-1] + "B", 1).replace(old, pasted, 1)
open(path, "w", encoding="utf-8").write(text)
