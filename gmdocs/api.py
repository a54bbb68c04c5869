"""The library API for applications: load → check → score, usable without the CLI.

    import gmdocs
    app, read_findings = gmdocs.load_application("申报数据.yaml")
    report = gmdocs.check(app, read_findings=read_findings)
    evaluation = gmdocs.score(app)
"""
from __future__ import annotations

from .application.read import load_application
from .catalogue.load import Catalogue, load_catalogue


def _cat(catalogue: Catalogue | None) -> Catalogue:
    return catalogue if catalogue is not None else load_catalogue()


def check(app, catalogue: Catalogue | None = None, year: int | None = None, read_findings=None):
    from .evaluate.checks import check as _check
    return _check(app, _cat(catalogue), year, read_findings)


def score(app, catalogue: Catalogue | None = None, year: int | None = None):
    from .evaluate.score import score as _score
    return _score(app, _cat(catalogue), year)


__all__ = ["check", "load_application", "score"]
