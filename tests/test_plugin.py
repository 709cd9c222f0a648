"""The pytest plugin, run with pytester: registration, the sync and async fixtures, session
reuse and per-test isolation, the ``sms_scenario`` marker and factory, and the options."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest
from pytester_support import prepare, run

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _inner(pytester: pytest.Pytester) -> None:
    prepare(pytester)


# -- registration ---------------------------------------------------------------------------------
def test_registered_through_the_pytest11_entry_point() -> None:
    (entry,) = [
        e for e in importlib.metadata.entry_points(group="pytest11") if e.name == "sms_simulator"
    ]
    assert entry.value == "conftest_plugin.plugin"


def test_fixtures_and_marker_are_listed(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--fixtures")
    result.stdout.fnmatch_lines(["sms_gateway*", "sms_scenario*", "sms_frozen_time*"])
    result.stdout.fnmatch_lines(["sms_gateway_async*"])
    result = run(pytester, "--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.sms_scenario(source, [*][*]overrides):*"])
    result = run(pytester, "--help")
    result.stdout.fnmatch_lines(["*--sms-sim-url*", "*--sms-scenario-dir*", "*sms_seed*"])


def test_disabled_with_p_no(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.sms_scenario("absent_subscriber")
        def test_uses_it(sms_gateway):
            pass
        """
    )
    listed = run(pytester, "-p", "no:sms_simulator", "--markers", "--help")
    assert "sms_scenario" not in listed.stdout.str()
    assert "--sms-sim-url" not in listed.stdout.str()
    result = run(pytester, "-p", "no:sms_simulator")
    result.stdout.fnmatch_lines(["*fixture 'sms_gateway' not found*"])
    assert result.ret != 0


# -- the sync fixture -----------------------------------------------------------------------------
def test_sync_fixture_serves_requests_and_the_official_client(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import requests
        from infobip_api_client import ApiClient, Configuration
        from infobip_api_client.api.sms_api import SmsApi
        from infobip_api_client.models import (
            SmsDestination, SmsMessage, SmsMessageContent, SmsRequest, SmsTextContent,
        )
        from simulator.testing import SmsGateway

        def test_requests(sms_gateway):
            assert isinstance(sms_gateway, SmsGateway)
            assert sms_gateway.url.startswith("http://127.0.0.1:")
            assert sms_gateway.api_key == "test-api-key"
            assert sms_gateway.now_datetime().isoformat() == "2026-01-01T09:00:00+00:00"
            auth = {"Authorization": f"App {sms_gateway.api_key}"}
            body = {"messages": [{"destinations": [{"to": "41793026727"}],
                                  "content": {"text": "Hi"}}]}
            sent = requests.post(f"{sms_gateway.url}/sms/3/messages", headers=auth, json=body)
            assert sent.status_code == 200
            assert sms_gateway.advance("10s") == 2
            (report,) = requests.get(f"{sms_gateway.url}/sms/3/reports", headers=auth).json()[
                "results"]
            assert report["status"]["name"] == "DELIVERED_TO_HANDSET"
            sms_gateway.assert_delivered_report_pushed(to="41793026727", status="DELIVERED")
            (got,) = sms_gateway.receiver.received("/reports")
            assert got.body["results"][0]["to"] == "41793026727"

        def test_official_client(sms_gateway):
            api = SmsApi(ApiClient(Configuration(host=sms_gateway.url,
                                                 api_key=sms_gateway.api_key)))
            api.send_sms_messages(SmsRequest(messages=[SmsMessage(
                destinations=[SmsDestination(to="41793026727")],
                content=SmsMessageContent(SmsTextContent(text="Hello")))]))
            sms_gateway.run_until_idle()
            assert sms_gateway.message(to="41793026727").status == "DELIVERED_TO_HANDSET"
        """
    )
    run(pytester).assert_outcomes(passed=2)


def test_one_server_per_session_and_nothing_leaks_between_tests(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import pytest
        from helpers import send

        SEEN = {}

        @pytest.mark.parametrize("round", [1, 2, 3])
        def test_each_test_starts_afresh(sms_gateway, round):
            SEEN.setdefault("servers", set()).add(id(sms_gateway.simulator))
            SEEN.setdefault("urls", set()).add(sms_gateway.url)
            assert sms_gateway.messages() == []
            assert sms_gateway.webhooks() == []
            assert sms_gateway.requests() == []
            assert sms_gateway.receiver.received() == []
            assert sms_gateway.next_event_at() is None
            assert sms_gateway.now_datetime().isoformat() == "2026-01-01T09:00:00+00:00"
            assert sms_gateway.scenario is None
            message_id = send(sms_gateway)["messages"][0]["messageId"]
            SEEN.setdefault("ids", set()).add(message_id)  # ids are seeded anew
            sms_gateway.advance("2h")
            sms_gateway.load_scenario("absent_subscriber")  # must not outlive the test
            sms_gateway.inject_inbound(sender="41793026727", text="STOP")

        def test_one_server_and_the_same_ids():
            assert len(SEEN["servers"]) == len(SEEN["urls"]) == 1
            assert len(SEEN["ids"]) == 1
        """
    )
    run(pytester).assert_outcomes(passed=4)


def test_reset_goes_back_to_the_tests_start(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from helpers import send

        @pytest.mark.sms_scenario("absent_subscriber")
        def test_reset_keeps_the_scenario(sms_gateway):
            send(sms_gateway)
            sms_gateway.advance("1h")
            sms_gateway.reset()
            assert sms_gateway.messages() == [] and sms_gateway.receiver.received() == []
            assert sms_gateway.now_datetime().hour == 9
            send(sms_gateway)
            sms_gateway.advance("1m")
            assert sms_gateway.message().status == "UNDELIVERABLE_NOT_DELIVERED"
        """
    )
    run(pytester).assert_outcomes(passed=1)


# -- the async fixture ----------------------------------------------------------------------------
def test_async_fixture_runs_in_the_tests_loop(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import asyncio
        import aiohttp
        import pytest
        from simulator.testing import AsyncSmsGateway

        LOOPS = set()

        async def send(gateway, to):
            headers = {"Authorization": f"App {gateway.api_key}"}
            body = {"messages": [{"destinations": [{"to": to}], "content": {"text": "Hi"}}]}
            async with aiohttp.ClientSession(headers=headers) as http:
                async with http.post(f"{gateway.url}/sms/3/messages", json=body) as response:
                    assert response.status == 200

        @pytest.mark.parametrize("round", [1, 2])
        async def test_async(sms_gateway_async, round):
            gateway = sms_gateway_async
            assert isinstance(gateway, AsyncSmsGateway)
            LOOPS.add(id(asyncio.get_running_loop()))
            assert gateway.messages() == []
            await send(gateway, "41793026727")
            await gateway.advance("1s")
            assert gateway.message(to="41793026727").status == "PENDING_ENROUTE"
            found = await gateway.wait_for("DELIVERED", to="41793026727")
            assert found.statuses[-1] == "DELIVERED_TO_HANDSET"
            gateway.assert_delivered_report_pushed(to="41793026727", status="DELIVERED")
            assert await gateway.advance_to_next_event() is None
            assert await gateway.run_until_idle() == 0
            await gateway.advance_to("2026-01-01T10:00:00Z")
            assert gateway.now_datetime().hour == 10
            await gateway.reset()
            assert gateway.messages() == []

        @pytest.mark.sms_scenario("absent_subscriber")
        async def test_async_marker(sms_gateway_async):
            await send(sms_gateway_async, "41793026727")
            await sms_gateway_async.advance("1m")
            sms_gateway_async.assert_delivered_report_pushed(status="UNDELIVERABLE")
            await sms_gateway_async.load_scenario(None)
            assert sms_gateway_async.scenario is None

        def test_two_loops():
            assert len(LOOPS) == 2
        """
    )
    run(pytester).assert_outcomes(passed=4)


# -- scenarios ------------------------------------------------------------------------------------
SLOW = """
version: 1
name: slow
rules:
  - timeline:
      - {after: 2m, status: DELIVERED_TO_HANDSET}
"""


def test_marker_takes_names_paths_yaml_mappings_and_overrides(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", slow=SLOW)
    pytester.makepyfile(slow_text=f"SLOW = {SLOW!r}")
    pytester.makepyfile(
        """
        import pytest
        from helpers import send
        from slow_text import SLOW

        pytestmark = pytest.mark.sms_scenario("absent_subscriber")

        def statuses(gateway):
            send(gateway)
            gateway.run_until_idle()
            return gateway.message().statuses[-1], gateway.message().done_at.minute

        def test_module_marker(sms_gateway):
            assert statuses(sms_gateway) == ("UNDELIVERABLE_NOT_DELIVERED", 0)

        @pytest.mark.sms_scenario("slow.yaml")
        def test_path_next_to_the_test(sms_gateway):
            assert sms_gateway.scenario.name == "slow"
            assert statuses(sms_gateway) == ("DELIVERED_TO_HANDSET", 2)

        @pytest.mark.sms_scenario(SLOW)
        def test_yaml_text(sms_gateway):
            assert statuses(sms_gateway) == ("DELIVERED_TO_HANDSET", 2)

        @pytest.mark.sms_scenario({"version": 1, "rules": [{"never": True}]})
        def test_mapping(sms_gateway):
            send(sms_gateway)
            sms_gateway.advance("1h")
            assert sms_gateway.message().status == "PENDING_ENROUTE"

        @pytest.mark.sms_scenario(None)
        def test_none_is_the_built_in_behaviour(sms_gateway):
            assert sms_gateway.scenario is None
            assert statuses(sms_gateway) == ("DELIVERED_TO_HANDSET", 0)

        @pytest.mark.sms_scenario(
            "slow.yaml", start="2026-06-01T12:00:00Z", defaults={"price": 0.05}
        )
        def test_overrides(sms_gateway):
            assert sms_gateway.now_datetime().isoformat() == "2026-06-01T12:00:00+00:00"
            send(sms_gateway)
            sms_gateway.advance("2m")
            (report,) = sms_gateway.pushed_reports()
            assert (report.status, report.price) == ("DELIVERED_TO_HANDSET", 0.05)

        @pytest.mark.sms_scenario(None, delivery_delay="1s")
        def test_overrides_of_nothing_are_a_scenario(sms_gateway):
            pass

        class TestClassMarker:
            pytestmark = pytest.mark.sms_scenario(SLOW)

            def test_class_marker_is_closer(self, sms_gateway):
                assert sms_gateway.scenario.name == "slow"
        """
    )
    result = run(pytester)
    result.assert_outcomes(passed=7, errors=1)
    result.stdout.fnmatch_lines(
        ["*test_overrides_of_nothing_are_a_scenario*", "*delivery_delay*unknown key*"]
    )


def test_marker_mistakes_are_explained(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.sms_scenario("absent_subscribr")
        def test_unknown_name(sms_gateway):
            pass

        @pytest.mark.sms_scenario("version: 1\\nrules: [{match: {prefx: '4'}, never: true}]")
        def test_bad_yaml(sms_gateway):
            pass

        @pytest.mark.sms_scenario("a", "b")
        def test_two_arguments(sms_gateway):
            pass

        @pytest.mark.sms_scenario(42)
        def test_a_number(sms_gateway):
            pass

        @pytest.mark.sms_scenario("missing/file.yaml")
        def test_missing_file(sms_gateway):
            pass
        """
    )
    result = run(pytester)
    result.assert_outcomes(errors=5)
    result.stdout.fnmatch_lines(
        [
            "sms_scenario: absent_subscribr: (document): no shipped scenario called "
            "'absent_subscribr'; did you mean 'absent_subscriber'?; shipped: absent_subscriber,*",
        ]
    )
    result.stdout.fnmatch_lines(["*<inline scenario>:2:*rules[[]0[]].match.prefx: unknown key*"])
    result.stdout.fnmatch_lines(["*takes one scenario*got 2 positional arguments*"])
    result.stdout.fnmatch_lines(["*a scenario is a name, a path, YAML text or a mapping, not int*"])
    result.stdout.fnmatch_lines(["*missing/file.yaml: (document): no such scenario file*"])
    assert "Traceback" not in result.stdout.str()
    assert "During handling" not in result.stdout.str()


def test_factory_loads_inline_scenarios(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(slow_text=f"SLOW = {SLOW!r}")
    pytester.makepyfile(
        """
        from helpers import send
        from slow_text import SLOW
        from simulator.scenario import Scenario

        def test_yaml_then_mapping(sms_gateway, sms_scenario):
            loaded = sms_scenario(SLOW)
            assert isinstance(loaded, Scenario) and sms_gateway.scenario is loaded
            send(sms_gateway)
            sms_gateway.advance("2m")
            assert sms_gateway.message().status == "DELIVERED_TO_HANDSET"
            sms_scenario({"version": 1, "rules": [{"reject": "REJECTED_NOT_ENOUGH_CREDITS"}]})
            assert sms_gateway.messages() == []  # loading resets
            send(sms_gateway)
            assert sms_gateway.message().status == "REJECTED_NOT_ENOUGH_CREDITS"

        def test_name_with_overrides(sms_scenario, sms_gateway):
            sms_scenario("absent_subscriber", seed=5)
            assert sms_gateway.scenario.seed == 5

        def test_mistake(sms_scenario):
            sms_scenario({"version": 2})
        """
    )
    result = run(pytester)
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*sms_scenario: <inline scenario>: version: unsupported version*"])


# -- options --------------------------------------------------------------------------------------
OPTIONS_TEST = """
import os
from helpers import send

def test_options(sms_gateway):
    expected = os.environ["EXPECTED"].split(",")
    assert sms_gateway.now_datetime().isoformat() == expected[0]
    assert sms_gateway.api_key == expected[1]
    assert str(sms_gateway.scenario and sms_gateway.scenario.name) == expected[2]
    with open("message-id.txt", "w") as out:
        out.write(send(sms_gateway)["messages"][0]["messageId"])
"""


def _message_id(result: pytest.RunResult) -> str:
    result.assert_outcomes(passed=1)
    return Path("message-id.txt").read_text()


def test_command_line_options(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makepyfile(OPTIONS_TEST)
    folder = pytester.mkdir("my_scenarios")
    (folder / "slow.yaml").write_text(SLOW)
    monkeypatch.setenv("EXPECTED", "2026-01-01T09:00:00+00:00,test-api-key,None")
    plain = _message_id(run(pytester))
    assert _message_id(run(pytester)) == plain  # deterministic
    monkeypatch.setenv("EXPECTED", "2030-05-06T07:08:09+00:00,k-123,slow")
    seeded = _message_id(
        run(
            pytester,
            "--sms-seed=7",
            "--sms-start=2030-05-06T07:08:09Z",
            "--sms-api-key=k-123",
            "--sms-scenario-dir",
            str(folder),
            "--sms-scenario=slow",
        )
    )
    assert seeded != plain


def test_ini_settings(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makepyfile(OPTIONS_TEST)
    (pytester.mkdir("my_scenarios") / "slow.yaml").write_text(SLOW)
    pytester.makeini(
        """
        [pytest]
        filterwarnings = error
        asyncio_default_fixture_loop_scope = function
        sms_seed = 7
        sms_start = 2030-05-06T07:08:09Z
        sms_api_key = k-123
        sms_scenario_dirs = my_scenarios
        sms_scenario = slow
        """
    )
    monkeypatch.setenv("EXPECTED", "2030-05-06T07:08:09+00:00,k-123,slow")
    from_ini = _message_id(run(pytester))
    monkeypatch.setenv("EXPECTED", "2030-05-06T07:08:09+00:00,k-123,absent_subscriber")
    flag_wins = _message_id(run(pytester, "-s", "--sms-scenario=absent_subscriber"))
    assert from_ini == flag_wins  # same seed


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("--sms-seed=seven", "*--sms-seed / sms_seed: not an integer: 'seven'*"),
        ("--sms-start=tomorrow", "*--sms-start / sms_start: 'tomorrow' is not a date-time*"),
        ("--sms-sim-url=localhost:9000", "*--sms-sim-url / sms_sim_url: not an http(s) URL*"),
    ],
)
def test_bad_options_are_usage_errors(pytester: pytest.Pytester, flag: str, message: str) -> None:
    pytester.makepyfile("def test_nothing(): pass")
    result = run(pytester, flag)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: {message}"])


def test_scenario_names_prefer_the_scenario_dirs(pytester: pytest.Pytester) -> None:
    folder = pytester.mkdir("ours")
    (folder / "absent_subscriber.yml").write_text(SLOW)
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.sms_scenario("absent_subscriber")
        def test_ours(sms_gateway):
            assert sms_gateway.scenario.name == "slow"

        @pytest.mark.sms_scenario("nowhere")
        def test_nowhere(sms_gateway):
            pass
        """
    )
    result = run(pytester, f"--sms-scenario-dir={folder}")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [f"*no nowhere.yaml in the scenario directories either ({folder})*"]
    )
