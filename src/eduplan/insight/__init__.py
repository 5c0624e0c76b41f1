"""Insight across plans: comparing two plans (two years of one city, or two cities)."""

from .compare import Comparison, TargetChange, TaskPair, compare

__all__ = ["Comparison", "TargetChange", "TaskPair", "compare"]
