"""The one error the indicator package raises for bad input: its message is a one-line answer."""


class IndicatorError(Exception):
    """Bad input or a request the data cannot answer (no such year, no such indicator, …)."""
