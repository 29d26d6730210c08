"""client.set_webhook / get_webhook: the body upstream takes, its URL rules, retries, and the sandbox's twin."""

from __future__ import annotations

from typing import Any

import pytest

import d360
from d360 import sandbox
from tests.scripted_server import Reply, ScriptedServer

CONFIG = {"url": "https://hooks.example.com/whatsapp", "headers": {"X-Partner-Auth": "s3cret"}}


def test_set_webhook_posts_url_and_headers_and_returns_the_config(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(200, CONFIG))
    config = make_client().call("set_webhook", CONFIG["url"], headers=CONFIG["headers"])
    (request,) = server.requests
    assert (request.method, request.path) == ("POST", "/v1/configs/webhook")
    assert request.json() == CONFIG and request.headers["D360-API-KEY"]
    assert config.url == CONFIG["url"] and config.headers == CONFIG["headers"]


def test_get_webhook_reads_the_config_and_an_unset_url_is_none(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(200, CONFIG), Reply(200, {"url": ""}))
    client = make_client()
    assert client.call("get_webhook").url == CONFIG["url"]
    unset = client.call("get_webhook")
    assert unset.url is None and unset.headers == {}
    assert [request.method for request in server.requests] == ["GET", "GET"]


def test_webhook_calls_are_retried_even_after_ambiguous_failures(make_client: Any, server: ScriptedServer) -> None:
    # Setting the same URL twice changes nothing, so a 500 (which a send would not retry) is retried here.
    server.script(Reply(500, {"error": "oops"}), Reply(reset=True), Reply(200, CONFIG))
    assert make_client().call("set_webhook", CONFIG["url"]).url == CONFIG["url"]
    assert len(server.requests) == 3


def test_an_answer_without_a_config_is_an_unexpected_response(make_client: Any, server: ScriptedServer) -> None:
    server.script(Reply(200, ["not", "a", "config"]))
    with pytest.raises(d360.UnexpectedResponseError, match="webhook configuration"):
        make_client().call("get_webhook")


@pytest.mark.parametrize(
    ("url", "headers", "problem"),
    [
        ("http://hooks.example.com/x", None, "must use https"),
        ("https://my_hooks.example.com/x", None, "underscore"),
        ("https://hooks.example.com:8443/x", None, "has a port"),
        ("hooks.example.com/x", None, "absolute http"),
        ("", None, "non-empty string"),
        ("https://hooks.example.com/a b", None, "no spaces"),
        ("https://hooks.example.com/x", {"Bad Name": "v"}, "not a valid header name"),
        ("https://hooks.example.com/x", {"X-Ok": "two\r\nlines"}, "one line"),
        ("https://hooks.example.com/x", ["X-Ok"], "mapping"),
    ],
)
def test_a_webhook_upstream_would_refuse_is_a_validation_error_before_sending(
    url: str, headers: Any, problem: str
) -> None:
    client = d360.Client(api_key="k", base_url="https://waba-v2.360dialog.io")
    with pytest.raises(d360.ValidationError, match=problem) as raised:
        client.set_webhook(url, headers=headers)
    client.close()
    assert str(raised.value).startswith("invalid webhook configuration")


def test_a_local_sandbox_takes_a_local_http_url_and_delivers_there() -> None:
    with sandbox.running() as served, d360.Client(api_key=served.api_key, base_url=served.base_url) as client:
        assert client.get_webhook().url is None
        config = client.set_webhook("http://127.0.0.1:9/hooks", headers={"X-Auth": "k"})
        assert config.url == "http://127.0.0.1:9/hooks" and client.get_webhook().headers == {"X-Auth": "k"}
        assert served.sandbox.webhooks.settings.url == "http://127.0.0.1:9/hooks"
        with pytest.raises(d360.AuthenticationError):
            d360.Client(api_key="wrong", base_url=served.base_url, max_retries=0).get_webhook()
