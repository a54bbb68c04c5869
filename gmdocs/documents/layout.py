"""Column widths from content: after rendering, widen each table column to its longest unbreakable token
(a number such as 1,872,008.8, a code such as 91150300MA0N7Q2X1A, a unit such as kgce/t) and take the room
from columns that have some to spare, so that no number or code is broken inside a narrow cell.

The template's widths are the starting point and the table's total width never changes. Tables with merged
cells (the 基本信息表 grids) keep their layout."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TOKEN = re.compile(r"[0-9A-Za-z.,/%()\-–·:+_²³₂@]+")
TWIPS_PER_CM = 567
LATIN_CM = 0.21          # a digit or capital at 10.5 pt in Times New Roman / Liberation Serif (digits 0.5 em, capitals wider)
PAD_CM = 0.45            # cell margins left and right, and a little air
MIN_CM = 0.9


def _cell_text(tc) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(W + "t")) for p in tc.iter(W + "p")]


def _need_cm(texts: list[str]) -> float:
    longest = max((len(m) for t in texts for m in TOKEN.findall(t)), default=0)
    return longest * LATIN_CM + PAD_CM if longest else 0.0


def fit_table(tbl) -> bool:
    """Adjust one table in place; True when a width changed."""
    if tbl.find(f".//{W}gridSpan") is not None or tbl.find(f".//{W}vMerge") is not None:
        return False
    grid = tbl.find(f"{W}tblGrid")
    if grid is None:
        return False
    cols = grid.findall(f"{W}gridCol")
    widths = [int(c.get(f"{W}w") or 0) / TWIPS_PER_CM for c in cols]
    if not widths or min(widths) <= 0:
        return False
    need = [MIN_CM] * len(widths)
    for tr in tbl.findall(f"{W}tr"):
        cells = tr.findall(f"{W}tc")
        if len(cells) != len(widths):
            continue
        for j, tc in enumerate(cells):
            need[j] = max(need[j], _need_cm(_cell_text(tc)))
    deficit = [max(0.0, n - w) for n, w in zip(need, widths)]
    short = sum(deficit)
    if short <= 0.01:
        return False
    slack = [max(0.0, w - max(n, MIN_CM)) for n, w in zip(need, widths)]
    spare = sum(slack)
    if spare <= 0:
        return False
    take = min(short, spare)
    scale = take / short
    new = [w + d * scale - (s / spare) * take for w, d, s in zip(widths, deficit, slack)]
    for c, w in zip(cols, new):
        c.set(f"{W}w", str(int(round(w * TWIPS_PER_CM))))
    for tr in tbl.findall(f"{W}tr"):
        for tc, w in zip(tr.findall(f"{W}tc"), new):
            tcw = tc.find(f"{W}tcPr/{W}tcW")
            if tcw is not None:
                tcw.set(f"{W}w", str(int(round(w * TWIPS_PER_CM))))
                tcw.set(f"{W}type", "dxa")
    return True


def fit_columns(docx: Path) -> int:
    """Fit every table of the document; returns how many tables changed. Rewrites the file in place."""
    with zipfile.ZipFile(docx) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    changed = 0
    out = []
    for info, data in items:
        if info.filename == "word/document.xml":
            root = etree.fromstring(data)
            for tbl in root.iter(f"{W}tbl"):
                changed += fit_table(tbl)
            if changed:
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        out.append((info, data))
    if changed:
        tmp = docx.with_suffix(".fit.docx")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for info, data in out:
                z.writestr(info, data)
        tmp.replace(docx)
    return changed
