"""`stratus decide FILE PATTERN [--reject] [--scope SCOPE]`."""

from __future__ import annotations

import click

from ..core.actions.deciding import SCOPE_NAMES
from .common import batch, echo, fail


@click.command("decide")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("pattern")
@click.option("--reject", is_flag=True, help="Record a rejection (default: an acceptance).")
@click.option(
    "--scope",
    type=click.Choice(SCOPE_NAMES),
    default=None,
    help="Decide on the pattern's rating there (for patterns rated per scope).",
)
@batch
def decide_cmd(file: str, pattern: str, reject: bool, scope: str | None) -> None:
    """Accept (or reject) PATTERN for the design in FILE: record the decision the
    workbench's Decide tab records, and save FILE with its comments kept (the old file
    is kept as FILE.bak). A record about the same pattern with the other status is
    updated (its status and date follow, what a person wrote in it stays); one that
    already says so is left alone (exit 1).

    \b
    Examples:
      stratus decide shop.yaml circuit-breaker
      stratus decide shop.yaml saga --reject
    """
    import datetime as dt

    from ..core.actions import ActionError
    from ..core.actions.deciding import decide_pattern, decide_summary
    from ..core.problems import DesignError

    try:
        outcome = decide_pattern(
            file, pattern, accept=not reject, scope=scope, today=dt.date.today()
        )
    except ActionError as exc:
        fail(str(exc), 2 if exc.usage else 1)
    except DesignError as exc:  # the file's FILE:LINE:COL problems, or the library's
        fail(exc)
    echo(decide_summary(outcome, file))
