"""STRATUS core: the design model and everything computed from it (no Textual here)."""
