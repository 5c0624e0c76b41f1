"""eduplan: a city education bureau's work-plan loop as software."""

__version__ = "0.1.0"
