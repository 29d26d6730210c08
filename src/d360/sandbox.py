"""A local stand-in for upstream's `/messages` that enforces the spec, keeps what it accepted, and fails on request.

    with d360.sandbox.running(api_keys=["test-key"]) as sandbox:
        client = d360.Client(api_key="test-key", base_url=sandbox.base_url)
        client.send_text("4915112345678", "Hello")
        assert sandbox.received()[0].body["text"] == {"body": "Hello"}

The app is Starlette served by uvicorn on 127.0.0.1 (the `sandbox` extra). Faults (rate limits, 5xx,
throttling, latency) are off until asked for, so what passes here is what the contract allows.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import json
import math
import random
import socket
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import attrs

from d360.errors import ConfigurationError
from d360.validation import limit_problems, schema_problems, spec

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

DEFAULT_API_KEY = "sandbox-key"
DEFAULT_KEEP = 10_000
INSPECTION_PATH = "/_sandbox/messages"


@attrs.define
class Faults:
    """Failures to inject; each share is a probability from 0 to 1. All off by default."""

    rate_limit: float | None = None
    """Requests per second allowed; beyond that, 429 with `Retry-After`."""
    server_error_rate: float = 0.0
    """Share of messages answered 500 (after which upstream may or may not have delivered)."""
    unavailable_rate: float = 0.0
    """Share answered 503."""
    throttle_rate: float = 0.0
    """Share answered with upstream's throttling error: 400 carrying Meta's code 130429."""
    latency: float = 0.0
    """Seconds added before every answer."""
    seed: int | None = None


@attrs.frozen
class ReceivedMessage:
    """A message the sandbox accepted, with the id it answered."""

    message_id: str
    body: dict[str, Any]
    received_at: float

    def to_dict(self) -> dict[str, Any]:
        return {"message_id": self.message_id, "body": self.body, "received_at": self.received_at}


class Sandbox:
    """The app and what it has seen. Safe to read from another thread while it serves."""

    def __init__(
        self,
        api_keys: Sequence[str] = (DEFAULT_API_KEY,),
        *,
        faults: Faults | None = None,
        keep: int = DEFAULT_KEEP,
        enforce_limits: bool = False,
    ) -> None:
        if not api_keys:
            raise ConfigurationError("the sandbox needs at least one API key")
        self.api_keys = frozenset(api_keys)
        self.faults = faults or Faults()
        self.enforce_limits = enforce_limits
        """Also refuse what upstream's documented limits refuse (text length, buttons, phone numbers)."""
        self._received: collections.deque[ReceivedMessage] = collections.deque(maxlen=keep)
        self._lock = threading.Lock()
        self._request_times: collections.deque[float] = collections.deque()
        self._random = random.Random(self.faults.seed)
        self.accepted_count = 0
        """Every message accepted since start, including those no longer kept."""
        self.read_receipts: collections.deque[str] = collections.deque(maxlen=keep)
        self.app = self._build_app()

    def received(self) -> list[ReceivedMessage]:
        """The accepted messages still kept (the newest `keep`), oldest first."""
        with self._lock:
            return list(self._received)

    def clear(self) -> None:
        with self._lock:
            self._received.clear()
            self.read_receipts.clear()
            self.accepted_count = 0

    def _build_app(self) -> Starlette:
        try:
            from starlette.applications import Starlette
            from starlette.routing import Route
        except ImportError:  # pragma: no cover - depends on the install
            raise ConfigurationError(
                "the sandbox needs Starlette and uvicorn: pip install 'd360-messaging[sandbox]'"
            ) from None
        return Starlette(
            routes=[
                Route("/openapi.json", self._openapi, methods=["GET"]),
                Route("/messages", self._messages, methods=["POST"]),
                Route(INSPECTION_PATH, self._inspect, methods=["GET", "DELETE"]),
            ]
        )

    async def _openapi(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        return JSONResponse(spec())

    async def _inspect(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        if request.method == "DELETE":
            self.clear()
            return JSONResponse({"cleared": True})
        with self._lock:
            kept = [message.to_dict() for message in self._received]
            receipts = list(self.read_receipts)
        return JSONResponse({"accepted_count": self.accepted_count, "messages": kept, "read_receipts": receipts})

    async def _messages(self, request: Request) -> Response:
        from starlette.responses import JSONResponse

        if request.headers.get("D360-API-KEY") not in self.api_keys:
            return JSONResponse({"error": "Invalid api_key: send a sandbox key in the D360-API-KEY header"}, 401)
        limited = self._rate_limited()
        if limited is not None:
            return limited
        if self.faults.latency:
            await asyncio.sleep(self.faults.latency)
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError) as exc:
            return JSONResponse({"error": f"request body is not valid JSON: {exc}"}, 400)
        except RecursionError:
            return JSONResponse({"error": "request body is nested too deeply"}, 400)
        if _is_read_receipt(body):
            with self._lock:
                self.read_receipts.append(body["message_id"])
            return JSONResponse({"success": True})
        try:
            problems = schema_problems(body)
            if not problems and self.enforce_limits:
                problems = limit_problems(body)
        except RecursionError:
            return JSONResponse({"error": "request body is nested too deeply"}, 400)
        if problems:
            return JSONResponse({"error": f"invalid message: {problems[0]}"}, 400)
        injected = self._injected_failure()
        if injected is not None:
            return injected
        return JSONResponse(self._accept(body))

    def _rate_limited(self) -> Response | None:
        from starlette.responses import JSONResponse

        allowed = self.faults.rate_limit
        if allowed is None:
            return None
        now = time.monotonic()
        with self._lock:
            while self._request_times and self._request_times[0] <= now - 1.0:
                self._request_times.popleft()
            if len(self._request_times) >= allowed:
                wait = max(1, math.ceil(self._request_times[0] + 1.0 - now))
                return JSONResponse({"error": "Too Many Requests"}, 429, headers={"Retry-After": str(wait)})
            self._request_times.append(now)
        return None

    def _injected_failure(self) -> Response | None:
        from starlette.responses import JSONResponse

        draw = self._random.random()
        faults = self.faults
        if draw < faults.server_error_rate:
            return JSONResponse({"error": "Internal server error (injected by the sandbox)"}, 500)
        draw -= faults.server_error_rate
        if draw < faults.unavailable_rate:
            return JSONResponse({"error": "Service unavailable (injected by the sandbox)"}, 503)
        draw -= faults.unavailable_rate
        if draw < faults.throttle_rate:
            return JSONResponse({"error": {
                "message": "(#130429) Rate limit hit", "type": "OAuthException", "code": 130429,
                "error_data": {"messaging_product": "whatsapp",
                               "details": "Cloud API message throughput has been reached."},
                "fbtrace_id": f"Sandbox{uuid.uuid4().hex[:12]}",
            }}, 400)  # fmt: skip
        return None

    def _accept(self, body: dict[str, Any]) -> dict[str, Any]:
        message_id = "wamid." + base64.urlsafe_b64encode(uuid.uuid4().bytes + b"sandbox").decode().rstrip("=")
        with self._lock:
            self._received.append(ReceivedMessage(message_id=message_id, body=body, received_at=time.time()))
            self.accepted_count += 1
        to = body["to"]
        wa_id = "".join(character for character in to if character.isdigit()) or to
        if body.get("recipient_type") == "group":
            wa_id = to
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": wa_id}],
            "messages": [{"id": message_id, "message_status": "accepted"}],
        }


def _is_read_receipt(body: Any) -> bool:
    return (
        isinstance(body, dict)
        and body.get("status") == "read"
        and isinstance(body.get("message_id"), str)
        and body.get("messaging_product") == "whatsapp"
        and "type" not in body
    )


@attrs.define
class RunningSandbox:
    """A sandbox served in a background thread; `base_url` is where to point a client."""

    sandbox: Sandbox
    base_url: str
    _server: Any = attrs.field(repr=False)
    _thread: threading.Thread = attrs.field(repr=False)

    def received(self) -> list[ReceivedMessage]:
        return self.sandbox.received()

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


def bind(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening socket; port 0 picks a free one."""
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and
    # without it every answer waits out the client's delayed ACK (40 ms).
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(2048)
    return listener


def server_for(sandbox: Sandbox) -> Any:
    try:
        import uvicorn
    except ImportError:  # pragma: no cover - depends on the install
        raise ConfigurationError("the sandbox needs uvicorn: pip install 'd360-messaging[sandbox]'") from None
    config = uvicorn.Config(sandbox.app, log_level="warning", access_log=False, lifespan="off")
    return uvicorn.Server(config)


def start(sandbox: Sandbox | None = None, *, host: str = "127.0.0.1", port: int = 0) -> RunningSandbox:
    """Serve a sandbox in a background thread and return once it accepts connections."""
    sandbox = sandbox or Sandbox()
    listener = bind(host, port)
    server = server_for(sandbox)
    # Signals belong to the main thread; a background server must not install handlers.
    server.install_signal_handlers = lambda: None
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True, name="d360-sandbox")
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the sandbox server did not start")
        time.sleep(0.005)
    bound_port = listener.getsockname()[1]
    return RunningSandbox(sandbox=sandbox, base_url=f"http://{host}:{bound_port}", server=server, thread=thread)


@contextmanager
def running(
    api_keys: Sequence[str] = (DEFAULT_API_KEY,), *, faults: Faults | None = None, keep: int = DEFAULT_KEEP,
    enforce_limits: bool = False, port: int = 0,
) -> Iterator[RunningSandbox]:  # fmt: skip
    """A sandbox served for the length of a `with` block."""
    served = start(Sandbox(api_keys, faults=faults, keep=keep, enforce_limits=enforce_limits), port=port)
    try:
        yield served
    finally:
        served.stop()


def serve_forever(sandbox: Sandbox, *, host: str = "127.0.0.1", port: int = 8360) -> None:
    """Serve in the foreground until Ctrl-C or SIGTERM (uvicorn handles both and shuts down cleanly)."""
    listener = bind(host, port)
    server_for(sandbox).run(sockets=[listener])
