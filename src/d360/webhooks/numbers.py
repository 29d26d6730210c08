"""`NumberRegistry`: which 360dialog API key answers from which of your WhatsApp numbers.

One app often serves several numbers, each with its own API key. The registry maps each number (its
`phone_number_id`, and its display number if you give it) to its key, and hands out one client per number,
made on first use and kept, so a handler answers from the number that received the message:

    numbers = NumberRegistry({"106540352242922": os.environ["KEY_SHOP"], "106540352242923": os.environ["KEY_HELP"]})
    numbers = NumberRegistry.from_env()   # D360_NUMBERS=pnid:key,... and D360_API_KEY_<PNID>=key
    numbers.client_for(event).send_text(event.from_, "Thanks!")

Keys never appear in a message, a repr or a log line: only the numbers do.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from d360.errors import ConfigurationError
from d360.webhooks.events import Event

if TYPE_CHECKING:
    from d360.client import AsyncClient, Client

NUMBERS_ENVIRONMENT = "D360_NUMBERS"
"""`pnid:key,pnid:key`: every number with its key, in one variable."""
KEY_ENVIRONMENT_PREFIX = "D360_API_KEY_"
"""`D360_API_KEY_<PNID>=key`: one variable per number."""


class UnknownNumberError(ConfigurationError):
    """An event came to a number the registry has no API key for (it names the number, never a key)."""


def _phone_number_id(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        raise ConfigurationError(f"{where}: a phone_number_id is the number's id in digits, not {value!r}")
    return value


def digits(display_phone_number: str) -> str:
    """A display number as upstream sends it (digits only): "+1 555-078-3881" and "15550783881" are one."""
    return "".join(character for character in display_phone_number if character.isascii() and character.isdigit())


class NumberRegistry:
    """Your numbers and their API keys: `NumberRegistry({phone_number_id: api_key, ...})`, `add(...)`, or
    `from_env()`. `client_options` go to every client made (`base_url`, `timeout`, `max_retries`, ...)."""

    def __init__(self, keys: Mapping[str, str] | None = None, **client_options: Any) -> None:
        if "api_key" in client_options:
            raise ConfigurationError("each number has its own API key: give them as {phone_number_id: api_key}")
        self.client_options = client_options
        self._keys: dict[str, str] = {}
        self._display: dict[str, str] = {}
        self._lock = threading.Lock()
        self._clients: dict[str, Client] = {}
        # One per event loop and number: an async client's connections belong to the loop that made them.
        self._async_clients: dict[tuple[int, str], tuple[asyncio.AbstractEventLoop, AsyncClient]] = {}
        for phone_number_id, api_key in (keys or {}).items():
            self.add(phone_number_id, api_key)

    def add(self, phone_number_id: str, api_key: str, *, display_phone_number: str | None = None) -> None:
        """Answer from `phone_number_id` with `api_key`; `display_phone_number` finds it by that number too."""
        phone_number_id = _phone_number_id(phone_number_id, "NumberRegistry")
        if not isinstance(api_key, str) or not api_key.strip():
            raise ConfigurationError(f"the API key for number {phone_number_id} is empty")
        with self._lock:
            if phone_number_id in self._keys and self._keys[phone_number_id] != api_key:
                raise ConfigurationError(f"number {phone_number_id} is given two different API keys")
            self._keys[phone_number_id] = api_key
            if display_phone_number is not None:
                shown = digits(display_phone_number)
                if not shown:
                    raise ConfigurationError(f"{display_phone_number!r} is not a phone number")
                if self._display.get(shown, phone_number_id) != phone_number_id:
                    raise ConfigurationError(f"display number {shown} is given to two numbers")
                self._display[shown] = phone_number_id

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **client_options: Any) -> NumberRegistry:
        """The numbers in `D360_NUMBERS` (`pnid:key,pnid:key`) and in `D360_API_KEY_<PNID>` variables.

        Also reads D360_BASE_URL, as every client does. A malformed entry is refused, naming the variable
        and the number, never the key. `D360_API_KEY_<name>` variables whose name is not all digits are not
        numbers, and are left alone."""
        environ = os.environ if environ is None else environ
        registry = cls(**client_options)
        listed = environ.get(NUMBERS_ENVIRONMENT, "")
        for position, entry in enumerate(listed.split(","), start=1):
            if not entry.strip():
                continue
            phone_number_id, colon, api_key = entry.strip().partition(":")
            if not colon:
                raise ConfigurationError(
                    f"${NUMBERS_ENVIRONMENT}: entry {position} is not phone_number_id:api_key (no ':' in it)"
                )
            registry.add(_phone_number_id(phone_number_id.strip(), f"${NUMBERS_ENVIRONMENT} entry {position}"), api_key)
        for name, api_key in environ.items():
            suffix = name[len(KEY_ENVIRONMENT_PREFIX) :]
            # Only digits name a number: D360_API_KEY_FILE and the like are someone else's. A number mistyped
            # here is still caught: its events raise UnknownNumberError naming it.
            if name.startswith(KEY_ENVIRONMENT_PREFIX) and suffix.isascii() and suffix.isdigit():
                registry.add(suffix, api_key)
        return registry

    @property
    def numbers(self) -> frozenset[str]:
        """The phone_number_ids the registry has a key for."""
        return frozenset(self._keys)

    def __contains__(self, number: object) -> bool:
        return isinstance(number, str) and self._find(number) is not None

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"NumberRegistry(numbers={sorted(self._keys)})"  # never the keys

    def _find(self, number: str) -> str | None:
        if number in self._keys:
            return number
        return self._display.get(digits(number))

    def number_of(self, event_or_number: Event | str) -> str:
        """The phone_number_id an event came to (or a number given), known to the registry; else
        `UnknownNumberError` naming it."""
        if isinstance(event_or_number, Event):
            candidates = [event_or_number.phone_number_id, event_or_number.display_phone_number]
            named = event_or_number.phone_number_id or event_or_number.display_phone_number
            if named is None:
                raise UnknownNumberError(
                    f"{type(event_or_number).__name__} {event_or_number.dedup_key} names no phone number "
                    "(template events are per business account): choose the number to answer from yourself"
                )
        else:
            candidates, named = [event_or_number], event_or_number
        for candidate in candidates:
            found = self._find(candidate) if candidate else None
            if found is not None:
                return found
        known = ", ".join(sorted(self._keys)) or "none"
        raise UnknownNumberError(
            f"no API key for number {named}: add it (NumberRegistry.add, ${NUMBERS_ENVIRONMENT} or "
            f"${KEY_ENVIRONMENT_PREFIX}{named}); numbers with a key: {known}"
        )

    def api_key_for(self, event_or_number: Event | str) -> str:
        return self._keys[self.number_of(event_or_number)]

    def client_for(self, event_or_number: Event | str) -> Client:
        """The client answering from the number an event came to: one per number, made once, kept until
        `close`."""
        from d360.client import Client

        number = self.number_of(event_or_number)
        with self._lock:
            client = self._clients.get(number)
            if client is None:
                client = self._clients[number] = Client(api_key=self._keys[number], **self.client_options)
            return client

    def async_client_for(self, event_or_number: Event | str) -> AsyncClient:
        """The asyncio client answering from the number an event came to, for the running event loop: one
        per number and loop, kept until `aclose`. Call it inside the coroutine that uses it. (Under WSGI each
        coroutine handler runs in an `asyncio.run` of its own, so each gets a new client: use `client_for`
        there.)"""
        from d360.client import AsyncClient

        number = self.number_of(event_or_number)
        loop = asyncio.get_running_loop()
        with self._lock:
            # A loop that has ended took its clients' connections with it: they are dropped, not reused.
            for key, (client_loop, _) in list(self._async_clients.items()):
                if client_loop.is_closed():
                    del self._async_clients[key]
            found = self._async_clients.get((id(loop), number))
            if found is None:
                client = AsyncClient(api_key=self._keys[number], **self.client_options)
                self._async_clients[(id(loop), number)] = (loop, client)
                return client
            return found[1]

    def close(self) -> None:
        """Close the blocking clients (the async ones need `aclose`, on their loop)."""
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.close()

    async def aclose(self) -> None:
        """Close every client: the blocking ones, and the async ones made on this event loop (those of other
        loops are dropped: only their own loop could close them)."""
        self.close()
        loop = asyncio.get_running_loop()
        with self._lock:
            ours = [client for client_loop, client in self._async_clients.values() if client_loop is loop]
            self._async_clients = {}
        for client in ours:
            await client.aclose()


def numbers_filter(what: str, value: str | Iterable[str] | None, *, display: bool = False) -> frozenset[str] | None:
    """A handler's `phone_number_id=` or `display_phone_number=` filter as a set (display numbers as digits)."""
    if value is None:
        return None
    names = [value] if isinstance(value, str) else list(value)
    if not names:
        raise ConfigurationError(f"{what} filters are non-empty strings")
    if display:
        shown = [digits(name) if isinstance(name, str) else "" for name in names]
        if not all(shown):
            raise ConfigurationError(f"{what} filters are phone numbers, not {value!r}")
        return frozenset(shown)
    return frozenset(_phone_number_id(name, what) for name in names)
