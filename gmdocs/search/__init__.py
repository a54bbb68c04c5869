"""Chinese full-text search over the catalogue (prepared text, CJK bigrams, synonyms, exact standard numbers).

    from gmdocs.search import search
    hits = search("能效", type_="benchmark", year=2023)
    hits.total        # every match, not only the `limit` shown
"""
from __future__ import annotations

import os


def search(query: str, type_: str | None = None, status: str | None = None, year: int | None = None,
           limit: int = 10, data_dir: str | os.PathLike | None = None):
    """Ranked hits (query.SearchResults: a list of SearchHit with `.total` and `.partial`);
    builds or refreshes the index cache as needed."""
    from .index import ensure_index, open_index
    from .query import parse_query, run_search
    parse_query(query)          # an empty or unusable query is an error before any index work
    path, _ = ensure_index(data_dir)
    return run_search(open_index(path), query, type_, status, year, limit)


def rebuild(data_dir: str | os.PathLike | None = None):
    """Force a rebuild of the index cache. Returns its path."""
    from .index import ensure_index
    return ensure_index(data_dir, force=True)[0]
