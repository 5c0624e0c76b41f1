"""Errors the reader raises for input it cannot use; the CLI prints them as one line."""


class ReaderError(Exception):
    """The input cannot be read as a plan; str(error) is a one-line message for the user."""
