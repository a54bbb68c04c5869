"""The tag rule of standards/README.md ("可信度与标记规则"), as far as a program can check it.

- `confirmed` needs the original text (a source marked `official: true`, or a page on a government host *.gov.cn),
  or at least two sources tagged confirmed from different publishers. The publisher of a source is the registrable
  domain of its URL (www., m., ny. … and other subdomains are the same publisher; on code hosts such as github.com
  it is the account that owns the repository). A source without a URL cannot be checked by a reader: unless it is
  marked official it never counts towards `confirmed`.
- `derived` needs `derivation` (how the value is computed, from which values); `derivation` goes with `derived`
  only; a derived value is not the original text.
- Demo, mock and AI-generated material is never a source.

What cannot be checked here (two copies of one news article on different sites, an app and its own tests under two
accounts, a GB grade table agreeing with an NDRC table) is written in the README and is the author's duty.
"""
from __future__ import annotations

import re
from urllib.parse import urlparse

from .model import Source

# Second-level public suffixes seen in the catalogue's URLs (a full public-suffix list is not needed for the check).
_TWO_LABEL_SUFFIXES = {
    "com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn", "ac.cn",
    "com.hk", "org.hk", "gov.hk", "com.tw", "org.tw", "co.uk", "org.uk", "gov.uk", "co.jp", "com.au",
}
# On these hosts every account is its own publisher.
_CODE_HOSTS = {"github.com": "github.com", "raw.githubusercontent.com": "github.com", "gist.github.com": "github.com",
               "gitee.com": "gitee.com", "gitlab.com": "gitlab.com"}

# Words that mark demo, mock or AI-generated material in a source's ref or note.
_NOT_A_SOURCE = re.compile(r"演示数据|演示看板|演示代码|演示性质|模拟数据|虚构|AI\s*生成|\bmock\b|\bdemo\b", re.IGNORECASE)


def host_of(url: str | None) -> str:
    if not url:
        return ""
    try:
        return (urlparse(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def publisher(url: str | None) -> str:
    """Who published a URL: its registrable domain, or the account on a code host. "" without a URL."""
    host = host_of(url)
    if not host:
        return ""
    if host in _CODE_HOSTS:
        path = [p for p in urlparse(url).path.split("/") if p]
        return f"{_CODE_HOSTS[host]}/{path[0].lower()}" if path else _CODE_HOSTS[host]
    if re.fullmatch(r"[\d.]+", host):
        return host
    labels = host.split(".")
    n = 3 if len(labels) >= 3 and ".".join(labels[-2:]) in _TWO_LABEL_SUFFIXES else 2
    return ".".join(labels[-n:])


def is_government_host(url: str | None) -> bool:
    host = host_of(url)
    return host == "gov.cn" or host.endswith(".gov.cn")


def is_official(s: Source) -> bool:
    """The original text: marked `official: true`, or a page on a government website (*.gov.cn)."""
    return s.confidence != "derived" and (s.official or is_government_host(s.url))


def not_a_source(s: Source) -> bool:
    """The ref or note says the material is demo, mock or AI-generated."""
    return any(_NOT_A_SOURCE.search(t) for t in (s.ref, s.note) if t)


def confirmed_problem(sources: tuple[Source, ...]) -> str | None:
    """Why the sources tagged confirmed in one list do not make a value confirmed (None when they do)."""
    conf = [s for s in sources if s.confidence == "confirmed"]
    if not conf or any(is_official(s) for s in conf):
        return None
    pubs = sorted({publisher(s.url) for s in conf if s.url})
    if len(pubs) >= 2:
        return None
    no_url = sum(1 for s in conf if not s.url)
    if pubs:
        why = f"标 confirmed 的出处都来自同一发布者 {pubs[0]}"
        if no_url:
            why += f"（另有 {no_url} 条没有网址，无法核对，不计入）"
    else:
        why = "标 confirmed 的出处都没有网址，无法核对"
    return (f"可信度 confirmed 需要两个不同发布者（网址主机不同）的出处一致，或原文本身（official: true，或政府网站 *.gov.cn）；"
            f"{why}。只有一个发布者时请改为 single-source（见 standards/README.md 可信度与标记规则）")
