"""Template lint: every problem of a DOCX template in one run, each with its location.

Checks: Jinja syntax of each tag, unknown variables and fields (against context.SCHEMA),
tags split across runs, unbalanced {%tr%}/{%p%}/{%tc%} and plain blocks, smart quotes in
tags, and a tag left open in its paragraph.
"""
from __future__ import annotations

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


def lint_template(path: str | Path) -> list[LintProblem]:
    from jinja2 import Environment, TemplateSyntaxError, nodes
    path = Path(path)
    if not path.exists():
        raise GmdocsError(f"模板文件不存在：{path}", EXIT_BAD_INPUT)
    env = Environment()
    file = str(path)
    problems: list[LintProblem] = []
    stack: list[tuple[str, str, str]] = []          # (kind, block, where)
    scopes: list[dict] = []
    names = _Names(env, scopes)
    try:
        parts = docx_parts(path)
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise GmdocsError(f"无法打开模板（不是有效的 .docx）：{path}（{exc}）", EXIT_BAD_INPUT) from exc
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
                                for err in names.check(ast.body[0].test):
                                    problems.append(LintProblem(file, where, f"{err}（标签 {tag!r}）"))
                            except TemplateSyntaxError as exc:
                                problems.append(LintProblem(file, where, f"标签 {tag!r} 语法错误：{exc.message}"))
                    elif word in ("set",):
                        try:
                            env.parse("{% " + inner + " %}")
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
                    expr = ast.body[0].nodes[0]
                    for err in names.check(expr):
                        problems.append(LintProblem(file, where, f"{err}（标签 {tag!r}）"))
    for kind, block, where in stack:
        problems.append(LintProblem(file, where, f"开始标签 “{{%{(kind + ' ') if kind else ''}{block} …%}}” 没有对应的结束标签"))
    return problems
