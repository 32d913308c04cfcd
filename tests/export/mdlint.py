"""The real Markdown linter (pymarkdownlnt) with the rule set every export must pass.

Rule set: pymarkdown's defaults (the markdownlint rules: one H1 first, heading levels
step by one, blank lines around headings, lists, tables and fences, fenced code has a
language, no trailing spaces, one trailing newline...), with the front-matter extension
on (decision records start with MADR's YAML front matter) and these rules off:

* MD013 (line length): table rows and generated sentences are long by nature; Markdown
  reflows them anyway.
* MD033 (inline HTML): `<br>` is the only way to keep a line break inside a table cell
  and the `<!-- Generated ... -->` marker is an HTML comment. (Escaping guarantees no
  other HTML reaches the output; tests/export/test_safety.py checks it.)
* MD051 (link fragments): exports write no `#fragment` links, and pymarkdownlnt 0.9.41's
  MD051 plugin crashes (BadPluginError) on some escaped headings the hostile-text tests
  generate.
* MD024 is kept but scoped to sibling headings (`siblings_only`): decision records have
  one "Good, because ..." list per option under different headings, and the design
  document has a "Context" heading only once per level.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LintProblem:
    line: int
    rule: str
    description: str

    def __str__(self) -> str:
        return f"{self.line}: {self.rule} {self.description}"


DISABLED = ("md013", "md033", "md051")


def lint_markdown(text: str) -> list[LintProblem]:
    """What pymarkdownlnt finds in `text` under the rule set above (empty = clean)."""
    from pymarkdown.api import PyMarkdownApi

    api = PyMarkdownApi().enable_extension_by_identifier("front-matter")
    for rule in DISABLED:
        api = api.disable_rule_by_identifier(rule)
    api = api.set_boolean_property("plugins.md024.siblings_only", True)
    result = api.scan_string(text)
    return [
        LintProblem(f.line_number, f.rule_id, f"{f.rule_description} {f.extra_error_information}")
        for f in result.scan_failures
    ]


def mermaid_blocks(text: str) -> list[str]:
    """The body of every ```mermaid fenced block of a Markdown text."""
    blocks: list[str] = []
    current: list[str] | None = None
    for line in text.split("\n"):
        if current is None and line.strip() == "```mermaid":
            current = []
        elif current is not None and line.strip() == "```":
            blocks.append("\n".join(current) + "\n")
            current = None
        elif current is not None:
            current.append(line)
    return blocks
