"""``python -m simulator`` is ``sms-sim``."""

from simulator.cli import main

raise SystemExit(main())
