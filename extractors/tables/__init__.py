"""Tables: finders of table geometry (ruled, scanned, borderless, flattened text) and the
one builder that fills cells with words (grid.py); the model in model.py."""
