"""A 100 MB upload and download with flat memory: the client's peak RSS, measured in its own process."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from d360 import sandbox

SIZE = 100_000_000
CHILD = """
import asyncio, hashlib, json, resource, sys
import d360

base_url, key, source, target, kind = sys.argv[1:]
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if kind == "sync":
    with d360.Client(api_key=key, base_url=base_url, timeout=120) as client:
        media_id = client.media.upload(source)
        info = client.media.download(media_id, target)
else:
    async def run():
        async with d360.AsyncClient(api_key=key, base_url=base_url, timeout=120) as client:
            media_id = await client.media.upload(source)
            return await client.media.download(media_id, target)
    info = asyncio.run(run())
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"baseline_kb": baseline, "peak_kb": peak, "size": info.file_size}))
"""


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    path = tmp_path_factory.mktemp("big") / "manual.pdf"
    digest = hashlib.sha256()
    with path.open("wb") as stream:
        block = bytes(range(256)) * 4096  # 1 MiB, varied enough
        written = 0
        while written < SIZE:
            chunk = block[: min(len(block), SIZE - written)]
            stream.write(chunk)
            digest.update(chunk)
            written += len(chunk)
    yield path, digest.hexdigest()
    path.unlink()


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_100_mb_upload_and_download_keep_the_clients_memory_flat(
    kind: str, big_file: tuple[Path, str], tmp_path: Path
) -> None:
    source, digest = big_file
    target = tmp_path / "copy.pdf"
    with sandbox.running(media_keep_bytes=256 << 20) as running:
        child = subprocess.run(
            [sys.executable, "-c", CHILD, running.base_url, running.api_key, str(source), str(target), kind],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    assert child.returncode == 0, child.stderr[-2000:]
    figures = json.loads(child.stdout)
    growth_mb = (figures["peak_kb"] - figures["baseline_kb"]) / 1024
    print(f"{kind}: peak RSS grew {growth_mb:.1f} MB moving {SIZE / 1e6:.0f} MB each way")
    assert figures["size"] == SIZE and target.stat().st_size == SIZE
    assert hashlib.sha256(target.read_bytes()).hexdigest() == digest
    assert growth_mb < 25, f"the client's peak RSS grew {growth_mb:.1f} MB"
