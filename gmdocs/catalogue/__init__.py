"""The catalogue: standards, policy documents, rulebooks, benchmark tables, campaigns."""
from .load import Catalogue, default_root, load_catalogue, read_catalogue

__all__ = ["Catalogue", "default_root", "load_catalogue", "read_catalogue"]
