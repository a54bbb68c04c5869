"""Safe DOCX rendering with docxtpl: strict (a missing value is an error naming the field),
autoescaped (A&B <C> stays A&B <C>), user text passed as data and never evaluated as Jinja."""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import EXIT_BAD_INPUT, GmdocsError

DRAFT_MARK = "草稿（不得报送）"


def render_docx(template: Path, context: dict, out: Path, draft: bool = False) -> None:
    from docxtpl import DocxTemplate
    from jinja2 import Environment, StrictUndefined
    from jinja2 import exceptions as jx
    env = Environment(undefined=StrictUndefined, autoescape=True)
    try:
        tpl = DocxTemplate(str(template))
        context = with_images(tpl, context)
        tpl.render(context, jinja_env=env, autoescape=True)
    except jx.UndefinedError as exc:
        m = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", exc.message or "")
        name = next((g for g in (m.groups() if m else ()) if g), exc.message)
        raise GmdocsError(f"模板 {template} 引用了不存在的字段 {name!r}（{exc.message}）；可先运行 gmdocs template lint",
                          EXIT_BAD_INPUT) from exc
    except jx.TemplateSyntaxError as exc:
        raise GmdocsError(f"模板 {template} 有 Jinja 语法错误：{exc.message}；可先运行 gmdocs template lint",
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
