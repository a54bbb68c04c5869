"""gmdocs — 绿色制造名单申报、评价与汇总工具 (library API).

    from gmdocs import load_catalogue
    cat = load_catalogue()
"""
from .catalogue import Catalogue, load_catalogue, read_catalogue
from .errors import GmdocsError, Problem

__version__ = "0.1.0"
__all__ = ["Catalogue", "GmdocsError", "Problem", "load_catalogue", "read_catalogue", "__version__"]
