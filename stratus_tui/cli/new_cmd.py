"""`stratus new FILE [--sample NAME]`."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.resources import sample_names

MINIMAL = """\
# A STRATUS design file. `stratus validate {file}` checks it; `stratus schema` gives
# the JSON Schema for editors. Every section but these two lines is optional.
stratus: 1
name: {name}
"""


def _title(path: Path) -> str:
    words = path.stem.replace("_", " ").replace("-", " ").strip()
    return (words[:1].upper() + words[1:]) if words else "New design"


def _quote(name: str) -> str:
    import json

    from ..core.problems import DesignError
    from ..core.yaml_io import parse_text

    # A JSON string is a valid YAML scalar: safe for any characters in a file name. Plain
    # words stay plain unless YAML would read them as something else (null, true, 1e3).
    if name.replace(" ", "").isalnum():
        try:
            if parse_text(f"name: {name}\n", "-") == {"name": name}:
                return name
        except DesignError:
            pass
    return json.dumps(name, ensure_ascii=False)


@click.command("new")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--sample",
    metavar="NAME",
    type=click.Choice(sample_names()),
    help="Start from a bundled sample: " + ", ".join(sample_names()) + ".",
)
def new_cmd(file: str, sample: str | None) -> None:
    """Write a new design to FILE; exit 1 if FILE already exists.

    Without --sample the design is the minimal two lines (stratus: 1 and name:). A
    .json or .toml FILE is written in that format.

    \b
    Examples:
      stratus new shop.yaml
      stratus new shop.yaml --sample checkout
    """
    from ..core.store.design_file import atomic_write
    from .common import echo, fail, make_parent

    target = Path(file)
    if target.exists():
        fail(f"{file}: already exists; choose another name (nothing was written)")
    kind = target.suffix.lower()
    if sample is not None:
        from ..core.resources import sample_path

        source = sample_path(sample)
        if kind in (".json", ".toml"):
            text = _convert(source, kind)
        else:
            text = source.read_text(encoding="utf-8")
    elif kind in (".json", ".toml"):
        from ..core.model import Design

        text = _render(Design(name=_title(target)), kind)
    else:
        text = MINIMAL.format(file=target.name, name=_quote(_title(target)))
    make_parent(target, file)
    try:
        atomic_write(target, text.encode("utf-8"), backup=False, exclusive=True)
    except FileExistsError:
        fail(f"{file}: already exists; choose another name (nothing was written)")
    except OSError as exc:
        fail(f"{file}: cannot write: {exc.strerror or exc}")
    origin = f" from sample {sample!r}" if sample else ""
    echo(f"wrote {file}{origin}; next: stratus validate {file}, or stratus {file}")


def _convert(source: Path, kind: str) -> str:
    from ..core.store.design_file import load_design

    return _render(load_design(source), kind)


def _render(design: object, kind: str) -> str:
    from ..core.model import Design
    from ..core.store.serialise import to_json, to_toml

    assert isinstance(design, Design)
    return to_json(design) if kind == ".json" else to_toml(design)
