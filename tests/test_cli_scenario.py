"""``sms-sim validate`` and ``sms-sim serve --scenario``."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from simulator.cli import main

BAD = "version: 1\nrules:\n  - timeline: [{after: 3s, status: DELIVERED_TO_HANDSTE}]\n"


def test_validate_accepts_the_library(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "absent_subscriber", "happy_path"]) == 0
    out = capsys.readouterr().out
    assert "absent_subscriber: ok (absent_subscriber)" in out


def test_validate_names_file_line_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    good = tmp_path / "good.yaml"
    good.write_text("version: 1\nname: fine\n")
    assert main(["validate", str(good), str(bad), str(tmp_path / "missing.yaml")]) == 1
    captured = capsys.readouterr()
    assert f"{good}: ok (fine)" in captured.out
    assert f"{bad}:3:" in captured.err
    assert "rules[0].timeline[0].status" in captured.err
    assert "did you mean DELIVERED_TO_HANDSET" in captured.err
    assert "missing.yaml" in captured.err


def test_serve_with_a_scenario(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--port", "0", "--clock", "manual",
         "--start", "2026-01-01T09:00:00Z", "--scenario", "absent_subscriber"],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split()[-1]
        assert "scenario absent_subscriber" in process.stdout.readline()
        auth = {"Authorization": "App k", "Content-Type": "application/json"}
        send = {"messages": [{"destinations": [{"to": "41793026727"}], "content": {"text": "x"}}]}
        request = urllib.request.Request(
            f"{url}/sms/3/messages", json.dumps(send).encode(), auth, method="POST"
        )
        urllib.request.urlopen(request, timeout=10).close()
        advance = urllib.request.Request(
            f"{url}/__sim/clock/advance", b'{"by": "10m"}', method="POST"
        )
        urllib.request.urlopen(advance, timeout=10).close()
        with urllib.request.urlopen(
            urllib.request.Request(f"{url}/sms/3/logs", headers=auth), timeout=10
        ) as response:
            [log] = json.load(response)["results"]
        assert log["status"]["name"] == "UNDELIVERABLE_NOT_DELIVERED"
        assert log["error"]["name"] == "EC_ABSENT_SUBSCRIBER"
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_serve_refuses_a_broken_scenario(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    done = subprocess.run(
        [sys.executable, "-m", "simulator", "serve", "--port", "0", "--scenario", str(bad)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert "rules[0].timeline[0].status" in done.stderr
