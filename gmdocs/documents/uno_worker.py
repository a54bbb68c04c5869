"""UNO worker for the warm LibreOffice converter (see converter.py).

Run as a script under a Python that can `import uno` (Debian's /usr/bin/python3 with python3-uno, or
LibreOffice's own bundled python) — gmdocs itself never imports this module:

    python3 uno_worker.py PIPE_NAME

It connects to a LibreOffice started with `--accept=pipe,name=PIPE_NAME;urp;StarOffice.ComponentContext`
(retrying every 0.1 s for up to 60 s while soffice starts), prints one JSON line {"ready": true}, then
answers one JSON line per request read from stdin:

    {"in": "/abs/a.docx", "out": "/abs/a.pdf"}  →  {"ok": true}  or  {"error": "...", "fatal": bool}
    {"layout": "/abs/a.docx"}  →  {"ok": true, "pages": N, "headings": [[text, level, page], ...]}

A layout request lays the document out as the PDF export would, without exporting it: the page count and
the page (1-based, physical) of every paragraph whose style is a Word heading ("Heading N").

"fatal" means LibreOffice itself is gone (the bridge is disposed); the worker exits after saying so.
On end of input it asks LibreOffice to quit (so a gmdocs killed
without cleaning up leaves no soffice behind) and exits. Nothing else is ever written to stdout: the protocol goes to a private copy
of the original stdout and file descriptor 1 is pointed at stderr, so stray prints (from Python or from
LibreOffice's C++ side) cannot corrupt it.
"""
import json
import os
import sys
import time

CONNECT_TIMEOUT_S = 60.0


def _protocol_stream():
    out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return out


def _say(out, obj) -> None:
    out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    out.flush()


def _prop(name, value):
    from com.sun.star.beans import PropertyValue
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _connect(pipe: str):
    import uno
    from com.sun.star.connection import NoConnectException
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + CONNECT_TIMEOUT_S
    while True:
        try:
            ctx = resolver.resolve(url)
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def _alive(desktop) -> bool:
    try:
        desktop.getFrames()
        return True
    except Exception:
        return False


def _convert(desktop, src: str, dst: str) -> None:
    import uno
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
                                       (_prop("Hidden", True), _prop("ReadOnly", True)))
    if doc is None:
        raise RuntimeError(f"LibreOffice could not open {src}")
    try:
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)), (_prop("FilterName", "writer_pdf_Export"),))
    finally:
        _close(doc)


def _layout(desktop, src: str) -> dict:
    import uno
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
                                       (_prop("Hidden", True), _prop("ReadOnly", True)))
    if doc is None:
        raise RuntimeError(f"LibreOffice could not open {src}")
    try:
        ctl = doc.getCurrentController()
        cursor = ctl.getViewCursor()
        heads = []
        paras = doc.getText().createEnumeration()
        while paras.hasMoreElements():
            par = paras.nextElement()
            if not par.supportsService("com.sun.star.text.Paragraph"):
                continue                               # a table: headings are never inside one
            style = par.ParaStyleName or ""
            if not style.startswith("Heading "):
                continue
            text = par.getString()
            if not text.strip():
                continue
            cursor.gotoRange(par.getStart(), False)
            level = int(style.split()[1]) if style.split()[1].isdigit() else 0
            heads.append([text, level, cursor.getPage()])
        return {"ok": True, "pages": int(ctl.getPropertyValue("PageCount")), "headings": heads}
    finally:
        _close(doc)


def _close(doc) -> None:
    try:
        doc.close(True)
    except Exception:
        try:
            doc.dispose()
        except Exception:
            pass


def main(argv) -> int:
    out = _protocol_stream()
    if len(argv) != 2:
        print("usage: uno_worker.py PIPE_NAME", file=sys.stderr)
        return 2
    try:
        desktop = _connect(argv[1])
    except Exception as exc:
        print(f"uno_worker: cannot connect to LibreOffice: {exc!r}", file=sys.stderr)
        return 1
    _say(out, {"ready": True})
    for line in sys.stdin.buffer:             # bytes: the requests are UTF-8 whatever the locale
        if not line.strip():
            continue
        try:
            req = json.loads(line.decode("utf-8"))
            if "layout" in req:
                answer = _layout(desktop, req["layout"])
            else:
                _convert(desktop, req["in"], req["out"])
                answer = {"ok": True}
        except Exception as exc:
            msg = getattr(exc, "Message", "") or str(exc) or type(exc).__name__
            fatal = not _alive(desktop)
            _say(out, {"error": f"{type(exc).__name__}: {msg}", "fatal": fatal})
            if fatal:
                return 1
            continue
        _say(out, answer)
    _terminate(desktop)
    return 0


def _terminate(desktop) -> None:
    """End of input: gmdocs closed the converter or died without closing it. Ask LibreOffice to quit so
    that no soffice is left behind (it runs in its own session); gmdocs' close() also signals it."""
    import signal
    if hasattr(signal, "alarm"):
        signal.alarm(10)          # never linger on an unresponsive LibreOffice
    try:
        desktop.terminate()
    except Exception:
        pass


if __name__ == "__main__":
    sys.exit(main(sys.argv))
