"""Builders for template components and parameters, so a template send reads like the template itself.

from d360 import templates as t
client.send_template("4915112345678", "order_update", "en", components=[
    t.header(t.image(link="https://example.com/box.jpg")),
    t.body(t.text("Anna"), t.currency("EUR 12.50", "EUR", 12500), t.date_time("May 4")),
    t.button(0, "url", t.text("order/8812")),
])
"""

from __future__ import annotations

from typing import Any, Literal

from d360.messages import media_object

Parameter = dict[str, Any]
Component = dict[str, Any]


def text(value: str) -> Parameter:
    return {"type": "text", "text": value}


def currency(fallback_value: str, code: str, amount_1000: int) -> Parameter:
    """An amount in thousandths of the unit: EUR 12.50 is `amount_1000=12500`."""
    return {
        "type": "currency",
        "currency": {"fallback_value": fallback_value, "code": code, "amount_1000": amount_1000},
    }


def date_time(fallback_value: str) -> Parameter:
    return {"type": "date_time", "date_time": {"fallback_value": fallback_value}}


def image(link: str | None = None, media_id: str | None = None) -> Parameter:
    return {"type": "image", "image": media_object(link, media_id)}


def video(link: str | None = None, media_id: str | None = None) -> Parameter:
    return {"type": "video", "video": media_object(link, media_id)}


def document(link: str | None = None, media_id: str | None = None, filename: str | None = None) -> Parameter:
    return {"type": "document", "document": media_object(link, media_id, filename=filename)}


def location(latitude: float, longitude: float, name: str | None = None, address: str | None = None) -> Parameter:
    place: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
    if name is not None:
        place["name"] = name
    if address is not None:
        place["address"] = address
    return {"type": "location", "location": place}


def header(*parameters: Parameter) -> Component:
    return {"type": "header", "parameters": list(parameters)}


def body(*parameters: Parameter) -> Component:
    return {"type": "body", "parameters": list(parameters)}


def button(index: int, sub_type: Literal["url", "quick_reply"], *parameters: Parameter) -> Component:
    """The parameters of the template's button at `index` (0-based): a URL suffix for `url` buttons."""
    return {"type": "button", "sub_type": sub_type, "index": index, "parameters": list(parameters)}
