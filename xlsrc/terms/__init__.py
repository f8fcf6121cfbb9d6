"""Contract terms: models and loader."""

from xlsrc.terms.loader import default_terms_path, load_terms
from xlsrc.terms.models import Terms

__all__ = ["Terms", "default_terms_path", "load_terms"]
