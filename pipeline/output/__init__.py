"""The dataset: the contract's tables and typed rows (schema.py), atomic writing
(writer.py) and reviewer corrections (corrections.py)."""
