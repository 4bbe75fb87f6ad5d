"""The deployment files: the image builds and its bot runs, where a Docker engine runs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def docker_engine() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        found = subprocess.run(["docker", "info"], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return found.returncode == 0


def test_the_dockerfile_is_pinned_small_and_not_root() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:\d+\.\d+\.\d+-slim-\w+$", text, re.M)
    assert re.search(r"^USER bot$", text, re.M)
    assert "-c requirements.lock" in text
    compose = (ROOT / "compose.yaml").read_text()
    assert re.search(r"image: postgres:\d+\.\d+", compose) and "build: ." in compose


@pytest.mark.skipif(not docker_engine(), reason="needs a running Docker engine")
def test_the_image_and_compose_file_build() -> None:
    tag = "influence-advisor-bot:test"
    built = subprocess.run(["docker", "build", "-q", "-t", tag, str(ROOT)], timeout=900)
    assert built.returncode == 0
    ran = subprocess.run(
        ["docker", "run", "--rm", tag, "python", "-m", "bot", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0 and "python -m bot" in ran.stdout
    user = subprocess.run(
        ["docker", "run", "--rm", tag, "id", "-u"], capture_output=True, text=True, timeout=120
    )
    assert user.stdout.strip() != "0"
    compose = subprocess.run(
        ["docker", "compose", "-f", str(ROOT / "compose.yaml"), "build", "bot"],
        cwd=ROOT,
        timeout=900,
    )
    assert compose.returncode == 0
