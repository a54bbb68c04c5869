"""Safe DOCX rendering with docxtpl: strict (a missing value is an error naming the field),
autoescaped (A&B <C> stays A&B <C>), user text passed as data and never evaluated as Jinja.

A template is a user's file: it is rendered in Jinja's sandbox (no attribute access to Python internals),
its `range()` is bounded (one call and all calls of a rendering together), and `*`/`**` cannot build huge
strings or numbers — a template cannot hang or exhaust the build. A file that is not a Word document
(a workbook renamed .docx) is refused with a Chinese message before anything is rendered."""
from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

from ..errors import EXIT_BAD_INPUT, GmdocsError

DRAFT_MARK = "草稿（不得报送）"

RANGE_LIMIT = 10_000            # items one range() of a template may give
RANGE_BUDGET = 100_000          # items all range() calls of one rendering may give together (nested loops)
REPEAT_LIMIT = 100_000          # length of a text or list a template may build with *
POWER_LIMIT_BITS = 256          # size of a number a template may build with **


class TemplateLimitError(GmdocsError):
    """A template asked for more than a report can need (a huge range, text or number)."""


def _limit(message: str) -> TemplateLimitError:
    return TemplateLimitError(message, EXIT_BAD_INPUT)


def bounded_range(budget: list[int] | None = None):
    """`range` for templates: at most RANGE_LIMIT items a call, RANGE_BUDGET items in all (when `budget`,
    a one-item list holding what is left, is given)."""
    def rng(*args):
        try:
            r = range(*args)
        except TypeError as exc:
            raise _limit(f"模板中的 range({', '.join(map(repr, args))}) 参数不是整数") from exc
        try:
            n = len(r)
        except OverflowError:            # more items than an index can count
            n = math.inf
        if n > RANGE_LIMIT:
            count = "极多" if n == math.inf else f" {n:,} "
            call = f"range({', '.join(map(str, args))})"
            raise _limit(f"模板中的 {call} 会产生{count}项，超过模板允许的 {RANGE_LIMIT:,} 项（为防止生成卡死）；"
                         "请改为遍历报告数据（如 {% for g in groups %}）")
        if budget is not None:
            budget[0] -= n
            if budget[0] < 0:
                raise _limit(f"模板中的 range 循环合计超过 {RANGE_BUDGET:,} 项（多层嵌套循环），已停止生成以防卡死")
        return r
    return rng


def _too_big_power(left, right) -> bool:
    if isinstance(left, bool) or isinstance(right, bool) or not isinstance(left, (int, float)) \
            or not isinstance(right, (int, float)):
        return False
    if abs(left) <= 1 or right <= 0:
        return False
    return right * math.log2(abs(left)) > POWER_LIMIT_BITS


def _repeat_length(left, right) -> int | None:
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and not isinstance(times, bool):
            return len(seq) * max(times, 0)
    return None


_COMPILED: dict = {}       # (XML source, name, filename, defer_init) → compiled code, oldest first


def template_env():
    """The Jinja environment every template is rendered (and linted) with: sandboxed, strict, autoescaped,
    bounded range, * and ** that refuse huge results."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class _Env(SandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**"])     # not folded at compile time either

        def call_binop(self, context, operator, left, right):
            if operator == "**" and _too_big_power(left, right):
                raise _limit(f"模板中的幂运算 {left!r} ** {right!r} 结果过大，已拒绝（为防止生成卡死）")
            if operator == "*":
                n = _repeat_length(left, right)
                if n is not None and n > REPEAT_LIMIT:
                    raise _limit(f"模板中的重复运算 * 会产生长度 {n:,} 的文字或列表，超过允许的 {REPEAT_LIMIT:,}，已拒绝")
            return super().call_binop(context, operator, left, right)

        def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
            # A build renders one template three times (headings, layout probe, final): compile its XML once.
            # The code depends only on the source and on settings that are the same for every _Env.
            if raw or not isinstance(source, str):
                return super().compile(source, name, filename, raw, defer_init)
            key = (source, name, filename, defer_init)
            code = _COMPILED.get(key)
            if code is None:
                code = super().compile(source, name, filename, raw, defer_init)
                if len(_COMPILED) >= 64:
                    _COMPILED.pop(next(iter(_COMPILED)))
                _COMPILED[key] = code
            return code

    env = _Env(undefined=StrictUndefined, autoescape=True)
    env.globals["range"] = bounded_range([RANGE_BUDGET])
    return env


_NOT_WORD = (("xl/workbook.xml", "Excel 工作簿（.xlsx）"), ("ppt/presentation.xml", "PowerPoint 演示文稿（.pptx）"),
             ("content.xml", "OpenDocument 文件（.odt/.ods）"))


def _sp(text: str) -> str:
    return f" {text}" if text[:1].isascii() else text


def require_docx(path: str | Path) -> None:
    """Refuse, in Chinese, a file that is not a Word document (.docx: a zip holding word/document.xml)."""
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise GmdocsError(f"无法读取模板：{p}（{exc.strerror or exc}）", EXIT_BAD_INPUT) from exc
    hint = "请在 Word 或 WPS 中打开后另存为 Word 文档（.docx），或从 templates/ 中复制一份模板修改"
    if not zipfile.is_zipfile(p):
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            what = "旧版 Office 文件（如 Word 97-2003 的 .doc 或 Excel 的 .xls）"
        elif head.startswith(b"%PDF"):
            what = "PDF 文件"
        elif head.startswith(b"{\\rtf"):
            what = "RTF 文件"
        else:
            what = "无法识别的文件（不是 .docx 的压缩包格式）"
        raise GmdocsError(f"模板不是 Word 文档（.docx）：{p} 是{_sp(what)}。{hint}", EXIT_BAD_INPUT)
    try:
        with zipfile.ZipFile(p) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise GmdocsError(f"模板文件已损坏，无法打开：{p}（{exc}）。{hint}", EXIT_BAD_INPUT) from exc
    if "word/document.xml" not in names:
        what = next((w for part, w in _NOT_WORD if part in names), "不含 Word 正文（word/document.xml）的压缩包")
        raise GmdocsError(f"模板不是 Word 文档（.docx）：{p} 是{_sp(what)}，只是扩展名为 {p.suffix or '（无）'}。{hint}",
                          EXIT_BAD_INPUT)


def render_docx(template: Path, context: dict, out: Path, draft: bool = False) -> None:
    from docxtpl import DocxTemplate
    from jinja2 import exceptions as jx
    from jinja2.sandbox import SecurityError
    require_docx(template)
    from ..limits import check_zip_bounds
    check_zip_bounds(template, "模板")
    env = template_env()
    try:
        tpl = DocxTemplate(str(template))
        context = with_images(tpl, context)
        tpl.render(context, jinja_env=env, autoescape=True)
    except TemplateLimitError as exc:
        raise GmdocsError(f"模板 {template}：{exc.message}；可先运行 gmdocs template lint", EXIT_BAD_INPUT) from exc
    except SecurityError as exc:
        raise GmdocsError(f"模板 {template} 访问了不允许的内部属性（{exc.message or exc}）：模板只能使用报告数据的字段；"
                          "可先运行 gmdocs template lint", EXIT_BAD_INPUT) from exc
    except jx.UndefinedError as exc:
        m = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", exc.message or "")
        name = next((g for g in (m.groups() if m else ()) if g), exc.message)
        raise GmdocsError(f"模板 {template} 引用了不存在的字段 {name!r}（{exc.message}）；可先运行 gmdocs template lint",
                          EXIT_BAD_INPUT) from exc
    except jx.TemplateSyntaxError as exc:
        raise GmdocsError(f"模板 {template} 有 Jinja 语法错误：{exc.message}；可先运行 gmdocs template lint",
                          EXIT_BAD_INPUT) from exc
    except jx.TemplateError as exc:
        raise GmdocsError(f"模板 {template} 无法生成：{exc.message or exc}；可先运行 gmdocs template lint",
                          EXIT_BAD_INPUT) from exc
    except (TypeError, ValueError, ArithmeticError, KeyError, IndexError, AttributeError) as exc:
        raise GmdocsError(f"模板 {template} 中的表达式无法计算（{type(exc).__name__}: {exc}）；可先运行 gmdocs template lint",
                          EXIT_BAD_INPUT) from exc
    if draft:
        mark_draft(tpl.docx)
    tpl.save(str(out))
    from .layout import fit_columns
    fit_columns(out)            # no number or code broken inside a narrow cell


def with_images(tpl, value):
    """The context with every `charts.Chart` in it (in dicts, lists, tuples, at any depth) replaced by a docxtpl
    InlineImage of the template: `{{ c }}` places the picture, `{{ c.caption }}` prints its caption. The caller's
    context is not changed; a container without a chart in it is passed on as it is."""
    from .charts import Chart
    if isinstance(value, Chart):
        from docx.shared import Cm
        from docxtpl import InlineImage
        if not Path(value.path).is_file():
            raise GmdocsError(f"图表文件不存在：{value.path}", EXIT_BAD_INPUT)
        img = InlineImage(tpl, str(value.path), width=Cm(value.width_cm))
        img.caption = value.caption
        return img
    if isinstance(value, dict):
        new = {k: with_images(tpl, v) for k, v in value.items()}
        return new if any(new[k] is not v for k, v in value.items()) else value
    if isinstance(value, (list, tuple)):
        new = [with_images(tpl, v) for v in value]
        return new if any(a is not b for a, b in zip(new, value)) else value
    return value


def mark_draft(document) -> None:
    """Put the draft mark in every header of every section (templates need not plan for it)."""
    for section in document.sections:
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        if document.settings.odd_and_even_pages_header_footer:
            headers.append(section.even_page_header)
        for h in headers:
            text = "\n".join(p.text for p in h.paragraphs)
            if "草稿" in text:
                continue
            p = h.paragraphs[0] if h.paragraphs and not h.paragraphs[0].text else h.add_paragraph()
            run = p.add_run(DRAFT_MARK)
            run.bold = True
