"""The pytest plugin for the Infobip SMS simulator (registered through ``pytest11``).

The helpers it uses live in :mod:`simulator.testing`; they are registered for pytest's
assertion rewriting here, before the plugin imports them.
"""

import pytest

pytest.register_assert_rewrite("simulator.testing")
