"""Message bodies in the shapes Meta's Cloud API reference documents, one per case, written from the reference,
and template definitions and answers in the shapes 360dialog's and Meta's template pages document.

Sources: the Cloud API reference for messages, template messages, interactive messages (CTA URL, flows,
catalogs, orders, location requests, addresses, voice calls, carousels) and typing indicators, and
Meta's published spec (`shared/upstream/cloud-api/`); `SOURCES` names each shape's page. Every message body here
must pass validation, reach the sandbox as sent (with the Cloud API's defaults filled in), and survive the
generated models' round trip;
every template definition and answer must match its schema in the effective spec and survive the models.
"""

from __future__ import annotations

from typing import Any

TO = "4915112345678"


def message(kind: str | None, content: Any, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": TO}
    if kind is not None:
        body["type"] = kind
        body[kind] = content
    body.update(extra)
    return body


def template(components: list[dict[str, Any]], name: str = "order_update") -> dict[str, Any]:
    return message("template", {"name": name, "language": {"code": "en_US"}, "components": components})


def interactive(content: dict[str, Any]) -> dict[str, Any]:
    return message("interactive", content)


IMAGE = {"link": "https://example.com/parcel.jpg"}

CORPUS: dict[str, dict[str, Any]] = {
    # Plain messages.
    "text": message("text", {"body": "Your order has shipped", "preview_url": True}),
    "text without type": {"messaging_product": "whatsapp", "recipient_type": "individual", "to": TO,
                          "text": {"body": "No type: the Cloud API reads text"}},
    "text without recipient_type": {"messaging_product": "whatsapp", "to": TO, "type": "text",
                                    "text": {"body": "No recipient_type: individual"}},
    "text without either": {"messaging_product": "whatsapp", "to": "+49 151 1234 5678", "text": {"body": "Bare"}},
    "text to a group": {"messaging_product": "whatsapp", "recipient_type": "group",
                        "to": "120363025246125486@g.us", "type": "text", "text": {"body": "Hello group"}},
    "text replying to a message": message("text", {"body": "Replying"}, context={"message_id": "wamid.HBgLMTIzNDU2"}),
    "text with callback data": message("text", {"body": "Tracked"}, biz_opaque_callback_data="campaign-7:line-12"),
    "image by link": message("image", {"link": "https://example.com/parcel.jpg", "caption": "Packed"}),
    "image by id": message("image", {"id": "1234567890123456"}),
    "audio voice note": message("audio", {"id": "1234567890123456", "voice": True}),
    "video": message("video", {"link": "https://example.com/unboxing.mp4", "caption": "Unboxing"}),
    "document": message("document", {"link": "https://example.com/invoice.pdf", "filename": "invoice-8812.pdf",
                                     "caption": "Your invoice"}),
    "sticker": message("sticker", {"id": "1234567890123456"}),
    "location": message("location", {"latitude": 52.52, "longitude": 13.405, "name": "Pickup point",
                                     "address": "Alexanderplatz 1, Berlin"}),
    "contacts": message("contacts", [{
        "name": {"formatted_name": "Anna Schmidt", "first_name": "Anna", "last_name": "Schmidt"},
        "phones": [{"phone": "+49 151 1234 5678", "type": "CELL", "wa_id": "4915112345678"}],
        "emails": [{"email": "anna@example.com", "type": "WORK"}],
        "addresses": [{"street": "Alexanderplatz 1", "city": "Berlin", "zip": "10178", "country": "Germany",
                       "country_code": "DE", "type": "WORK"}],
        "org": {"company": "Parcel GmbH", "department": "Support", "title": "Lead"},
        "urls": [{"url": "https://example.com", "type": "WORK"}],
        "birthday": "1990-05-04",
    }]),
    "reaction": message("reaction", {"message_id": "wamid.HBgLMTIzNDU2", "emoji": "\N{THUMBS UP SIGN}"}),
    "reaction removed": message("reaction", {"message_id": "wamid.HBgLMTIzNDU2", "emoji": ""}),
    # Interactive messages, every type.
    "interactive reply buttons": interactive({
        "type": "button", "header": {"type": "image", "image": IMAGE}, "body": {"text": "Keep the slot?"},
        "footer": {"text": "Parcel GmbH"},
        "action": {"buttons": [{"type": "reply", "reply": {"id": "keep", "title": "Keep it"}},
                               {"type": "reply", "reply": {"id": "move", "title": "Move it"}}]},
    }),
    "interactive list": interactive({
        "type": "list", "header": {"type": "text", "text": "Slots"}, "body": {"text": "Pick a slot"},
        "action": {"button": "Slots", "sections": [
            {"title": "Monday", "rows": [{"id": "mon-9", "title": "09:00", "description": "Morning"}]},
            {"title": "Tuesday", "rows": [{"id": "tue-9", "title": "09:00"}]},
        ]},
    }),
    "interactive cta_url": interactive({
        "type": "cta_url", "header": {"type": "text", "text": "Track"}, "body": {"text": "Where is my parcel?"},
        "action": {"name": "cta_url", "parameters": {"display_text": "Track it", "url": "https://example.com/t/8812"}},
    }),
    "interactive product": interactive({
        "type": "product", "body": {"text": "Back in stock"},
        "action": {"catalog_id": "367025965434465", "product_retailer_id": "SKU-8812"},
    }),
    "interactive product_list": interactive({
        "type": "product_list", "header": {"type": "text", "text": "Our picks"}, "body": {"text": "For you"},
        "action": {"catalog_id": "367025965434465",
                   "sections": [{"title": "Shoes", "product_items": [{"product_retailer_id": "SKU-1"}]}]},
    }),
    "interactive catalog_message": interactive({
        "type": "catalog_message", "body": {"text": "Browse the catalog"},
        "action": {"name": "catalog_message", "parameters": {"thumbnail_product_retailer_id": "SKU-1"}},
    }),
    "interactive flow": interactive({
        "type": "flow", "header": {"type": "text", "text": "Sign up"}, "body": {"text": "Two questions"},
        "action": {"name": "flow", "parameters": {
            "flow_message_version": "3", "flow_token": "token-8812", "flow_id": "1234567890",
            "flow_cta": "Start", "flow_action": "navigate",
            "flow_action_payload": {"screen": "WELCOME", "data": {"customer": "Anna"}},
        }},
    }),
    "interactive order_details": interactive({
        "type": "order_details", "body": {"text": "Your order"},
        "action": {"name": "review_and_pay", "parameters": {
            "reference_id": "order-8812", "type": "digital-goods", "payment_type": "br", "currency": "BRL",
            "total_amount": {"value": 21000, "offset": 100},
            "order": {"status": "pending", "items": [{"retailer_id": "SKU-1", "name": "Shoe",
                                                      "amount": {"value": 21000, "offset": 100}, "quantity": 1}],
                      "subtotal": {"value": 21000, "offset": 100}},
        }},
    }),
    "interactive order_status": interactive({
        "type": "order_status", "body": {"text": "Payment received"},
        "action": {"name": "review_order", "parameters": {"reference_id": "order-8812",
                                                          "order": {"status": "processing"}}},
    }),
    "interactive location_request_message": interactive({
        "type": "location_request_message", "body": {"text": "Where should we deliver?"},
        "action": {"name": "send_location"},
    }),
    "interactive address_message": interactive({
        "type": "address_message", "body": {"text": "Your delivery address, please"},
        "action": {"name": "address_message", "parameters": {"country": "IN"}},
    }),
    "interactive voice_call": interactive({
        "type": "voice_call", "body": {"text": "Call us"},
        "action": {"name": "voice_call", "parameters": {"display_text": "Call now", "ttl_minutes": 100}},
    }),
    "interactive call_permission_request": interactive({
        "type": "call_permission_request", "body": {"text": "May we call you?"},
        "action": {"name": "call_permission_request"},
    }),
    "interactive carousel": interactive({
        "type": "carousel", "body": {"text": "New arrivals"},
        "action": {"cards": [{"card_index": 0, "type": "cta_url", "header": {"type": "image", "image": IMAGE},
                              "action": {"name": "cta_url",
                                         "parameters": {"display_text": "Buy", "url": "https://example.com/1"}}}]},
    }),
    # Templates: every parameter type and button sub_type.
    "template body parameters": template([{"type": "body", "parameters": [
        {"type": "text", "text": "Anna"},
        {"type": "currency", "currency": {"fallback_value": "EUR 12.50", "code": "EUR", "amount_1000": 12500}},
        {"type": "date_time", "date_time": {"fallback_value": "May 4"}},
    ]}]),
    "template media headers": template([{"type": "header", "parameters": [{"type": "document", "document": {
        "link": "https://example.com/invoice.pdf", "filename": "invoice.pdf"}}]}]),
    "template location header": template([{"type": "header", "parameters": [{"type": "location", "location": {
        "latitude": 52.52, "longitude": 13.405, "name": "Store", "address": "Alexanderplatz 1"}}]}]),
    "template quick reply payloads": template([
        {"type": "body", "parameters": [{"type": "text", "text": "Anna"}]},
        {"type": "button", "sub_type": "quick_reply", "index": "0",
         "parameters": [{"type": "payload", "payload": "CONFIRM-8812"}]},
        {"type": "button", "sub_type": "quick_reply", "index": 1,
         "parameters": [{"type": "payload", "payload": "CANCEL-8812"}]},
    ]),
    "template url button": template([{"type": "button", "sub_type": "url", "index": "0",
                                      "parameters": [{"type": "text", "text": "orders/8812"}]}]),
    "template copy_code button": template([{"type": "button", "sub_type": "copy_code", "index": "0",
                                            "parameters": [{"type": "coupon_code", "coupon_code": "SAVE25"}]}]),
    "template flow button": template([{"type": "button", "sub_type": "flow", "index": "0", "parameters": [
        {"type": "action", "action": {"flow_token": "token-8812", "flow_action_data": {"customer": "Anna"}}}]}]),
    "template catalog button": template([{"type": "button", "sub_type": "catalog", "index": "0", "parameters": [
        {"type": "action", "action": {"thumbnail_product_retailer_id": "SKU-1"}}]}]),
    # Meta's own send examples write these sub_types in upper case; the Cloud API takes either case.
    "template catalog button as Meta's guide writes it": template([
        {"type": "body", "parameters": [{"type": "text", "text": "100"}, {"type": "text", "text": "400"},
                                        {"type": "text", "text": "3"}]},
        {"type": "button", "sub_type": "CATALOG", "index": 0, "parameters": [
            {"type": "action", "action": {"thumbnail_product_retailer_id": "2lc20305pt"}}]},
    ], name="intro_catalog_offer"),
    "template copy_code button as Meta's guide writes it": template([
        {"type": "button", "sub_type": "COPY_CODE", "index": 0,
         "parameters": [{"type": "coupon_code", "coupon_code": "25OFF"}]},
    ], name="coupon_code_fall2023_25off"),
    "template mpm button": template([{"type": "button", "sub_type": "mpm", "index": "0", "parameters": [
        {"type": "action", "action": {"thumbnail_product_retailer_id": "SKU-1", "sections": [
            {"title": "Picks", "product_items": [{"product_retailer_id": "SKU-1"}]}]}}]}]),
    "template voice_call button": template([{"type": "button", "sub_type": "voice_call", "index": 0}]),
    "template order_details button": template([{"type": "button", "sub_type": "order_details", "index": 0,
                                                "parameters": [{"type": "action", "action": {
                                                    "order_details": {"reference_id": "order-8812"}}}]}]),
    "template limited time offer": template([
        {"type": "limited_time_offer", "parameters": [{"type": "limited_time_offer",
                                                       "limited_time_offer": {"expiration_time_ms": 1767225600000}}]},
        {"type": "button", "sub_type": "copy_code", "index": 0,
         "parameters": [{"type": "coupon_code", "coupon_code": "XMAS"}]},
    ]),
    "template product card": template([{"type": "header", "parameters": [
        {"type": "product", "product": {"product_retailer_id": "SKU-1", "catalog_id": "367025965434465"}}]}]),
    "template carousel": template([
        {"type": "body", "parameters": [{"type": "text", "text": "Anna"}]},
        {"type": "carousel", "cards": [
            {"card_index": 0, "components": [
                {"type": "header", "parameters": [{"type": "image", "image": IMAGE}]},
                {"type": "button", "sub_type": "quick_reply", "index": "0",
                 "parameters": [{"type": "payload", "payload": "MORE-1"}]},
            ]},
            {"card_index": 1, "components": [
                {"type": "header", "parameters": [{"type": "image", "image": {"id": "1234567890123456"}}]},
                {"type": "button", "sub_type": "url", "index": "1",
                 "parameters": [{"type": "text", "text": "item/2"}]},
            ]},
        ]},
    ]),
    "template image header": template([{"type": "header", "parameters": [{"type": "image", "image": IMAGE}]}]),
    "template video header": template([{"type": "header", "parameters": [{"type": "video", "video": {
        "link": "https://example.com/unboxing.mp4"}}]}]),
    "template GIF header": template([
        {"type": "header", "parameters": [{"type": "gif", "gif": {"link": "https://example.com/offer.mp4"}}]},
        {"type": "body", "parameters": [{"type": "text", "text": "Anna"}]},
    ], name="gif_offer"),
    "template GIF header as partners write it": template([
        {"type": "header", "parameters": [{"type": "GIF", "gif": {"link": "https://example.com/offer.mp4"}}]},
        {"type": "body"},
    ], name="gif_offer"),
    "template tap target": template([
        {"type": "header", "parameters": [{"type": "image", "image": IMAGE}]},
        {"type": "tap_target_configuration", "parameters": [{"type": "tap_target_configuration",
            "tap_target_configuration": [{"url": "https://example.com/offer", "title": "Offer details"}]}]},
    ], name="plant_offer"),
    # Upper-case kinds, as template definitions write them and widely used clients send them.
    "template components in upper case": template([
        {"type": "HEADER", "parameters": [{"type": "IMAGE", "image": IMAGE}]},
        {"type": "BODY", "parameters": [{"type": "TEXT", "text": "Anna"}]},
        {"type": "BUTTON", "sub_type": "QUICK_REPLY", "index": "0",
         "parameters": [{"type": "PAYLOAD", "payload": "CONFIRM-8812"}]},
        {"type": "BUTTON", "sub_type": "URL", "index": "1", "parameters": [{"type": "TEXT", "text": "orders/8812"}]},
    ]),
    "template limited time offer in upper case": template([
        {"type": "LIMITED_TIME_OFFER", "parameters": [{"type": "limited_time_offer",
                                                       "limited_time_offer": {"expiration_time_ms": 1767225600000}}]},
        {"type": "BUTTON", "sub_type": "COPY_CODE", "index": 0,
         "parameters": [{"type": "coupon_code", "coupon_code": "XMAS"}]},
    ]),
    # Optional fields given as null, which the Cloud API reads as absent.
    "location with null name and address": message("location", {"latitude": 52.52, "longitude": 13.405,
                                                                "name": None, "address": None}),
    "contacts with null fields": message("contacts", [{
        "name": {"formatted_name": "Anna Schmidt", "first_name": "Anna", "last_name": None, "middle_name": None},
        "phones": [{"phone": "+49 151 1234 5678", "type": None, "wa_id": None}],
        "org": {"company": None, "department": None, "title": None},
        "birthday": None,
    }]),
    "template flow button with null token and data": template([{"type": "button", "sub_type": "flow", "index": "0",
        "parameters": [{"type": "action", "action": {"flow_token": None, "flow_action_data": None}}]}]),
    # Business-scoped user ids: a user known without a phone number.
    "text to a business-scoped user id": {"messaging_product": "whatsapp", "recipient_type": "individual",
                                          "recipient": "US.13491208655302741918", "type": "text",
                                          "text": {"body": "Your order has shipped"}},
    "interactive request_contact_info": {"messaging_product": "whatsapp", "recipient_type": "individual",
                                         "recipient": "US.13491208655302741918", "type": "interactive",
                                         "interactive": {"type": "request_contact_info",
                                                         "body": {"text": "Please share your phone number"},
                                                         "action": {"name": "request_contact_info"}}},
    # Groups: pin and unpin a message.
    "group pin": {"messaging_product": "whatsapp", "recipient_type": "group", "to": "120363025246125486@g.us",
                  "type": "pin", "pin": {"type": "pin", "message_id": "wamid.HBgLMTIzNDU2", "expiration_days": 7}},
    "group unpin": {"messaging_product": "whatsapp", "recipient_type": "group", "to": "120363025246125486@g.us",
                    "type": "pin", "pin": {"type": "unpin", "message_id": "wamid.HBgLMTIzNDU2"}},
}  # fmt: skip

MESSAGES_REFERENCE = "https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages"
TEMPLATE_MESSAGES = "https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates"
META_DOCS = "https://developers.facebook.com/documentation/business-messaging/whatsapp/"
INTERACTIVE = "https://developers.facebook.com/docs/whatsapp/cloud-api/messages/"
SOURCES: dict[str, str] = {
    **dict.fromkeys([name for name in CORPUS if not name.startswith(("interactive", "template"))], MESSAGES_REFERENCE),
    **dict.fromkeys([name for name in CORPUS if name.startswith("template")], TEMPLATE_MESSAGES),
    "interactive reply buttons": INTERACTIVE + "interactive-reply-buttons-messages",
    "interactive list": INTERACTIVE + "interactive-list-messages",
    "interactive cta_url": INTERACTIVE + "interactive-cta-url-messages",
    "interactive product": "https://developers.facebook.com/docs/whatsapp/cloud-api/guides/sell-products-and-services",
    "interactive product_list": "https://developers.facebook.com/docs/whatsapp/cloud-api/guides/sell-products-and-services",
    "interactive catalog_message": "https://developers.facebook.com/docs/whatsapp/cloud-api/guides/sell-products-and-services",
    "interactive flow": "https://developers.facebook.com/docs/whatsapp/flows/guides/sendingaflow",
    "interactive order_details": "https://developers.facebook.com/docs/whatsapp/cloud-api/payments-api/payments-in",
    "interactive order_status": "https://developers.facebook.com/docs/whatsapp/cloud-api/payments-api/payments-in",
    "interactive location_request_message": INTERACTIVE + "location-request-messages",
    "interactive address_message": INTERACTIVE + "address-messages",
    "interactive voice_call": META_DOCS + "calling",
    "interactive call_permission_request": META_DOCS + "calling",
    "interactive carousel": INTERACTIVE + "interactive-media-carousel-messages",
    "interactive request_contact_info": META_DOCS + "business-scoped-user-ids",
    "text to a business-scoped user id": META_DOCS + "business-scoped-user-ids",
    "group pin": META_DOCS + "groups/groups-messaging",
    "group unpin": META_DOCS + "groups/groups-messaging",
    "template catalog button as Meta's guide writes it": TEMPLATE_MESSAGES + "/catalog-template-messages",
    "template copy_code button as Meta's guide writes it": TEMPLATE_MESSAGES + "/coupon-templates",
    "template GIF header": META_DOCS + "templates/template-media",
    "template GIF header as partners write it": "https://partner-docs.gupshup.io/reference/sendmmlitegiftemplatemessage",
    "template tap target": META_DOCS + "templates/tap-target-url-title-override",
    "template flow button": "https://developers.facebook.com/docs/whatsapp/flows/guides/sendingaflow",
    "template flow button with null token and data": "https://developers.facebook.com/docs/whatsapp/flows/guides/sendingaflow",
}  # fmt: skip
"""Where each shape of the corpus comes from: the page that documents it."""


# Template definitions, as POST /v1/configs/templates takes them, each in the shape its source documents:
# 360dialog's template pages (create and manage, coupon code, catalog templates) and Meta's template guides.
TEMPLATE_DEFINITIONS: dict[str, dict[str, Any]] = {
    "utility with variables, examples and two kinds of button": {
        "name": "order_confirmation", "category": "UTILITY", "language": "en_US", "allow_category_change": True,
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "example": {"header_text": ["8812"]}},
            {"type": "BODY", "text": "Thank you for your order, {{1}}! Your confirmation number is {{2}}.",
             "example": {"body_text": [["Anna", "860198-230332"]]}},
            {"type": "FOOTER", "text": "Parcel GmbH"},
            {"type": "BUTTONS", "buttons": [
                {"type": "PHONE_NUMBER", "text": "Call", "phone_number": "+4915112345678"},
                {"type": "URL", "text": "Track", "url": "https://example.com/orders/{{1}}", "example": ["8812"]},
            ]},
        ],
    },
    "coupon code": {
        "name": "coupon_code_fall2023_25off", "category": "MARKETING", "language": "en_US",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Our Fall Sale is on!"},
            {"type": "BODY", "example": {"body_text": [["25OFF", "25%"]]},
             "text": "Shop now through November and use code {{1}} to get {{2}} off of all merchandise!"},
            {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Unsubscribe"},
                                            {"type": "COPY_CODE", "example": "250FF"}]},
        ],
    },
    "catalog": {
        "name": "intro_catalog_offer", "category": "MARKETING", "language": "en_US",
        "components": [
            {"type": "BODY", "text": "Now shop for your favourite products right here on WhatsApp! Get Rs {{1}} off on "
                                     "all orders above {{2}}Rs!", "example": {"body_text": [["100", "400"]]}},
            {"type": "FOOTER", "text": "Best grocery deals on WhatsApp!"},
            {"type": "BUTTONS", "buttons": [{"type": "CATALOG", "text": "View catalog"}]},
        ],
    },
    "image header": {
        "name": "parcel_photo", "category": "UTILITY", "language": "de",
        "components": [
            {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4::aW1hZ2UvanBlZw==:ARb..."]}},
            {"type": "BODY", "text": "Your parcel is packed."},
        ],
    },
    "flow button, as Meta's published spec writes it (a body type in lower case)": {
        "name": "flow_offer", "category": "MARKETING", "language": "en_US",
        "components": [
            {"text": "Check out this new offer", "type": "body"},
            {"buttons": [{"flow_action": "navigate", "flow_id": "1234567890", "navigate_screen": "WELCOME",
                          "text": "Check out this offer!", "type": "FLOW"}], "type": "BUTTONS"},
        ],
    },
    "from the template library": {
        "name": "delivery_update", "category": "UTILITY", "language": "en_US",
        "library_template_name": "delivery_update_1",
        "library_template_button_inputs": [
            {"type": "URL", "url": {"base_url": "https://www.example.com/{{1}}",
                                    "url_suffix_example": "https://www.example.com/demo"}},
            {"type": "PHONE_NUMBER", "phone_number": "+16315551010"},
        ],
    },
}  # fmt: skip

# Answers, in the shapes the template endpoints give them (see the overlay's actions for their sources).
TEMPLATE_LIST_ANSWER: dict[str, Any] = {
    "count": 1, "total": 3, "limit": 1, "offset": 0, "sort": ["business_templates.name"],
    "filters": {"business_templates.name": "order_confirmation"},
    "waba_templates": [{
        "id": "920070352646140", "name": "order_confirmation", "language": "en_US", "status": "APPROVED",
        "category": "UTILITY", "namespace": "c8ae5f90_307a_ca4c_b8f6_d1e2a2573574", "rejected_reason": "NONE",
        "quality_score": {"score": "GREEN", "date": 1714500000},
        "components": TEMPLATE_DEFINITIONS["utility with variables, examples and two kinds of button"]["components"],
    }],
}  # fmt: skip
TEMPLATE_LIBRARY_ANSWER: dict[str, Any] = {
    "data": [{
        "name": "delivery_update_1", "language": "en_US", "category": "UTILITY", "topic": "ORDER_MANAGEMENT",
        "usecase": "DELIVERY_UPDATE", "industry": ["E_COMMERCE"], "header": "Your order is on its way",
        "body": "Good news! Your order #{{1}} is on its way. Track it with {{2}}.",
        "body_params": ["12345", "UPS"], "body_param_types": ["TEXT", "TEXT"],
        "buttons": [{"type": "URL", "text": "Track order", "url": {"base_url": "https://www.example.com/{{1}}",
                                                                   "url_suffix_example": "https://www.example.com/demo"}}],
    }],
    "paging": {"cursors": {"before": "MAZDZD", "after": "MjQZD"}, "next": "https://waba-v2.360dialog.io/x"},
}  # fmt: skip
