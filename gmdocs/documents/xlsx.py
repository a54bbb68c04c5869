"""Real XLSX tables people sort and filter: bold frozen header, auto-filter, sensible widths."""
from __future__ import annotations

from pathlib import Path

from ..fsutil import atomic_write


def _width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write_table(path: str | Path, sheet: str, headers: list[str], rows: list[list], force: bool = False,
                notes: list[str] | None = None) -> Path:
    return write_tables(path, [(sheet, headers, rows)], force, notes)


def write_tables(path: str | Path, sheets: list[tuple[str, list[str], list[list]]], force: bool = False,
                 notes: list[str] | None = None) -> Path:
    """One workbook, one sheet per (name, headers, rows), each with a bold frozen header, filter and widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    def write(tmp: Path) -> None:
        wb = Workbook()
        wb.remove(wb.active)
        bold = Font(bold=True)
        fill = PatternFill("solid", fgColor="DDEBF7")
        for sheet, headers, rows in sheets:
            ws = wb.create_sheet(sheet)
            ws.append(headers)
            for row in rows:
                ws.append(row)
            for cell in ws[1]:
                cell.font = bold
                cell.fill = fill
                cell.alignment = Alignment(vertical="center")
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = ws.dimensions
            for i, h in enumerate(headers, 1):
                longest = max([_width(h)] + [_width(r[i - 1]) for r in rows[:2000] if i - 1 < len(r)])
                ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
        if notes:
            ns = wb.create_sheet("说明")
            for n in notes:
                ns.append([n])
            ns.column_dimensions["A"].width = 100
        wb.save(tmp)

    return atomic_write(path, write, force)
