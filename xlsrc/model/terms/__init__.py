"""Contract terms: models and loader."""

from xlsrc.model.terms.loader import default_terms_path, load_terms
from xlsrc.model.terms.models import Terms

__all__ = ["Terms", "default_terms_path", "load_terms"]
