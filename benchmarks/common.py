"""What the benchmarks share: the machine, tables, external tools, pinned subprocesses.

Everything here runs on this machine only: servers bind 127.0.0.1, load generators target
them, and every loop is bounded in count and time.
"""

from __future__ import annotations

import contextlib
import glob
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

SERVER_CORE = 0
"""The core the server under test runs on (``taskset``)."""
LOAD_CORE = 1
"""The core the load generator (or webhook receiver) runs on."""

Row = Sequence[object]


def table(headers: Sequence[str], rows: Sequence[Row]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def ratio(value: float, reference: float) -> str:
    return f"{value / reference:.2f}" if reference > 0 else "n/a"


def machine() -> str:
    """One line naming the machine: CPU model, cores, memory, OS, Python."""
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    return (
        f"{model}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def pinned(core: int, command: list[str]) -> list[str]:
    """``command`` pinned to ``core`` with taskset, when there are two cores and taskset."""
    if cores() >= 2 and shutil.which("taskset"):
        return ["taskset", "-c", str(core), *command]
    return command


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


@contextlib.contextmanager
def process(
    command: list[str], port: int, timeout: float = 60.0
) -> Iterator[subprocess.Popen[str]]:
    """Start a server, wait until ``port`` accepts connections, stop it at the end."""
    child = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        try:
            wait_for_port(port, timeout)
        except RuntimeError:
            child.kill()
            _, err = child.communicate(timeout=10)
            raise RuntimeError(f"{command[0]} did not start: {err[-2000:]}") from None
        yield child
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.communicate(timeout=10)


def python_server(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


# -- external tools ----------------------------------------------------------------------------
def wrk_path() -> str | None:
    return shutil.which("wrk")


def java_path() -> str | None:
    return shutil.which("java")


def wiremock_jar() -> str | None:
    """The WireMock standalone jar: ``$WIREMOCK_JAR``, else the npm package ``wiremock``
    (installed globally, or under ``benchmarks/.tools`` or the working directory)."""
    explicit = os.environ.get("WIREMOCK_JAR")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    roots = [Path(__file__).parent / ".tools" / "node_modules", Path.cwd() / "node_modules"]
    npm = shutil.which("npm")
    if npm:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            found = subprocess.run(
                [npm, "root", "-g"], capture_output=True, text=True, timeout=30, check=True
            )
            roots.append(Path(found.stdout.strip()))
    for root in roots:
        jars = sorted(glob.glob(str(root / "wiremock" / "build" / "wiremock-standalone-*.jar")))
        if jars:
            return jars[-1]
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@dataclass(frozen=True, slots=True)
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    """Socket errors plus non-2xx answers."""
    cpu_us: float | None = None
    """The server's CPU time (user + system) per request, in microseconds: steadier than
    req/s when the machine is shared, and the cost the ratios are made of."""


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process has used so far (Linux ``/proc``; else None)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _millis(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if match is None:
        raise ValueError(f"not a wrk latency: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> WrkResult:
    """Requests/s, the p50 and p99 of ``--latency``'s distribution, and the errors."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    total = re.search(r"(\d+) requests in", output)
    errors = 0
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    return WrkResult(
        rps,
        _millis(p50.group(1)) if p50 else float("nan"),
        _millis(p99.group(1)) if p99 else float("nan"),
        int(total.group(1)) if total else 0,
        errors,
    )
