"""Failures of reading a source, each with a message that says what to do."""
from __future__ import annotations


class InputError(Exception):
    """A source file that cannot be read; the run goes on with the others."""

    stage = "ingest"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EmptyInput(InputError):
    pass


class CorruptInput(InputError):
    pass


class EncryptedPdf(InputError):
    pass


class UnsupportedInput(InputError):
    pass


class ImageTooLarge(InputError):
    pass


class NoTextFound(InputError):
    stage = "ocr"


class NotVietnamese(InputError):
    stage = "language"
