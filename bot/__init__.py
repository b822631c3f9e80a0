"""Kawan Migran: safe-migration guidance for prospective migrant workers, in their own words."""

from bot.core.conversation import Button, Engine, Reply
from bot.errors import KawanError, KnowledgeError
from bot.problems import Problem

__all__ = ["Button", "Engine", "KawanError", "KnowledgeError", "Problem", "Reply"]
__version__ = "0.1.0"
