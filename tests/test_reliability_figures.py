"""``tests/RELIABILITY.md`` says what the reliability tests really run: it is rendered from
the configuration they read (``tests/reliability.py``) and must match it."""

from __future__ import annotations

from reliability import FIGURES_PATH, render_figures


def test_the_figures_file_matches_the_configuration() -> None:
    assert FIGURES_PATH.read_text(encoding="utf-8") == render_figures(), (
        "tests/RELIABILITY.md is out of date: run `python tests/reliability.py`"
    )


def test_the_figures_state_that_nothing_is_lost() -> None:
    text = render_figures()
    assert "| messages lost | **0**" in text
    assert "| messages duplicated | **0** |" in text
