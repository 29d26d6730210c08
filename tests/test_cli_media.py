"""`d360 media ...` and `d360 send image --file`, as real subprocesses against the sandbox."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from d360 import sandbox

TO = "4915112345678"


@pytest.fixture(scope="module")
def served() -> Iterator[sandbox.RunningSandbox]:
    with sandbox.running() as running:
        yield running


def d360(served: sandbox.RunningSandbox, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("D360_")}
    environment.update(D360_API_KEY=served.api_key, D360_BASE_URL=served.base_url)
    return subprocess.run([sys.executable, "-m", "d360", *arguments], capture_output=True, text=True,
                          env=environment, timeout=60, check=False)  # fmt: skip


def test_upload_info_download_delete_round_trip(served: sandbox.RunningSandbox, tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024)
    source = tmp_path / "report.pdf"
    source.write_bytes(data)
    uploaded = d360(served, "media", "upload", str(source), "--json")
    assert uploaded.returncode == 0, uploaded.stderr
    media_id = json.loads(uploaded.stdout)["id"]
    info = d360(served, "media", "info", media_id)
    assert info.returncode == 0 and f"{media_id}: application/pdf, {len(data)} bytes" in info.stdout
    target = tmp_path / "copy.pdf"
    downloaded = d360(served, "media", "download", media_id, "-o", str(target))
    assert downloaded.returncode == 0 and "sha256 checked" in downloaded.stdout
    assert target.read_bytes() == data
    to_stdout = subprocess.run(
        [sys.executable, "-m", "d360", "media", "download", media_id, "-o", "-"], capture_output=True, timeout=60,
        env={**os.environ, "D360_API_KEY": served.api_key, "D360_BASE_URL": served.base_url}, check=False,
    )  # fmt: skip
    assert to_stdout.returncode == 0 and to_stdout.stdout == data
    assert d360(served, "media", "delete", media_id).returncode == 0
    gone = d360(served, "media", "info", media_id)
    assert gone.returncode == 1 and "no media with id" in gone.stderr


def test_a_file_upstream_would_refuse_exits_2_and_sends_nothing(served: sandbox.RunningSandbox, tmp_path: Path) -> None:
    picture = tmp_path / "huge.png"
    picture.write_bytes(b"x" * (5 * 1024 * 1024 + 1))
    before = len(served.sandbox.media)
    result = d360(served, "media", "upload", str(picture))
    assert result.returncode == 2 and "images may be at most 5.0 MB" in result.stderr
    missing = d360(served, "media", "upload", str(tmp_path / "nope.png"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    assert len(served.sandbox.media) == before


def test_send_image_file_uploads_then_sends(served: sandbox.RunningSandbox, tmp_path: Path) -> None:
    photo = tmp_path / "parcel.jpg"
    photo.write_bytes(os.urandom(5000))
    result = d360(served, "send", "image", "--to", TO, "--file", str(photo), "--caption", "Packed!", "--json")
    assert result.returncode == 0, result.stderr
    body = served.received()[-1].body
    assert body["image"]["caption"] == "Packed!" and served.sandbox.media.get(body["image"]["id"]) is not None
    assert json.loads(result.stdout)["message_id"].startswith("wamid.")


def test_a_resumable_upload_prints_the_handle(served: sandbox.RunningSandbox, tmp_path: Path) -> None:
    video = tmp_path / "intro.mp4"
    video.write_bytes(os.urandom(200_000))
    result = d360(served, "media", "upload", str(video), "--resumable", "--json")
    assert result.returncode == 0, result.stderr
    handle = json.loads(result.stdout)["handle"]
    assert handle.startswith("2:") and any(
        session.handle == handle for session in served.sandbox.media.sessions.values()
    )
    misuse = d360(served, "media", "upload", str(video), "--session", "upload:abc")
    assert misuse.returncode == 2 and "use it with --resumable" in misuse.stderr
