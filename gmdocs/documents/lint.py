"""Template lint: every problem of a DOCX template in one run, each with its location.

Checks: the file is a Word document at all, Jinja syntax of each tag, unknown variables and fields
(against context.SCHEMA), tags split across runs, unbalanced {%tr%}/{%p%}/{%tc%} and plain blocks,
smart quotes in tags, a tag left open in its paragraph, and what the sandboxed renderer refuses:
a range() or power with a huge literal, and attributes of Python internals (`__class__`, `_x`).
"""
from __future__ import annotations

import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import EXIT_BAD_INPUT, GmdocsError
from .context import SCHEMA
from .docxml import docx_parts, paragraphs_of
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
OPEN = re.compile(r"\{\{|\{%|\{#")
SMART = "“”‘’＂"
BLOCK_OPEN = {"for": "endfor", "if": "endif", "with": "endwith", "macro": "endmacro", "filter": "endfilter",
              "raw": "endraw", "call": "endcall", "block": "endblock"}
BLOCK_MID = {"else", "elif"}
JINJA_GLOBALS = {"loop", "range", "true", "false", "none", "True", "False", "None", "namespace", "dict", "lipsum",
                 "cycler", "joiner"}


@dataclass(frozen=True)
class LintProblem:
    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file} {self.where}: {self.message}"


def _schema_child(schema, attr):
    if schema == "*":
        return "*"
    if isinstance(schema, dict):
        return schema.get(attr)
    return None


def _elem(schema):
    if isinstance(schema, list):
        return schema[0] if schema else "*"
    return "*"


class _Names:
    """Check the variables and attributes used by one expression against the schema."""

    def __init__(self, env, scopes):
        self.env = env
        self.scopes = scopes

    def resolve(self, node):
        from jinja2 import nodes
        if isinstance(node, nodes.Name):
            for scope in reversed(self.scopes):
                if node.name in scope:
                    return scope[node.name], None
            if node.name in SCHEMA:
                return SCHEMA[node.name], None
            if node.name in JINJA_GLOBALS:
                return "*", None
            return None, f"未知变量 {node.name!r}"
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            base, err = self.resolve(node.node)
            if err or base is None:
                return None, err
            attr = node.attr if isinstance(node, nodes.Getattr) else (
                node.arg.value if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str) else None)
            if attr is None:
                return _elem(base) if isinstance(base, list) else "*", None
            if base == "*":
                return "*", None
            if isinstance(base, list):
                return None, f"{_dotted(node.node)} 是列表，不能取字段 {attr!r}（请用 for 循环）"
            child = _schema_child(base, attr)
            if child is None and attr not in ("items", "keys", "values", "get"):
                known = "、".join(sorted(base)) if isinstance(base, dict) else ""
                return None, f"未知字段 {_dotted(node.node)}.{attr}（可用：{known}）"
            return child or "*", None
        return "*", None

    def check(self, expr_node) -> list[str]:
        from jinja2 import nodes
        errors = []
        for n in [expr_node, *expr_node.find_all((nodes.Name, nodes.Getattr, nodes.Getitem))]:
            if isinstance(n, (nodes.Name, nodes.Getattr, nodes.Getitem)):
                if isinstance(n, nodes.Name) and n.ctx != "load":
                    continue
                _, err = self.resolve(n)
                if err and err not in errors:
                    errors.append(err)
        return errors


def _dotted(node) -> str:
    from jinja2 import nodes
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    return "…"


_HUGE = math.inf


def _const(node):
    """The number a constant expression stands for (math.inf when too big to compute), else None; never
    computes anything large (`9**9**9` is judged by its size, not evaluated)."""
    from jinja2 import nodes
    from .render import POWER_LIMIT_BITS
    if isinstance(node, nodes.Const):
        v = node.value
        return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None
    if isinstance(node, (nodes.Neg, nodes.Pos)):
        v = _const(node.node)
        return None if v is None else (-v if isinstance(node, nodes.Neg) else v)
    if isinstance(node, nodes.BinExpr):
        a, b = _const(node.left), _const(node.right)
        if a is None or b is None:
            return None
        if _HUGE in (abs(a), abs(b)):
            return _HUGE
        try:
            if isinstance(node, nodes.Pow):
                if abs(a) > 1 and b > 0 and b * math.log2(abs(a)) > POWER_LIMIT_BITS:
                    return _HUGE
                return a ** b
            if isinstance(node, nodes.Mul):
                return a * b
            if isinstance(node, nodes.Add):
                return a + b
            if isinstance(node, nodes.Sub):
                return a - b
            if isinstance(node, nodes.FloorDiv):
                return a // b
            if isinstance(node, nodes.Div):
                return a / b
            if isinstance(node, nodes.Mod):
                return a % b
        except (ArithmeticError, TypeError, ValueError):
            return None
    return None


def _dangers(ast) -> list[str]:
    """What the sandboxed renderer would refuse, found in the tag itself: a range() over a huge literal, a huge
    power or repetition, an attribute of Python internals."""
    from jinja2 import nodes
    from .render import RANGE_LIMIT, REPEAT_LIMIT
    out = []
    for n in ast.find_all((nodes.Call, nodes.Getattr, nodes.Getitem, nodes.Pow, nodes.Mul)):
        if isinstance(n, nodes.Call) and isinstance(n.node, nodes.Name) and n.node.name == "range":
            vals = [_const(a) for a in n.args]
            if vals and all(v is not None for v in vals):
                if any(v == _HUGE or v == -_HUGE for v in vals):
                    size = _HUGE
                else:
                    try:
                        size = len(range(*[int(v) for v in vals]))
                    except (ValueError, TypeError):
                        size = 0
                    except OverflowError:
                        size = _HUGE
                if size > RANGE_LIMIT:
                    count = "极多" if size == _HUGE else f" {size:,} "
                    out.append(f"range(…) 会产生{count}项，模板中的 range 最多 {RANGE_LIMIT:,} 项"
                               "（为防止生成卡死，生成时会被拒绝）；请改为遍历报告数据")
        elif isinstance(n, nodes.Pow):
            if _const(n) == _HUGE:
                out.append("幂运算 ** 的结果过大（生成时会被拒绝）")
        elif isinstance(n, nodes.Mul):
            for seq, times in ((n.left, n.right), (n.right, n.left)):
                if isinstance(seq, nodes.Const) and isinstance(seq.value, str):
                    k = _const(times)
                    if k is not None and len(seq.value) * k > REPEAT_LIMIT:
                        out.append(f"重复运算 * 会产生超过 {REPEAT_LIMIT:,} 个字符的文字（生成时会被拒绝）")
        else:
            attr = n.attr if isinstance(n, nodes.Getattr) else (
                n.arg.value if isinstance(n.arg, nodes.Const) and isinstance(n.arg.value, str) else None)
            if attr is not None and attr.startswith("_"):
                out.append(f"不允许访问内部属性 {attr!r}：模板只能使用报告数据的字段（生成时会被拒绝）")
    return list(dict.fromkeys(out))


def lint_template(path: str | Path) -> list[LintProblem]:
    from jinja2 import TemplateSyntaxError, nodes
    from .render import require_docx, template_env
    path = Path(path)
    if not path.exists():
        raise GmdocsError(f"模板文件不存在：{path}", EXIT_BAD_INPUT)
    require_docx(path)                               # a workbook renamed .docx is not a template
    env = template_env()
    file = str(path)
    problems: list[LintProblem] = []
    stack: list[tuple[str, str, str]] = []          # (kind, block, where)
    scopes: list[dict] = []
    names = _Names(env, scopes)
    from ..limits import check_zip_bounds
    check_zip_bounds(path, "模板")                   # size and uncompressed size bounded before parsing
    try:
        parts = docx_parts(path)
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise GmdocsError(f"无法打开模板（不是有效的 .docx）：{path}（{exc}）", EXIT_BAD_INPUT) from exc

    def danger(ast, where, tag):
        for msg in _dangers(ast):
            problems.append(LintProblem(file, where, f"{msg}（标签 {tag!r}）"))
    for part, xml in parts:
        try:
            paras = paragraphs_of(xml, part)
        except etree.XMLSyntaxError as exc:
            problems.append(LintProblem(file, part, f"XML 无法解析：{exc}"))
            continue
        for para in paras:
            text = para.text
            bounds, pos = [], 0
            for r in para.runs:
                bounds.append((pos, pos + len(r)))
                pos += len(r)
            spans = [(m.start(), m.end(), m.group(0)) for m in TAG.finditer(text)]
            covered = [False] * len(text)
            for s, e, _ in spans:
                for i in range(s, e):
                    covered[i] = True
            for m in OPEN.finditer(text):
                if not covered[m.start()]:
                    problems.append(LintProblem(file, para.where, f"标签没有闭合：{text[m.start():m.start() + 30]!r}"))
            for s, e, tag in spans:
                where = para.where
                if sum(1 for a, b in bounds if a < e and b > s) > 1:
                    problems.append(LintProblem(file, where, f"标签 {tag!r} 被拆分在多个文字块（run）中，请删除后一次性重新输入"))
                if any(q in tag for q in SMART):
                    problems.append(LintProblem(file, where, f"标签 {tag!r} 中有中文/弯引号，请改为英文直引号 \" 或 '"))
                if tag.startswith("{#"):
                    continue
                inner = tag[2:-2].strip()
                prefix = ""
                if tag.startswith("{%"):
                    m = re.match(r"^(tr|tc|p|r)\s+(.*)$", inner, re.S)
                    if m:
                        prefix, inner = m.group(1), m.group(2).strip()
                    word = inner.split(None, 1)[0] if inner else ""
                    if word in BLOCK_OPEN:
                        stack.append((prefix, word, where))
                        try:
                            ast = env.parse("{% " + inner + " %}{% " + BLOCK_OPEN[word] + " %}")
                        except TemplateSyntaxError as exc:
                            problems.append(LintProblem(file, where, f"标签 {tag!r} 语法错误：{exc.message}"))
                            scopes.append({})
                            continue
                        danger(ast, where, tag)
                        stmt = ast.body[0]
                        scope = {}
                        if isinstance(stmt, nodes.For):
                            for err in names.check(stmt.iter):
                                problems.append(LintProblem(file, where, f"{err}（标签 {tag!r}）"))
                            it, _ = names.resolve(stmt.iter) if isinstance(stmt.iter, (nodes.Name, nodes.Getattr)) else ("*", None)
                            targets = [stmt.target] if isinstance(stmt.target, nodes.Name) else list(stmt.target.items)
                            for t in targets:
                                scope[t.name] = _elem(it) if len(targets) == 1 else "*"
                        elif isinstance(stmt, nodes.If):
                            for err in names.check(stmt.test):
                                problems.append(LintProblem(file, where, f"{err}（标签 {tag!r}）"))
                        scopes.append(scope)
                    elif word.startswith("end"):
                        opener = word[3:]
                        if not stack:
                            problems.append(LintProblem(file, where, f"多余的结束标签 {tag!r}（没有对应的开始标签）"))
                            continue
                        kind, block, owhere = stack.pop()
                        scopes.pop()
                        if block != opener or kind != prefix:
                            problems.append(LintProblem(
                                file, where, f"结束标签 {tag!r} 与 {owhere} 的开始标签 "
                                f"“{{%{(kind + ' ') if kind else ''}{block} …%}}” 不配对"))
                    elif word in BLOCK_MID:
                        if not stack:
                            problems.append(LintProblem(file, where, f"标签 {tag!r} 不在 if 块内"))
                        elif word == "elif":
                            try:
                                ast = env.parse("{% if " + inner[4:] + " %}{% endif %}")
                                danger(ast, where, tag)
                                for err in names.check(ast.body[0].test):
                                    problems.append(LintProblem(file, where, f"{err}（标签 {tag!r}）"))
                            except TemplateSyntaxError as exc:
                                problems.append(LintProblem(file, where, f"标签 {tag!r} 语法错误：{exc.message}"))
                    elif word in ("set",):
                        try:
                            danger(env.parse("{% " + inner + " %}"), where, tag)
                        except TemplateSyntaxError as exc:
                            problems.append(LintProblem(file, where, f"标签 {tag!r} 语法错误：{exc.message}"))
                    else:
                        problems.append(LintProblem(file, where, f"不认识的标签 {tag!r}"))
                else:
                    try:
                        ast = env.parse("{{ " + inner + " }}")
                    except TemplateSyntaxError as exc:
                        problems.append(LintProblem(file, where, f"标签 {tag!r} 语法错误：{exc.message}"))
                        continue
                    danger(ast, where, tag)
                    expr = ast.body[0].nodes[0]
                    for err in names.check(expr):
                        problems.append(LintProblem(file, where, f"{err}（标签 {tag!r}）"))
    for kind, block, where in stack:
        problems.append(LintProblem(file, where, f"开始标签 “{{%{(kind + ' ') if kind else ''}{block} …%}}” 没有对应的结束标签"))
    return problems
