"""Run the web page: bind the port (a Chinese error when it is taken), print the address, open the browser,
serve with uvicorn until Ctrl-C. Loopback only unless `allow_remote`; then an access token is required."""
from __future__ import annotations

import errno
import ipaddress
import secrets
import socket
import threading
import webbrowser
from typing import Callable

from ..errors import EXIT_BAD_INPUT, GmdocsError

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)   # TCP: asyncio then sets TCP_NODELAY
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise GmdocsError(f"端口 {port} 已被占用（可能已有一个 gmdocs serve 在运行）：请用 --port 换一个端口，"
                              "或用 --port 0 自动选择", EXIT_BAD_INPUT) from exc
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise GmdocsError(f"没有权限使用端口 {port}（1024 以下的端口需要管理员权限）：请用 --port 换一个端口",
                              EXIT_BAD_INPUT) from exc
        raise GmdocsError(f"无法在 {host}:{port} 上启动网页服务：{exc.strerror or exc}", EXIT_BAD_INPUT) from exc
    sock.listen(64)
    return sock


def serve(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = True, allow_remote: bool = False,
          data_dir: str | None = None, say: Callable[[str], None] = print) -> None:
    import uvicorn

    from .app import create_app
    remote = not _is_loopback(host)
    if remote and not allow_remote:
        raise GmdocsError(f"--host {host} 会让本机以外的电脑访问本页（包括上传的申报数据）：确需如此，请同时加 "
                          "--allow-remote（将要求访问令牌）", EXIT_BAD_INPUT)
    token = secrets.token_urlsafe(16) if remote else None
    sock = bind(host, port)
    real_port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{real_port}/" + (f"?token={token}" if token else "")
    if remote:
        say(f"警告：网页服务在 {host}:{real_port} 上监听，局域网内的其他电脑可以访问。只把下面带令牌的网址给需要的人；"
            "数据经网络以明文（HTTP）传输。")
    app = create_app(token=token, data_dir=data_dir)
    say(f"gmdocs 网页已启动：{url}")
    say("按 Ctrl-C 停止（停止时删除本次上传和生成的全部临时文件）。")
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    if open_browser:
        local = url.replace(f"//{shown}:", "//127.0.0.1:") if host in ("0.0.0.0", "::") else url
        threading.Timer(0.8, lambda: webbrowser.open(local)).start()
    server.run(sockets=[sock])
