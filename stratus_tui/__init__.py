"""STRATUS: a terminal workbench for software architects."""

__version__ = "0.1.0"
