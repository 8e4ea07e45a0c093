"""Understanding a repaired document: metadata, references, logical tables, indicators,
targets, tasks, budget lines, duties."""
