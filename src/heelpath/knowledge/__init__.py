"""The clinical knowledge, as data: YAML files in this folder, loaded and validated."""

from heelpath.knowledge.loader import KNOWLEDGE_DIR, load_knowledge
from heelpath.knowledge.model import Knowledge

__all__ = ["KNOWLEDGE_DIR", "Knowledge", "load_knowledge"]
