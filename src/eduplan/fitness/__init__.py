"""学生体质健康: the 2014 national standard as data, scoring in DuckDB SQL, the upload files.

Knows nothing of the web or the demo city. See docs/fitness.md.
"""

from .errors import FitnessError, Problem
from .results import Result, Scored, score

__all__ = ["FitnessError", "Problem", "Result", "Scored", "score"]
