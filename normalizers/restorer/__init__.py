"""The diacritics restorer: legacy encodings, Vietnamese syllables and marks, the
syllable language model, the OCR channel and the decoder (restore.py)."""
