"""Errors the reader raises for input it cannot use; the CLI prints them as one line."""


class ReaderError(Exception):
    """The input cannot be read as a plan; str(error) is a one-line message for the user."""


from eduplan.limits import TooLarge as _TooLarge  # noqa: E402


class TooLarge(ReaderError, _TooLarge):
    """The file is refused by a bound on inflated size, objects or time (a bomb, or far beyond a plan)."""
