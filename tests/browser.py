"""What the headless-browser tests share: the system's Chromium (from its packages, never a
downloaded build), driven by Playwright, with the flags that keep it quiet and local; and
the module-level skip, saying why, where it is absent and REQUIRE_BROWSER is not set
(.ci/run installs it and sets REQUIRE_BROWSER: CI fails rather than skips)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DARK = {"bg_color": "#17212b", "text_color": "#f5f5f5", "button_color": "#5288c1"}


def require_chromium() -> None:
    """Skip the calling test module where no browser can run it (called before it imports
    Playwright)."""
    if not CHROMIUM.exists() and not os.environ.get("REQUIRE_BROWSER"):
        pytest.skip(
            "no /usr/bin/chromium (apt-get install chromium; .ci/run does, and sets"
            " REQUIRE_BROWSER)",
            allow_module_level=True,
        )
