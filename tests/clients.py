"""Runs the same call through `Client` or `AsyncClient`, so one test pins the behaviour of both."""

from __future__ import annotations

import asyncio
from typing import Any

import d360


class ClientUnderTest:
    def __init__(self, kind: str, **options: Any) -> None:
        self.kind = kind
        self.options = options
        self.sleeps: list[float] = []

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if self.kind == "sync":
            with d360.Client(sleep=self.sleeps.append, **self.options) as client:
                return getattr(client, method)(*args, **kwargs)

        async def record_sleep(seconds: float) -> None:
            self.sleeps.append(seconds)

        async def run() -> Any:
            async with d360.AsyncClient(sleep=record_sleep, **self.options) as client:
                return await getattr(client, method)(*args, **kwargs)

        return asyncio.run(run())
