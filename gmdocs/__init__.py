"""gmdocs — 绿色制造名单申报、评价与汇总工具 (library API).

    from gmdocs import load_catalogue
    cat = load_catalogue()
"""
from .errors import GmdocsError, Problem

__version__ = "0.1.0"
__all__ = ["Catalogue", "GmdocsError", "Problem", "check", "load_application", "load_catalogue", "read_catalogue",
           "score", "__version__"]

_LAZY = {"Catalogue": "catalogue", "load_catalogue": "catalogue", "read_catalogue": "catalogue",
         "load_application": "api", "check": "api", "score": "api"}


def __getattr__(name):
    # Imported on first use so that `gmdocs search` does not pay for YAML loading.
    if name in _LAZY:
        import importlib
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)
