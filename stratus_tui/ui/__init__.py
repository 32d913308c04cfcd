"""The Textual workbench: a thin layer over stratus_tui.core."""
