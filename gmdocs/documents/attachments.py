"""Attachment pages in the submission package: every page made A4 portrait and given a page number.

An applicant's evidence PDFs come in every size (Letter, A3, small scans, landscape pages, pages
with /Rotate). In 申报材料汇编.pdf each of their pages is

* normalised to A4 portrait: the visible area of the source page (its crop box, clipped to the media
  box, turned upright by its /Rotate) is scaled uniformly, without rotating the content, to fit
  inside A4 less a small margin and a band at the bottom kept free for the page number, and centred
  there. A page that is already A4 portrait keeps its size (scale 1).
* stamped with "— N —" at the bottom, where the report's own footer puts its page numbers
  (centred in the report's text column, baseline 60.1 pt from the bottom edge, 12 pt), N being the
  package page number the page labels and the evidence index show.

The page is changed in place (its content streams are kept and wrapped, not parsed or rewritten), so
the links and bookmarks pointing at it stay valid. Only pypdf is used; the number is drawn with the
base-14 font Times-Roman (WinAnsi: the em dash is byte 0x97), added to the page's resources under a
name that does not clash with the page's own fonts.
"""
from __future__ import annotations

from ..errors import GmdocsError

CM = 72 / 2.54
A4_W, A4_H = 595.28, 841.89

# Where the report's footer (templates: A4, margins left 2.8 cm / right 2.6 cm, footer distance 2.0 cm,
# "— N —" 12 pt centred) puts its page numbers, measured in the PDF LibreOffice makes of it.
STAMP_CENTRE_X = (2.8 + (21.0 - 2.8 - 2.6) / 2) * CM     # 300.5 pt: the middle of the text column
STAMP_BASELINE = 60.1
STAMP_SIZE = 12.0

# The area a non-A4 page is fitted into: 0.5 cm from the left, right and top edges, and above a band
# of 2.6 cm at the bottom (the number's digits reach up to about 2.4 cm).
MARGIN = 0.5 * CM
BOTTOM_BAND = 2.6 * CM
A4_TOLERANCE = 3.0          # pt: a page within 1 mm of A4 is A4 (Word, scanners and drivers round differently)

_FONT = "/Times-Roman"
# Times-Roman advance widths (Adobe AFM, per 1000 em) of the characters the stamp uses.
_WIDTHS = {**{str(d): 500 for d in range(10)}, " ": 250, "\x97": 1000}
_FONT_NAME = "/PageNo"   # neutral: the submitted files name nothing of the tool
_BOXES = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")


def _num(x: float) -> str:
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def visible_box(page) -> tuple[float, float, float, float]:
    """The area a viewer shows: the crop box clipped to the media box, as (left, bottom, right, top)."""
    mb, cb = page.mediabox, page.cropbox
    x0, y0 = max(float(mb.left), float(cb.left)), max(float(mb.bottom), float(cb.bottom))
    x1, y1 = min(float(mb.right), float(cb.right)), min(float(mb.top), float(cb.top))
    if x1 - x0 < 1 or y1 - y0 < 1:          # a crop box outside the media box: viewers fall back to the media box
        x0, y0, x1, y1 = float(mb.left), float(mb.bottom), float(mb.right), float(mb.top)
    return x0, y0, x1, y1


def page_rotation(page) -> int:
    """The page's /Rotate as 0, 90, 180 or 270 (a value that is not a multiple of 90 counts as 0)."""
    try:
        r = int(page.get("/Rotate", 0) or 0)
    except (TypeError, ValueError):
        return 0
    return r % 360 if r % 90 == 0 else 0


def fit_matrix(page) -> tuple[float, float, float, float, float, float]:
    """The transformation (PDF `cm` operands) taking the page's user space onto the A4 portrait page:
    upright by /Rotate, then scaled uniformly and centred in the area kept free of the page number."""
    x0, y0, x1, y1 = visible_box(page)
    w, h = x1 - x0, y1 - y0
    r = page_rotation(page)
    # user space → the upright visible area with its lower-left corner at (0, 0); /Rotate turns clockwise
    upright = {0: (1, 0, 0, 1, -x0, -y0), 90: (0, -1, 1, 0, -y0, x1),
               180: (-1, 0, 0, -1, x1, y1), 270: (0, 1, -1, 0, y1, -x0)}[r]
    uw, uh = (h, w) if r in (90, 270) else (w, h)
    if abs(uw - A4_W) <= A4_TOLERANCE and abs(uh - A4_H) <= A4_TOLERANCE:
        s, tx, ty = 1.0, (A4_W - uw) / 2, (A4_H - uh) / 2
    else:
        aw, ah = A4_W - 2 * MARGIN, A4_H - MARGIN - BOTTOM_BAND
        s = min(aw / uw, ah / uh)
        tx, ty = MARGIN + (aw - s * uw) / 2, BOTTOM_BAND + (ah - s * uh) / 2
    a, b, c, d, e, f = upright
    return (a * s, b * s, c * s, d * s, e * s + tx, f * s + ty)


def _apply(m, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _compose(m, n):
    """m then n (row-vector convention, as PDF `cm`)."""
    return (m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
            m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
            m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5])


def _stream(writer, data: bytes):
    from pypdf.generic import DecodedStreamObject
    s = DecodedStreamObject()
    s.set_data(data)
    return writer._add_object(s)


def _content_refs(page) -> list:
    """The page's content streams as a list of references, without reading them."""
    from pypdf.generic import ArrayObject, IndirectObject
    raw = page.get("/Contents")
    if raw is None:
        return []
    obj = raw.get_object() if isinstance(raw, IndirectObject) else raw
    if isinstance(obj, ArrayObject):
        return [x for x in obj if isinstance(x, IndirectObject)]
    return [raw] if isinstance(raw, IndirectObject) else []


def _transform_annotations(page, m, rotated: bool, done: set) -> None:
    """Move the page's annotations with its content: /Rect and /QuadPoints; appearance streams of a
    turned page are turned too (a viewer fits an appearance into /Rect without rotating it)."""
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, StreamObject
    annots = page.get("/Annots")
    annots = annots.get_object() if annots is not None else None
    if not isinstance(annots, ArrayObject):
        return
    for ref in annots:
        a = ref.get_object()
        if not isinstance(a, DictionaryObject) or id(a) in done:
            continue
        done.add(id(a))
        rect = a.get("/Rect")
        if rect is not None and len(rect) == 4:
            r = [float(v) for v in rect.get_object()]
            pts = [_apply(m, r[0], r[1]), _apply(m, r[2], r[3]), _apply(m, r[0], r[3]), _apply(m, r[2], r[1])]
            a[NameObject("/Rect")] = ArrayObject(FloatObject(round(v, 4)) for v in (
                min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)))
        quads = a.get("/QuadPoints")
        if quads is not None:
            q = [float(v) for v in quads.get_object()]
            a[NameObject("/QuadPoints")] = ArrayObject(
                FloatObject(round(v, 4)) for i in range(0, len(q) - 1, 2) for v in _apply(m, q[i], q[i + 1]))
        if not rotated or "/AP" not in a:
            continue
        normal = a["/AP"].get_object().get("/N")
        normal = normal.get_object() if normal is not None else None
        states = [normal] if isinstance(normal, StreamObject) else (
            [v.get_object() for v in normal.values()] if isinstance(normal, DictionaryObject) else [])
        for ap in states:
            if isinstance(ap, StreamObject) and id(ap) not in done:
                done.add(id(ap))
                old = tuple(float(v) for v in ap.get("/Matrix", (1, 0, 0, 1, 0, 0)))
                ap[NameObject("/Matrix")] = ArrayObject(FloatObject(round(v, 6)) for v in _compose(old, m))


def normalise_page(writer, page, done: set | None = None) -> tuple[float, ...]:
    """Make a page of `writer` A4 portrait in place (see the module notes). Returns the transformation."""
    from pypdf.generic import ArrayObject, NameObject, RectangleObject
    m = fit_matrix(page)
    x0, y0, x1, y1 = visible_box(page)
    rotated = page_rotation(page) != 0
    # Clip to the visible area first (content outside the crop box must stay hidden), then draw the
    # page's own streams unchanged; q … Q keeps its graphics state away from the number stamped after it.
    pre = f"\nq {' '.join(_num(v) for v in m)} cm {_num(x0)} {_num(y0)} {_num(x1 - x0)} {_num(y1 - y0)} re W n\n"
    page[NameObject("/Contents")] = ArrayObject(
        [_stream(writer, pre.encode("ascii")), *_content_refs(page), _stream(writer, b"\nQ\n")])
    _transform_annotations(page, m, rotated, set() if done is None else done)
    for key in _BOXES + ("/Rotate", "/UserUnit", "/Thumb"):
        if key in page:
            del page[key]
    page[NameObject("/MediaBox")] = RectangleObject((0, 0, A4_W, A4_H))
    return m


def stamp_font(writer):
    """The font dictionary the numbers are drawn with, added once to the writer."""
    from pypdf.generic import DictionaryObject, NameObject
    return writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject(_FONT), NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}))


def stamp_text(number: int) -> str:
    return f"\x97 {number} \x97"


def stamp_width(number: int) -> float:
    return sum(_WIDTHS[ch] for ch in stamp_text(number)) * STAMP_SIZE / 1000


def stamp_page_number(writer, page, number: int, font=None) -> None:
    """Draw "— number —" over the bottom of an A4 page of `writer`, where the report has its numbers."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject
    font = font if font is not None else stamp_font(writer)
    res = page.get("/Resources")
    res = DictionaryObject(res.get_object()) if res is not None else DictionaryObject()
    fonts = res.get("/Font")
    fonts = DictionaryObject(fonts.get_object()) if fonts is not None else DictionaryObject()
    name, i = _FONT_NAME, 1
    while name in fonts:                     # never take the name of one of the page's own fonts
        i += 1
        name = f"{_FONT_NAME}{i}"
    fonts[NameObject(name)] = font
    res[NameObject("/Font")] = fonts         # copies: resources shared with other pages stay as they were
    page[NameObject("/Resources")] = res
    x = STAMP_CENTRE_X - stamp_width(number) / 2
    text = stamp_text(number).encode("latin-1")      # WinAnsi: digits, space and the em dash (0x97)
    stream = (f"\nq 0 g 0 G BT {name} {_num(STAMP_SIZE)} Tf 0 Tr 0 Tc 0 Tw 100 Tz 0 Ts "
              f"1 0 0 1 {_num(x)} {_num(STAMP_BASELINE)} Tm (").encode("ascii") + text + b") Tj ET Q\n"
    page[NameObject("/Contents")] = ArrayObject([*_content_refs(page), _stream(writer, stream)])


def number_attachment_pages(writer, first: int, count: int, first_number: int, label: str, font=None) -> None:
    """Normalise pages first … first+count-1 (0-based) of `writer`, one attachment, and number them from
    `first_number`. A page that cannot be handled is a clear error naming the attachment."""
    font = font if font is not None else stamp_font(writer)
    done: set = set()
    for k in range(count):
        page = writer.pages[first + k]
        try:
            normalise_page(writer, page, done)
        except (ValueError, TypeError, KeyError, AttributeError, ZeroDivisionError) as exc:
            raise GmdocsError(f"附件“{label}”第 {k + 1} 页无法调整为 A4 页面（{exc}）", 2) from exc
        stamp_page_number(writer, page, first_number + k, font)
