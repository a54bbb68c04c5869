"""What keeps the local page safe: a bound on request bodies, CSRF tokens on every form, an access token when
the server listens beyond this computer."""
from __future__ import annotations

import secrets

from starlette.datastructures import Headers
from html import escape

from starlette.responses import HTMLResponse

MB = 1024 * 1024


class TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def too_large_response(limit: int) -> HTMLResponse:
    """The refusal as a page of its own (the request was not read, so the app's templates are not involved)."""
    body = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>上传内容过大</title>'
            f'<link rel="stylesheet" href="/static/app.css"></head><body><main><h1>未能上传</h1>'
            f'<div class="msg error" role="alert">{escape(too_large_message(limit))}</div>'
            f'<p><a href="javascript:history.back()">返回上一页</a></p></main></body></html>')
    return HTMLResponse(body, status_code=413)


def too_large_message(limit: int) -> str:
    return f"上传的内容超过 {limit / MB:.0f} MB 的上限，已拒绝。请压缩或拆分后再上传（附件过大时可先在 PDF 软件中降低扫描分辨率）"


class BodyLimit:
    """ASGI middleware: a request whose body is over `max_bytes` is refused with 413 and a Chinese message —
    at once when Content-Length says so, else as soon as the streamed body passes the bound."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = Headers(scope=scope).get("content-length")
        if length and length.isdigit() and int(length) > self.max_bytes:
            return await too_large_response(self.max_bytes)(scope, receive, send)
        seen = 0
        limit = self.max_bytes

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge(limit)
            return message
        return await self.app(scope, counted, send)


def csrf_token(session: dict) -> str:
    tok = session.get("csrf")
    if not tok:
        tok = session["csrf"] = secrets.token_urlsafe(24)
    return tok


def csrf_ok(session: dict, sent: str | None) -> bool:
    tok = session.get("csrf")
    return bool(tok and sent and secrets.compare_digest(str(tok), str(sent)))
