"""Formulas as data: a small arithmetic language for the expressions in standards/formula/*.yaml.

An expression uses numbers, the variables below, + - * / and parentheses — nothing else.
It is parsed once when the catalogue loads (an unknown name or construct is a catalogue
problem with file and line) and evaluated with plain floats; no Python code from data runs.
"""
from __future__ import annotations

import ast
import operator
from dataclasses import dataclass

from ..application.spec import RAW_ITEMS

# Variables the calculator provides for every data year, besides the 原始数据 items (RAW_ITEMS ids).
BASE_VARIABLES = {
    "energy_tce": "综合能耗（tce，当量值；能源消费按 GB/T 2589-2020 折算，无能源明细时取申报值）",
    "output_value": "工业总产值（万元）",
    "value_added": "工业增加值（万元）",
    "carbon_total": "二氧化碳排放总量（tCO2，GB/T 32150-2015，不含生物质）",
    "main_output": "唯一最终产品的产量（产品单位）",
    "pollutant_margin": "各主要污染物年均排放浓度低于许可排放限值的幅度中的最小值（%）",
}
VARIABLES = {**BASE_VARIABLES, **{r.id: f"{r.label}（原始数据）" for r in RAW_ITEMS}}

_BIN = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


class FormulaError(ValueError):
    pass


@dataclass(frozen=True)
class Expression:
    text: str
    tree: ast.expr
    names: tuple[str, ...]

    def evaluate(self, values: dict[str, float]) -> float:
        return _eval(self.tree, values)


def compile_expression(text: str) -> Expression:
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise FormulaError(f"表达式无法解析：{text!r}（{exc.msg}）") from None
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id not in VARIABLES:
                raise FormulaError(f"表达式中的变量 {node.id!r} 未定义（可用：{'、'.join(VARIABLES)}）")
            names.append(node.id)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise FormulaError(f"表达式中只允许数字常量：{node.value!r}")
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BIN:
                raise FormulaError("表达式只允许 + - * / 和括号")
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub):
                raise FormulaError("表达式只允许负号这一种一元运算")
        elif not isinstance(node, (ast.operator, ast.unaryop, ast.Load)):
            raise FormulaError(f"表达式中不允许 {type(node).__name__}（只允许数字、变量、+ - * / 和括号）")
    return Expression(text.strip(), tree, tuple(dict.fromkeys(names)))


def _eval(node: ast.expr, values: dict[str, float]) -> float:
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return float(values[node.id])
    if isinstance(node, ast.UnaryOp):
        return -_eval(node.operand, values)
    if isinstance(node, ast.BinOp):
        return _BIN[type(node.op)](_eval(node.left, values), _eval(node.right, values))
    raise FormulaError(type(node).__name__)
