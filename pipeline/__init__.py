"""Wires the stages: ingest, metadata, references; caching, execution and output."""

__version__ = "0.1.0"
