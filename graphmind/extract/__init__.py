"""Extract stage: notes → units, relations and concepts."""

from .rules import RuleExtractor, extract_paths

__all__ = ["RuleExtractor", "extract_paths"]
