"""EXPORT screen: the observe and k8s formats are listed, previewed and written (Pilot)."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Input, Label, SelectionList, Static, TextArea

from stratus_tui.ui.app import make_app
from stratus_tui.ui.screens.export import format_names
from tests.ui.helpers import goto, settle, stratus

from .ops_support import SAMPLES


async def test_export_screen_previews_and_writes_observe_and_k8s(tmp_path: Path) -> None:
    design_file = tmp_path / "checkout.yaml"
    shutil.copy(next(p for p in SAMPLES if p.stem == "checkout"), design_file)
    out = tmp_path / "docs"
    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app = stratus(pilot)
        await goto(pilot, "5")
        screen = app.screen
        screen.query_one("#folder", Input).value = str(out)
        formats = screen.query_one("#formats", SelectionList)
        formats.focus()
        formats.highlighted = format_names().index("observe")
        await settle(pilot)
        assert str(screen.query_one("#preview-title", Label).render()) == "Preview: observe"
        preview = screen.query_one("#preview", TextArea).text
        assert "observe/prometheus/checkout.rules.yaml" in preview
        assert "alert: ErrorBudgetFastBurn" in preview
        formats.highlighted = format_names().index("k8s")
        await settle(pilot)
        assert "deploy/k8s/overlays/prod/kustomization.yaml" in (
            screen.query_one("#preview", TextArea).text
        )
        formats.deselect_all()
        formats.select("observe")
        formats.select("k8s")
        await settle(pilot)
        await pilot.click("#write")
        await settle(pilot)
        assert (out / "observe" / "openslo" / "checkout-availability.yaml").is_file()
        assert (out / "deploy" / "k8s" / "base" / "payments.yaml").is_file()
        written = str(screen.query_one("#written", Static).render())
        assert "deploy/k8s/base/kustomization.yaml (written)" in written
