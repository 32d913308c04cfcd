"""The terminal diagram as an SVG file: the same cells, coloured by what they show.

A direct render of a `Rendered` picture (no Textual): one `<text>` per row in a
monospace font, a `<tspan>` per run of one colour. Box-drawing characters line up
in any monospace font that has them.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from .render import Region, Rendered

CELL_W = 8.4
CELL_H = 17.0
BACKGROUND = "#1e1e2e"
COLOURS: dict[str, str] = {
    "service": "#89b4fa",
    "datastore": "#cba6f7",
    "external": "#fab387",
    "frame": "#9399b2",
    "frame-label": "#bac2de",
    "sync": "#cdd6f4",
    "async": "#94e2d5",
    "edge-label": "#a6adc8",
    "legend": "#9399b2",
    "highlight": "#f9e2af",
}
"""Fill of each region kind (and of highlighted components and edges)."""


def _colour(r: Region, highlight: set[str], pairs: set[tuple[str, str]]) -> str:
    if r.component is not None and r.kind in ("service", "datastore", "external"):
        return COLOURS["highlight"] if r.component in highlight else COLOURS[r.kind]
    if r.edges:
        if any(p in pairs for p in r.edges):
            return COLOURS["highlight"]
        if r.kind == "edge-label":
            return COLOURS["edge-label"]
        return COLOURS["async" if r.mode == "async" else "sync"]
    return COLOURS.get(r.kind, COLOURS["legend"])


def to_svg(
    picture: Rendered,
    title: str = "",
    highlight: set[str] | None = None,
    pairs: set[tuple[str, str]] | None = None,
) -> str:
    """`picture` as a standalone SVG document; `highlight` components and `pairs`
    (src, dst) edges are drawn in the highlight colour."""
    hi, hp = highlight or set(), pairs or set()
    width, height = picture.width * CELL_W, picture.height * CELL_H
    rows: list[list[str]] = [[COLOURS["sync"]] * picture.width for _ in range(picture.height)]
    for r in picture.regions:
        colour = _colour(r, hi, hp)
        for y in range(max(0, r.y0), min(picture.height, r.y1)):
            row = rows[y]
            for x in range(max(0, r.x0), min(picture.width, r.x1)):
                row[x] = colour
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}"'
        f' viewBox="0 0 {width:.1f} {height:.1f}">',
        f"<title>{escape(title)}</title>" if title else "",
        f'<rect width="100%" height="100%" fill="{BACKGROUND}"/>',
        "<g font-family=\"'Fira Code', 'DejaVu Sans Mono', monospace\" font-size=\"14px\""
        ' xml:space="preserve">',
    ]
    for y in range(picture.height):
        cells = picture.cells(y)
        if not "".join(cells).strip():
            continue
        spans: list[str] = []
        start = 0
        for x in range(1, len(cells) + 1):
            if x == len(cells) or rows[y][x] != rows[y][start]:
                text = "".join(cells[start:x])
                if text.strip():
                    spans.append(
                        f'<tspan x="{start * CELL_W:.1f}" fill="{rows[y][start]}">'
                        f"{escape(text)}</tspan>"
                    )
                start = x
        out.append(f'<text y="{(y + 0.8) * CELL_H:.1f}">{"".join(spans)}</text>')
    out.append("</g></svg>")
    return "\n".join(line for line in out if line) + "\n"


def save_svg(
    picture: Rendered,
    design_file: Path,
    highlight: set[str] | None = None,
    pairs: set[tuple[str, str]] | None = None,
) -> Path:
    """Write `picture` as `<design>-diagram.svg` beside `design_file` and return its path.

    Confined like the exports (`core.confine`: under `stratus serve` only inside the
    export root, else `OutsideRootError`) and written atomically: a failed write leaves
    any earlier file as it was.
    """
    from stratus_tui.core.confine import confine, export_root
    from stratus_tui.core.store.design_file import atomic_write

    folder = confine(design_file.parent, export_root())
    target = folder / f"{design_file.stem}-diagram.svg"
    text = to_svg(picture, design_file.stem, highlight, pairs)
    atomic_write(target, text.encode("utf-8"), backup=False)
    return target
