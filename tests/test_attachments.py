"""Attachment pages in the package: A4 portrait, fitted, upright, numbered where the report numbers its pages.

Fast: the PDFs are made here with pypdf (blank pages, a tiny hand-made content stream); no LibreOffice."""
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject, NumberObject,
                           RectangleObject)

from gmdocs.documents import attachments as att
from gmdocs.documents.pdf import Part, check_attachment, package
from gmdocs.errors import GmdocsError

LETTER, A3, A4 = (612, 792), (841.89, 1190.55), (att.A4_W, att.A4_H)


def _font(writer, base="/Helvetica"):
    return writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject(base)}))


def text_page(writer, size, items=(), rotate=0, cropbox=None, font_name="/F1"):
    """A page with words at given points: items = [(text, x, y)], 10 pt Helvetica."""
    page = writer.add_blank_page(*size)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject(font_name): _font(writer)})})
    data = " ".join(f"BT {font_name} 10 Tf 1 0 0 1 {x} {y} Tm ({t}) Tj ET" for t, x, y in items)
    s = DecodedStreamObject()
    s.set_data(data.encode("ascii"))
    page[NameObject("/Contents")] = writer._add_object(s)
    if rotate:
        page[NameObject("/Rotate")] = NumberObject(rotate)
    if cropbox:
        page[NameObject("/CropBox")] = RectangleObject(cropbox)
    return page


def corners(size, box=None):
    x0, y0, x1, y1 = box or (0, 0, *size)
    return [("LL", x0 + 5, y0 + 5), ("LR", x1 - 25, y0 + 5), ("UL", x0 + 5, y1 - 15), ("UR", x1 - 25, y1 - 15)]


def write(writer, path):
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def pdf_of(path, pages):
    """pages = [dict(size=…, items=…, rotate=…, cropbox=…)]"""
    w = PdfWriter()
    for p in pages:
        text_page(w, **p)
    return write(w, path)


def positions(page):
    """Where each word is drawn on the page (text matrix × current transformation)."""
    found = {}

    def visit(text, cm, tm, font, size):
        t = text.strip()
        if t:
            x, y = tm[4], tm[5]
            found[t] = (cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5])
    page.extract_text(visitor_text=visit)
    return found


def clip_rects(page):
    """The `re` rectangles drawn, in page coordinates (our clip to the source's visible area)."""
    rects = []

    def visit(op, args, cm, tm):
        if op == b"re":
            x, y, w, h = (float(a) for a in args)
            pts = [(cm[0] * px + cm[2] * py + cm[4], cm[1] * px + cm[3] * py + cm[5])
                   for px, py in ((x, y), (x + w, y + h))]
            rects.append((min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)))
    page.extract_text(visitor_operand_before=visit)
    return rects


def normalised(path, first_number=7):
    """Read an attachment, append it to a writer, normalise and number every page; return the written pages."""
    w = PdfWriter()
    w.append(str(path))
    att.number_attachment_pages(w, 0, len(w.pages), first_number, "测试附件")
    return PdfReader(str(write(w, path.with_name(path.stem + "-out.pdf")))).pages


def is_a4(page):
    mb = page.mediabox
    return (abs(float(mb.width) - att.A4_W) <= 0.5 and abs(float(mb.height) - att.A4_H) <= 0.5
            and float(mb.left) == 0 and float(mb.bottom) == 0 and page.get("/Rotate", 0) == 0)


TOL = 0.05      # pt: the transformation is written with 4 decimals
AREA = (att.MARGIN - TOL, att.BOTTOM_BAND - TOL, att.A4_W - att.MARGIN + TOL, att.A4_H - att.MARGIN + TOL)


def inside(pt, box):
    return box[0] <= pt[0] <= box[2] and box[1] <= pt[1] <= box[3]


@pytest.mark.parametrize("size", [LETTER, A3, (200, 150), (842, 595), (1190.55, 841.89), (300, 2000)],
                         ids=["letter", "a3", "small-scan", "a4-landscape", "a3-landscape", "tall-strip"])
def test_other_sizes_are_fitted_into_a4_above_the_number(tmp_path, size):
    page = normalised(pdf_of(tmp_path / "a.pdf", [dict(size=size, items=corners(size))]))[0]
    assert is_a4(page)
    pos = positions(page)
    assert set(pos) >= {"LL", "LR", "UL", "UR"}
    assert all(inside(pos[k], AREA) for k in ("LL", "LR", "UL", "UR")), pos
    # not rotated: the corners keep their places; uniformly scaled: the aspect ratio is kept
    assert pos["LL"][0] < pos["LR"][0] and pos["LL"][1] < pos["UL"][1]
    assert abs(pos["LL"][1] - pos["LR"][1]) < 0.01 and abs(pos["LL"][0] - pos["UL"][0]) < 0.01
    (clip,) = clip_rects(page)
    assert inside(clip[:2], AREA) and inside(clip[2:], AREA)
    cw, ch = clip[2] - clip[0], clip[3] - clip[1]
    assert abs(cw / ch - size[0] / size[1]) < 1e-3
    aw, ah = AREA[2] - AREA[0] - 2 * TOL, AREA[3] - AREA[1] - 2 * TOL
    assert abs(cw - aw) < TOL or abs(ch - ah) < TOL              # as large as fits
    assert abs((clip[0] + clip[2]) / 2 - att.A4_W / 2) < TOL      # centred
    assert abs((clip[1] + clip[3]) / 2 - (AREA[1] + AREA[3]) / 2) < TOL


@pytest.mark.parametrize("size", [(595.28, 841.89), (595, 842), (595.303937, 841.889764)])
def test_a4_pages_keep_their_size(tmp_path, size):
    page = normalised(pdf_of(tmp_path / "a.pdf", [dict(size=size, items=corners(size))]))[0]
    assert is_a4(page)
    pos = positions(page)
    assert abs(pos["LL"][0] - 5) < 0.5 and abs(pos["LL"][1] - 5) < 0.5
    assert abs(pos["UR"][0] - (size[0] - 25)) < 0.5 and abs(pos["UR"][1] - (size[1] - 15)) < 0.5


# where the source's bottom-left / bottom-right corners are seen, for each /Rotate (clockwise)
SEEN = {0: ("bottom-left", "bottom-right"), 90: ("top-left", "bottom-left"),
        180: ("top-right", "top-left"), 270: ("bottom-right", "top-right")}


def quadrant(pt):
    return ("bottom" if pt[1] < att.A4_H / 2 else "top") + "-" + ("left" if pt[0] < att.A4_W / 2 else "right")


@pytest.mark.parametrize("size", [LETTER, (595.28, 841.89), (841.89, 595.28)], ids=["letter", "a4", "a4-wide"])
@pytest.mark.parametrize("rotate", [0, 90, 180, 270, -90, 450])
def test_rotated_pages_come_out_upright_a4(tmp_path, size, rotate):
    page = normalised(pdf_of(tmp_path / "a.pdf", [dict(size=size, items=corners(size), rotate=rotate)]))[0]
    assert is_a4(page)
    pos = positions(page)
    assert (quadrant(pos["LL"]), quadrant(pos["LR"])) == SEEN[rotate % 360]
    assert all(inside(p, (0, 0, att.A4_W, att.A4_H)) for p in pos.values() if p != pos.get("— 7 —"))
    shown = (size[1], size[0]) if rotate % 180 else size
    (clip,) = clip_rects(page)
    assert abs((clip[2] - clip[0]) / (clip[3] - clip[1]) - shown[0] / shown[1]) < 1e-3
    if shown == (595.28, 841.89):           # an A4 landscape page turned upright by /Rotate is A4: not shrunk
        assert abs(clip[2] - clip[0] - 595.28) < 0.01


def test_rotation_matches_pypdf_transfer_rotation_to_content(tmp_path):
    """Same layout as pypdf's own transfer_rotation_to_content(), up to scale and position."""
    items = corners(LETTER) + [("MID", 300, 400)]
    for rotate in (90, 180, 270):
        src = pdf_of(tmp_path / f"r{rotate}.pdf", [dict(size=LETTER, items=items, rotate=rotate)])
        ours = positions(normalised(src)[0])
        w = PdfWriter(clone_from=str(src))
        w.pages[0].transfer_rotation_to_content()
        theirs = positions(PdfReader(str(write(w, tmp_path / f"p{rotate}.pdf"))).pages[0])
        s = (ours["UR"][0] - ours["LL"][0]) / (theirs["UR"][0] - theirs["LL"][0])
        assert s > 0
        for k in ("LR", "UL", "UR", "MID"):
            for i in (0, 1):
                assert abs((ours[k][i] - ours["LL"][i]) - s * (theirs[k][i] - theirs["LL"][i])) < 0.05, (rotate, k)


def test_the_cropbox_is_what_is_shown_and_fitted(tmp_path):
    box = (100, 150, 100 + 612, 150 + 792)        # a Letter-size crop of a large media box
    items = corners(LETTER, box) + [("HIDDEN", 20, 20)]
    page = normalised(pdf_of(tmp_path / "a.pdf", [dict(size=(1000, 1100), items=items, cropbox=box)]))[0]
    assert is_a4(page) and page.cropbox == page.mediabox
    assert "/TrimBox" not in page and "/ArtBox" not in page
    pos = positions(page)
    (clip,) = clip_rects(page)
    assert all(inside(pos[k], clip) for k in ("LL", "LR", "UL", "UR"))
    assert not inside(pos["HIDDEN"], clip)                 # outside the crop box: clipped away as before
    assert inside(clip[:2], AREA) and inside(clip[2:], AREA)
    assert abs((clip[2] - clip[0]) / (clip[3] - clip[1]) - 612 / 792) < 1e-3


def test_page_numbers_are_stamped_in_the_reports_footer_position(tmp_path):
    sizes = [LETTER, A3, (595.28, 841.89), (200, 150)]
    pages = normalised(pdf_of(tmp_path / "a.pdf", [dict(size=s, items=[("BODY", 30, 100)]) for s in sizes]),
                       first_number=12)
    for i, page in enumerate(pages):
        n = 12 + i
        text = page.extract_text()
        assert f"— {n} —" in text, text
        pos = positions(page)
        x, y = pos[f"— {n} —"] if f"— {n} —" in pos else next(v for k, v in pos.items() if str(n) in k)
        assert abs(y - att.STAMP_BASELINE) < 0.01
        assert abs(x + att.stamp_width(n) / 2 - att.STAMP_CENTRE_X) < 0.01      # centred where the report's is
    assert abs(att.STAMP_CENTRE_X - 300.5) < 0.1 and 2.0 * att.CM < att.STAMP_BASELINE < 2.2 * att.CM
    raw = pages[0].get_contents().get_data()
    assert b"\x97 12 \x97" in raw                                  # the WinAnsi em dash, not a substitute
    font = pages[0]["/Resources"]["/Font"][att._FONT_NAME]
    assert font["/BaseFont"] == "/Times-Roman" and font["/Encoding"] == "/WinAnsiEncoding"


def test_stamp_font_never_takes_the_name_of_a_page_font(tmp_path):
    src = pdf_of(tmp_path / "a.pdf", [dict(size=LETTER, items=[("OWN", 50, 50)], font_name=att._FONT_NAME)])
    page = normalised(src, first_number=3)[0]
    fonts = page["/Resources"]["/Font"]
    assert fonts[att._FONT_NAME]["/BaseFont"] == "/Helvetica"      # the page's own font is untouched
    assert fonts[att._FONT_NAME + "2"]["/BaseFont"] == "/Times-Roman"
    text = page.extract_text()
    assert "OWN" in text and "— 3 —" in text


def test_shared_resources_and_contents_are_not_changed_for_other_pages(tmp_path):
    w = PdfWriter()
    a = text_page(w, LETTER, [("SHARED", 50, 500)])
    b = w.add_blank_page(*LETTER)
    b[NameObject("/Resources")] = a.raw_get("/Resources")
    b[NameObject("/Contents")] = a.raw_get("/Contents")
    src = write(w, tmp_path / "a.pdf")
    w2 = PdfWriter()
    w2.append(str(src))
    att.number_attachment_pages(w2, 0, 1, 5, "x")               # only the first page
    out = PdfReader(str(write(w2, tmp_path / "b.pdf"))).pages
    assert "— 5 —" in out[0].extract_text() and "SHARED" in out[0].extract_text()
    assert out[1].extract_text().strip() == "SHARED"
    assert att._FONT_NAME not in out[1]["/Resources"]["/Font"]
    assert out[1].mediabox.width == 612


def test_annotations_move_with_the_content(tmp_path):
    w = PdfWriter()
    page = text_page(w, A3, [("LINK", 100, 100)])
    annot = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
                              NameObject("/Rect"): ArrayObject(FloatObject(v) for v in (90, 90, 150, 120)),
                              NameObject("/Border"): ArrayObject([FloatObject(0)] * 3)})
    page[NameObject("/Annots")] = ArrayObject([w._add_object(annot)])
    out = normalised(write(w, tmp_path / "a.pdf"))[0]
    rect = [float(v) for v in out["/Annots"][0].get_object()["/Rect"]]
    x, y = positions(out)["LINK"]
    assert rect[0] < x < rect[2] and rect[1] < y < rect[3]
    assert rect[2] - rect[0] < 60                               # scaled down with the A3 page


def test_package_numbers_attachments_after_the_report(tmp_path):
    toc = tmp_path / "toc.pdf"
    w = PdfWriter()
    w.add_blank_page(*A4)
    write(w, toc)
    report = pdf_of(tmp_path / "report.pdf", [dict(size=A4, items=[("report text", 80, 400)])] * 3)
    a1 = pdf_of(tmp_path / "a1.pdf", [dict(size=LETTER, items=[("letter one", 72, 700)]),
                                      dict(size=(842, 595), items=[("wide", 72, 300)])])
    a2 = pdf_of(tmp_path / "a2.pdf", [dict(size=A3, items=[("turned", 72, 300)], rotate=90),
                                      dict(size=A4, items=[("plain", 72, 300)])])
    entries = []

    def toc_maker(e):
        entries.append(e)
        return toc
    parts = [Part("报告", report), Part("营业执照", a1, True), Part("能源报表", a2, True)]
    summary = package(parts, toc_maker, tmp_path / "pkg.pdf")
    assert summary == {"pages": 8, "toc_pages": 1, "starts": [2, 5, 7]}
    assert entries[-1] == [("报告", 1, False), ("营业执照", 4, True), ("能源报表", 6, True)]
    pkg = PdfReader(str(tmp_path / "pkg.pdf"))
    assert pkg.page_labels == ["i", "1", "2", "3", "4", "5", "6", "7"]
    titles = []

    def walk(items):
        for o in items:
            if isinstance(o, list):
                walk(o)
            else:
                titles.append((o.title, pkg.get_destination_page_number(o)))
    walk(pkg.outline)
    assert titles == [("目录", 0), ("报告", 1), ("附件", 4), ("营业执照", 4), ("能源报表", 6)]
    assert pkg.pages[0].extract_text().strip() == ""                # the 目录 page is not stamped
    for i in (1, 2, 3):                                             # the report keeps its own pages
        assert pkg.pages[i].extract_text().strip() == "report text"
        assert pkg.pages[i].mediabox == PdfReader(str(report)).pages[0].mediabox
    for i, word in zip(range(4, 8), ("letter one", "wide", "turned", "plain")):
        page = pkg.pages[i]
        assert is_a4(page), i
        text = page.extract_text()
        assert word in text and f"— {pkg.page_labels[i]} —" in text, (i, text)
        assert text.count("—") == 2


@pytest.mark.parametrize("kind, message", [("encrypted", "是加密的 PDF"), ("broken", "已损坏或无法读取"),
                                           ("missing", "文件不存在"), ("empty", "没有页面")])
def test_bad_attachments_give_the_existing_errors(tmp_path, kind, message):
    toc = pdf_of(tmp_path / "toc.pdf", [dict(size=A4)])
    report = pdf_of(tmp_path / "report.pdf", [dict(size=A4)])
    bad = tmp_path / f"{kind}.pdf"
    if kind == "encrypted":
        w = PdfWriter()
        w.add_blank_page(*LETTER)
        w.encrypt("secret")
        write(w, bad)
    elif kind == "broken":
        bad.write_bytes(b"%PDF-1.4\nthis is not a pdf\n")
    elif kind == "empty":
        write(PdfWriter(), bad)
    with pytest.raises(GmdocsError) as e:
        package([Part("报告", report), Part("坏附件", bad, True)], lambda e: toc, tmp_path / "pkg.pdf")
    assert message in str(e.value) and "坏附件" in str(e.value)
    with pytest.raises(GmdocsError):
        check_attachment(bad, "坏附件")
    assert not (tmp_path / "pkg.pdf").exists()


def test_a_page_without_size_is_a_clear_error(tmp_path):
    w = PdfWriter()
    w.add_blank_page(100, 100)
    w.pages[0][NameObject("/MediaBox")] = RectangleObject((0, 0, 0, 0))
    with pytest.raises(GmdocsError, match="附件“零页”第 1 页无法调整为 A4"):
        att.number_attachment_pages(w, 0, 1, 1, "零页")
