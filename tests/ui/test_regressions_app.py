"""Regressions of issue 11 at the app level: crashes, terminals, keys, verdicts, export, review.

Each test replays what a person did when the defect showed, on a real file, with the real
app (Pilot) or the real `stratus` process.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cr3t-in-the-design"


# ----------------------------------------------------------------- 4. a crash is a crash

CRASH_ON_OPEN = """
import sys
from stratus_tui.ui.app import StratusApp

def explode(self):
    design = self.design  # a local holding the design: it must not reach the terminal
    raise RuntimeError("injected failure\\nsecond line never shown")

StratusApp._opened = explode
from stratus_tui.cli import main
main(sys.argv[1:])
"""


def run_in_pty(
    args: list[str], cwd: Path, env: dict[str, str], piped: str | None = None
) -> tuple[int, str]:
    """Run a process with a pseudo-terminal as stdin, stdout and stderr, as in a terminal,
    except for `piped` ("stdin": /dev/null, "stdout"/"stderr": a pipe).

    Returns (exit status, everything written to the terminal and the pipe).
    """
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    streams: dict[str, int] = {"stdin": slave, "stdout": slave, "stderr": slave}
    if piped is not None:
        streams[piped] = subprocess.DEVNULL if piped == "stdin" else subprocess.PIPE
    proc = subprocess.Popen(args, cwd=cwd, env=env, **streams)  # type: ignore[call-overload]
    os.close(slave)
    written: list[bytes] = []

    def drain() -> None:  # the app blocks on a full terminal if nobody reads it
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every holder of the terminal closed it
                return
            if not chunk:
                return
            written.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        reader.join(timeout=10)
        os.close(master)
    text = b"".join([*written, out or b"", err or b""])
    return proc.returncode, text.decode("utf-8", "replace")


def test_a_crash_exits_non_zero_with_a_summary_and_a_log(design_file: Path, tmp_path: Path) -> None:
    # A comment the design's loader keeps in memory: it must not be printed anywhere.
    design_file.write_text(f"# {SECRET}\n" + design_file.read_text("utf-8"), "utf-8")
    before = design_file.read_bytes()
    state = tmp_path / "state"
    env = {**os.environ, "TERM": "xterm-256color", "STRATUS_STATE_DIR": str(state)}
    env.pop("TEXTUAL_DRIVER", None)
    code, written = run_in_pty(
        [sys.executable, "-c", CRASH_ON_OPEN, str(design_file)], tmp_path, env
    )
    # What is left after the app leaves the alternate screen: the message.
    after = written.rsplit("\x1b[?1049l", 1)[-1]
    assert code == 1, written[-2000:]
    assert "stratus crashed: RuntimeError: injected failure" in after
    assert "second line" not in written
    assert "Traceback" not in written
    assert SECRET not in written
    logs = list((state / "log").glob("crash-*.log"))
    assert len(logs) == 1
    assert str(logs[0]) in after.replace("\r\n", "").replace("\n", "")
    log = logs[0].read_text("utf-8")
    assert "Traceback" in log and "RuntimeError: injected failure" in log
    assert SECRET not in log  # no locals in the log either
    assert design_file.read_bytes() == before


async def test_an_exception_in_an_action_is_logged_not_shown(
    design_file: Path, tmp_path: Path
) -> None:
    from stratus_tui.ui.app import make_app

    before = design_file.read_bytes()
    app = make_app(design_file)

    def boom() -> None:
        raise ValueError("bad thing")

    with pytest.raises(ValueError, match="bad thing"):
        async with app.run_test() as pilot:
            await pilot.pause()
            app.call_later(boom)
            await pilot.pause()
    assert app.return_code == 1
    assert app.crash is not None and app.crash.summary == "ValueError: bad thing"
    assert app.crash.log is not None and app.crash.log.parent == tmp_path / "state" / "log"
    assert app._exit_renderables == []  # Textual's traceback with locals is not printed
    assert design_file.read_bytes() == before


# ---------------------------------------------------------------- 5. no terminal: refuse


@pytest.mark.parametrize("piped", ["stdin", "stdout", "stderr"])
def test_no_terminal_refuses_with_exit_2(design_file: Path, tmp_path: Path, piped: str) -> None:
    """`stratus FILE` with one stream not a terminal: a clear refusal, never a hung UI."""
    before = design_file.read_bytes()
    env = {**os.environ}
    env.pop("TEXTUAL_DRIVER", None)
    code, written = run_in_pty(
        [sys.executable, "-m", "stratus_tui", str(design_file)], tmp_path, env, piped
    )
    assert code == 2, written
    assert f"needs a terminal, but {piped} is not one." in written
    assert "\x1b[?1049h" not in written  # the UI never started
    assert "Traceback" not in written
    assert design_file.read_bytes() == before


def test_no_terminal_message(design_file: Path, tmp_path: Path) -> None:
    env = {**os.environ}
    env.pop("TEXTUAL_DRIVER", None)
    proc = subprocess.run(
        [sys.executable, "-m", "stratus_tui", str(design_file)],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith(
        "stratus: the workbench needs a terminal, but stdin, stdout, stderr are not terminals."
    ), proc.stderr
    assert "stratus validate" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_no_terminal_reports_a_broken_file_first(tmp_path: Path) -> None:
    """Without a terminal a broken design is the more useful news: FILE:LINE:COL, exit 1."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("stratus: 1\nname: x\nservices:\n  - id: [unclosed\n", encoding="utf-8")
    before = broken.read_bytes()
    env = {**os.environ}
    env.pop("TEXTUAL_DRIVER", None)
    proc = subprocess.run(
        [sys.executable, "-m", "stratus_tui", str(broken)],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith(f"{broken}:"), proc.stderr
    assert "YAML syntax error" in proc.stderr
    assert "needs a terminal" not in proc.stderr and "Traceback" not in proc.stderr
    assert broken.read_bytes() == before


# ------------------------------------------------------------------- 6. focus and keys


async def test_letters_typed_on_a_dropdown_in_a_form_do_not_add(design_file: Path) -> None:
    """Typing `team-payments` with a form's dropdown focused opened "Id of the new service"."""
    from textual.widgets import Select

    from stratus_tui.ui.app import make_app
    from stratus_tui.ui.dialogs.prompt import PromptDialog
    from stratus_tui.ui.screens.architect import ArchitectScreen

    from .helpers import goto, settle

    before = design_file.read_bytes()
    app = make_app(design_file)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await goto(pilot, "2")
        screen = app.screen
        assert isinstance(screen, ArchitectScreen)
        await screen.show_tab("services")
        await settle(pilot)
        design = app.design
        screen.query_one("#services-form #f-datastore", Select).focus()
        await pilot.pause()
        await pilot.press(*"team-payments", "r", "x", "y", "n", "2")
        await settle(pilot)
        assert not isinstance(app.screen, PromptDialog)
        assert app.screen is screen and app.current_mode == "architect"
        assert app.design == design
        # The same letters on the services list still act: `a` adds.
        screen.query_one("#services-pane DataTable").focus()
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("escape")
    assert design_file.read_bytes() == before


async def test_help_lists_the_live_bindings_of_app_screen_and_focused_widget(
    design_file: Path,
) -> None:
    from textual.binding import Binding

    from stratus_tui.ui.app import make_app
    from stratus_tui.ui.screens.architect import ArchitectScreen
    from stratus_tui.ui.screens.help import HelpScreen

    from .helpers import goto, settle

    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        await settle(pilot)
        await goto(pilot, "2")
        screen = app.screen
        assert isinstance(screen, ArchitectScreen)
        await screen.show_tab("services")
        await settle(pilot)
        screen.query_one("#services-pane DataTable").focus()
        await pilot.pause()
        live = {app.get_key_display(Binding(key, "x")) for key in screen.active_bindings}
        await pilot.press("question_mark")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        rows = {row.binding_id: row for row in help_screen.rows if row.binding_id}
        shown_keys = {k for row in help_screen.rows for k in row.keys.split(" / ")}
        assert live == shown_keys  # every key that works, generated from the bindings
        assert rows["collection.add"].keys == "^n / a"
        assert rows["collection.add"].where == "ServicesPane"
        assert rows["app.help"].keys == "f1 / ?"
        assert rows["mode.architect"].where == "everywhere"
        assert "x" in shown_keys  # the focused pane's own keys (delete a dependency)
        await pilot.press("escape")
        # From inside a text field `?` types; f1 still opens the help.
        screen.query_one("#services-form #f-name").focus()
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = {row.binding_id: row for row in app.screen.rows if row.binding_id}
        assert rows["collection.add"].keys == "^n"  # `a` types in the field; ctrl+n adds
        assert rows["app.help"].keys == "f1"


async def test_the_first_footer_shows_the_screen_keys(design_file: Path) -> None:
    from textual.widgets._footer import FooterKey

    from stratus_tui.ui.app import make_app

    from .helpers import settle

    # As `stratus FILE` starts: DISCOVER drawn first, the file read in a worker.
    async with make_app(design_file, defer_load=True).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = [k.key for k in pilot.app.screen.query(FooterKey)]
        assert [k for k in keys if k.isdigit()] == ["1", "2", "3", "4", "5"], keys


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_tab_visits_only_widgets_that_are_shown(
    design_file: Path, size: tuple[int, int]
) -> None:
    from stratus_tui.ui.app import make_app

    from .helpers import goto, settle

    async with make_app(design_file).run_test(size=size) as pilot:
        app = pilot.app
        await settle(pilot)
        for key in "12345":
            await goto(pilot, key)
            chain = app.screen.focus_chain
            assert chain, key
            for _ in range(len(chain) + 1):
                await pilot.press("tab")
                await pilot.pause()
                focused = app.focused
                assert focused is not None, key
                assert all(node.display for node in focused.ancestors_with_self), focused
                assert focused.visible, focused
                assert focused.region.area > 0, (key, focused, focused.region)


# ----------------------------------------------------------- 7. verdicts explain themselves


async def test_verdicts_show_sign_evidence_weight_and_unanswered_text(tmp_path: Path) -> None:
    from stratus_tui.ui.app import make_app
    from stratus_tui.ui.screens.architect import ArchitectScreen
    from stratus_tui.ui.widgets.reasons import ReasonsView

    from .helpers import goto, settle

    design = tmp_path / "sparse.yaml"
    # Some answers (evidence) and many unanswered questions.
    design.write_text(
        "stratus: 1\nname: Sparse\ndiscovery:\n  team:\n    engineers: 4\n    teams: 1\n", "utf-8"
    )
    async with make_app(design).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await settle(pilot)
        reasons = app.screen.query_one("#reasons", ReasonsView)
        texts = []
        table = app.screen.query_one("#verdicts")
        for row in range(table.row_count):  # type: ignore[attr-defined]
            table.move_cursor(row=row)  # type: ignore[attr-defined]
            await pilot.pause()
            texts.append(reasons.text)
        everything = "\n".join(texts)
        assert "Missing(" not in everything
        assert "[team.engineers=4]" in everything
        assert any(line.startswith(("+ ", "- ")) for line in everything.splitlines())
        assert "weight " in everything
        assert "? unanswered: " in everything
        # Focusable, and it scrolls by keyboard.
        reasons.focus()
        await pilot.pause()
        assert app.focused is reasons
        longest = max(range(len(texts)), key=lambda i: texts[i].count("\n"))
        table.move_cursor(row=longest)  # type: ignore[attr-defined]
        await settle(pilot)
        reasons.focus()
        assert reasons.max_scroll_y > 0
        await pilot.press("down", "down")
        await pilot.pause()
        assert reasons.scroll_y == 2
        # The Decide tab says the same thing.
        await goto(pilot, "2")
        screen = app.screen
        assert isinstance(screen, ArchitectScreen)
        await settle(pilot)
        detail = screen.query_one("#verdict-detail", ReasonsView)
        assert detail.text.splitlines()[0] == texts[0].splitlines()[0]
        assert "Missing(" not in detail.text


# ------------------------------------------------------- 10. export, messages, review, palette


async def test_export_says_what_is_ticked_and_all_excludes_the_others(design_file: Path) -> None:
    from textual.widgets import SelectionList, Static

    from stratus_tui.ui.app import make_app

    from .helpers import goto, settle

    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        await settle(pilot)
        await goto(pilot, "5")
        formats = app.screen.query_one("#formats", SelectionList)
        ticked = app.screen.query_one("#ticked", Static)
        assert str(ticked.render()).startswith("Will write: all")
        formats.focus()
        names = [formats.get_option_at_index(i).value for i in range(formats.option_count)]
        formats.highlighted = names.index("json")
        await pilot.press("space")  # tick json: `all` is unticked, not silently kept
        await settle(pilot)
        assert list(formats.selected) == ["json"]
        assert str(ticked.render()) == "Will write: json"
        formats.highlighted = names.index("markdown")
        await pilot.press("space")
        await settle(pilot)
        assert str(ticked.render()) == "Will write: markdown, json"
        formats.highlighted = names.index("all")
        await pilot.press("space")  # tick all: the single formats go
        await settle(pilot)
        assert list(formats.selected) == ["all"]
        await pilot.press("space")
        await settle(pilot)
        assert str(ticked.render()).startswith("Nothing ticked")


async def test_the_workbench_words_a_bad_value_like_the_cli(
    design_file: Path, tmp_path: Path
) -> None:
    from textual.widgets import Static

    from stratus_tui.ui.app import make_app
    from stratus_tui.ui.screens.architect import ArchitectScreen

    from .helpers import goto, settle, type_into

    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        await settle(pilot)
        await goto(pilot, "2")
        screen = app.screen
        assert isinstance(screen, ArchitectScreen)
        await screen.show_tab("services")
        await settle(pilot)
        await type_into(pilot, "#services-form #f-replicas", "-1")
        shown = str(screen.query_one("#services-form #f-replicas-error", Static).render())
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        design_file.read_text("utf-8").replace("replicas: 3", "replicas: -1", 1), "utf-8"
    )
    assert "replicas: -1" in bad.read_text("utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "stratus_tui", "validate", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    cli = proc.stderr.strip().split(": ", 1)[1]  # after FILE:LINE:COL
    assert "must be at least 0 (got -1)" in cli
    assert cli.endswith(shown), (cli, shown)
    assert "Input should" not in shown


async def test_review_click_selects_enter_and_double_click_jump(design_file: Path) -> None:
    from textual.widgets import Tree

    from stratus_tui.ui.app import make_app
    from stratus_tui.ui.widgets.reasons import ReasonsView

    from .helpers import goto, settle

    async with make_app(design_file).run_test(size=(160, 48)) as pilot:
        app = pilot.app
        await settle(pilot)
        await goto(pilot, "4")
        tree = app.screen.query_one("#findings", Tree)
        line = next(
            i
            for i in range(tree.last_line + 1)
            if (node := tree.get_node_at_line(i)) is not None
            and node.data is not None
            and node.data.component
        )
        node = tree.get_node_at_line(line)
        assert node is not None and node.data is not None
        finding = node.data
        offset = (4, line - int(tree.scroll_y))
        await pilot.click(tree, offset=offset)
        await settle(pilot)
        assert app.current_mode == "review"  # a click only selects
        assert tree.cursor_line == line
        hint = app.screen.query_one("#hint", ReasonsView).text
        assert finding.message in hint and finding.hint in hint  # the whole finding
        await pilot.click(tree, offset=offset, times=2)
        await settle(pilot)
        assert app.current_mode == "architect"  # a double click opens the component
        await goto(pilot, "4")
        tree.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "architect"


async def test_palette_has_undo_redo_save_open_new_and_welcome(design_file: Path) -> None:
    from stratus_tui.ui.app import make_app
    from stratus_tui.ui.commands import StratusCommands

    from .helpers import settle

    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        await settle(pilot)
        provider = StratusCommands(app.screen)
        texts = {text for text, _cb, _help in provider._entries()}
        for wanted in (
            "edit: undo",
            "edit: redo",
            "file: save",
            "file: open design",
            "file: new design",
            "screen: welcome",
        ):
            assert wanted in texts
        # Through the real palette: back to welcome.
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"screen: welcome")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "welcome"


async def test_screenshot_lands_next_to_the_design(design_file: Path) -> None:
    from stratus_tui.ui.app import make_app

    from .helpers import settle

    async with make_app(design_file).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await settle(pilot)
        app.deliver_screenshot("shot.svg")
        await settle(pilot)
    assert (design_file.parent / "shot.svg").read_text("utf-8").startswith("<svg")


# --------------------------------------------------------------- 8. opening files, header


async def test_open_asks_before_creating_refuses_folders_and_completes(tmp_path: Path) -> None:
    from textual.widgets import Input, Static

    from stratus_tui.ui.app import make_app
    from stratus_tui.ui.dialogs.choice import ChoiceDialog
    from stratus_tui.ui.dialogs.prompt import PromptDialog

    from .helpers import settle

    (tmp_path / "designs").mkdir()
    (tmp_path / "designs" / "payments.yaml").write_bytes(
        (ROOT / "sample_designs" / "payments-ledger.yaml").read_bytes()
    )
    async with make_app().run_test(size=(100, 30)) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        field = dialog.query_one("#value", Input)
        # Tab completes the folder, then the file.
        await pilot.press(*f"{tmp_path}/des", "tab")
        await settle(pilot)
        assert field.value == f"{tmp_path}/designs/"
        error = dialog.query_one("#error", Static)
        await pilot.press("enter")  # a folder: a clear message, nothing opened
        await settle(pilot)
        assert "is a folder" in str(error.render())
        assert app.screen is dialog
        await pilot.press("p", "tab")
        await settle(pilot)
        assert field.value == f"{tmp_path}/designs/payments.yaml"
        # A missing file: asked first; Cancel creates nothing.
        field.value = f"{tmp_path}/designs/new.yaml"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click("#choice-cancel")
        await settle(pilot)
        assert not (tmp_path / "designs" / "new.yaml").exists()
        assert app.current_mode == "welcome"
        await pilot.press("o")
        await settle(pilot)
        await pilot.press(*f"{tmp_path}/designs/new.yaml", "enter")
        await settle(pilot)
        await pilot.click("#choice-create")
        await settle(pilot)
        assert (tmp_path / "designs" / "new.yaml").is_file()
        assert app.current_mode == "discover"
        # The file name is always in the header.
        header = str(app.screen.query_one("#header-status", Static).render())
        assert "new.yaml" in header


def test_the_readme_key_list_is_the_bindings() -> None:
    """The README's key table is generated from the bindings `?` reads: no drift."""
    from stratus_tui.ui.screens.help import catalogue_markdown

    readme = (ROOT / "README.md").read_text("utf-8")
    assert catalogue_markdown() in readme


@pytest.mark.parametrize(("theme", "keys"), [("textual-light", "12345"), ("nord", "14")])
async def test_focus_is_marked_on_every_focusable_widget(
    design_file: Path, theme: str, keys: str
) -> None:
    from stratus_tui.ui.app import make_app

    from .helpers import goto, settle

    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        app.theme = theme
        await settle(pilot)
        for key in keys:
            await goto(pilot, key)
            for widget in app.screen.focus_chain:
                widget.focus()
                await pilot.pause()
                edge, colour = widget.styles.outline_left
                assert edge == "outer" and colour.a > 0, (theme, key, widget)
            widget.blur()
            await pilot.pause()
            assert widget.styles.outline_left[0] in ("", "none"), (theme, widget)


async def test_the_palettes_keys_entry_opens_stratus_help(design_file: Path) -> None:
    """Textual's own "Keys" panel lists fewer keys than `?` and no binding ids."""
    from stratus_tui.ui.app import make_app
    from stratus_tui.ui.screens.help import HelpScreen

    from .helpers import settle

    async with make_app(design_file).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        await settle(pilot)
        keys = [c for c in app.get_system_commands(app.screen) if c.title == "Keys"]
        assert len(keys) == 1
        keys[0].callback()
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
