from enum import StrEnum


class InteractiveObjectType(StrEnum):
    ADDRESS_MESSAGE = "address_message"
    BUTTON = "button"
    CALL_PERMISSION_REQUEST = "call_permission_request"
    CAROUSEL = "carousel"
    CATALOG_MESSAGE = "catalog_message"
    CTA_URL = "cta_url"
    FLOW = "flow"
    LIST = "list"
    LOCATION_REQUEST_MESSAGE = "location_request_message"
    ORDER_DETAILS = "order_details"
    ORDER_STATUS = "order_status"
    PRODUCT = "product"
    PRODUCT_LIST = "product_list"
    REQUEST_CONTACT_INFO = "request_contact_info"
    VOICE_CALL = "voice_call"

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> "InteractiveObjectType | None":
        """A value the spec does not list yet is kept, not refused: upstream adds values before the spec does."""
        if not isinstance(value, str) or isinstance(value, bool):
            return None
        member = str.__new__(cls, value)
        member._name_ = str(value)
        member._value_ = value
        return member
