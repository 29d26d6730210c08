"""The demo `make demo` runs: start the local sandbox, send five kinds of message, submit a template and
send it once approved, show what arrived.

Run it yourself with `.venv/bin/python examples/demo.py`; point it at upstream by replacing the sandbox
with `d360.Client()` and your D360_API_KEY.
"""

from __future__ import annotations

import json
import time

import d360
from d360 import sandbox
from d360 import templates as t

CUSTOMER = "+49 151 2345 6789"


def main() -> None:
    started = time.perf_counter()
    served = sandbox.start(sandbox.Sandbox(api_keys=["demo-key"], template_review_seconds=0.5))
    print(f"sandbox: Messaging API {d360.SPEC_VERSION} at {served.base_url}\n")
    try:
        with d360.Client(api_key="demo-key", base_url=served.base_url) as client:
            text = client.send_text(CUSTOMER, "Your order #8812 has shipped.")
            sends = [
                ("text", text),
                ("image", client.send_image(CUSTOMER, link="https://example.com/parcel.jpg", caption="Packed!")),
                ("template", client.send_template(CUSTOMER, "order_update", "en", components=[
                    t.header(t.image(link="https://example.com/parcel.jpg")),
                    t.body(t.text("Anna"), t.currency("EUR 12.50", "EUR", 12500), t.date_time("May 4")),
                    t.button(0, "url", t.text("orders/8812")),
                ])),
                ("reply buttons", client.send_buttons(CUSTOMER, "Is the delivery slot still good?",
                                                      [("keep", "Keep it"), ("move", "Move it")])),
                ("reaction", client.send_reaction(CUSTOMER, text.message_id, "\N{THUMBS UP SIGN}")),
            ]  # fmt: skip
            sends.append(("new template", send_a_new_template(client)))
        print(f"{'message':<14} {'status':<9} {'wa_id':<14} message_id")
        for kind, result in sends:
            print(f"{kind:<14} {result.status or '-':<9} {result.wa_id or '-':<14} {result.message_id}")
        print("\nwhat the sandbox received:")
        for received in served.received():
            body = received.body
            content = json.dumps(body[body["type"]], ensure_ascii=False)
            print(f"  {body['type']:<12} to {body['to']}: {content[:90]}{'...' if len(content) > 90 else ''}")
    finally:
        served.stop()
    print(f"\nsandbox stopped; {len(sends)} messages in {time.perf_counter() - started:.2f}s")


def send_a_new_template(client: d360.Client) -> d360.SendResult:
    """Submit a template, wait for its review (the sandbox takes half a second), then send it."""
    created = client.templates.create(name="parcel_delay", category="UTILITY", language="en", components=[
        {"type": "BODY", "text": "Sorry {{1}}, your parcel comes a day late.", "example": {"body_text": [["Anna"]]}},
    ])  # fmt: skip
    print(f"template {created.name} submitted: {created.status}")
    for _ in range(100):
        template = client.templates.get("parcel_delay", "en")
        if template.status != "PENDING":
            break
        time.sleep(0.05)
    print(f"template {template.name} reviewed: {template.status}\n")
    return client.send_template(CUSTOMER, "parcel_delay", "en", components=[t.body(t.text("Anna"))])


if __name__ == "__main__":
    main()
