"""The README's "In pytest" examples are exactly the tests in ``tests/examples/`` (which run
with the suite), and the issue's example is among them verbatim.

Each example in the README is introduced by ``<!-- example: tests/examples/NAME.py -->``; the
file may start with tool pragmas (``# mypy:``, ``# ruff:``, ``# fmt:``) that the README leaves
out.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "examples"
PRAGMAS = ("# mypy:", "# ruff:", "# fmt:")
ISSUE_EXAMPLE = """\
@pytest.mark.sms_scenario("absent_subscriber")
def test_retry_after_failed_delivery(sms_gateway, my_app):
    my_app.configure(infobip_base_url=sms_gateway.url, api_key=sms_gateway.api_key)
    my_app.send_otp("41793026727")
    sms_gateway.advance("10m")
    sms_gateway.assert_delivered_report_pushed(to="41793026727", status="UNDELIVERABLE_NOT_DELIVERED")
"""  # noqa: E501 - as the issue writes it


def section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## In pytest\n")
    return text[start : text.index("\n## ", start + 1)]


def shown() -> dict[str, str]:
    pattern = re.compile(r"<!-- example: (\S+) -->\n```python\n(.*?)```", re.DOTALL)
    found: dict[str, str] = dict(pattern.findall(section()))
    return found


def without_pragmas(text: str) -> str:
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith(PRAGMAS):
        lines.pop(0)
    return "".join(lines)


def test_every_example_in_the_readme_is_a_test_file() -> None:
    examples = shown()
    assert len(examples) >= 6
    for path, code in examples.items():
        assert without_pragmas((ROOT / path).read_text(encoding="utf-8")) == code, path


def test_every_test_file_is_in_the_readme() -> None:
    files = {f"tests/examples/{p.name}" for p in EXAMPLES.glob("*.py") if p.name != "__init__.py"}
    assert files == set(shown())


def test_the_issue_example_is_there_verbatim() -> None:
    assert ISSUE_EXAMPLE in shown()["tests/examples/test_retry.py"]
