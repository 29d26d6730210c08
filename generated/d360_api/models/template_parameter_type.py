from enum import StrEnum


class TemplateParameterType(StrEnum):
    ACTION = "action"
    COUPON_CODE = "coupon_code"
    CURRENCY = "currency"
    DATE_TIME = "date_time"
    DOCUMENT = "document"
    GIF = "gif"
    IMAGE = "image"
    LIMITED_TIME_OFFER = "limited_time_offer"
    LOCATION = "location"
    PAYLOAD = "payload"
    PRODUCT = "product"
    TAP_TARGET_CONFIGURATION = "tap_target_configuration"
    TEXT = "text"
    VIDEO = "video"

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> "TemplateParameterType | None":
        """A value the spec does not list yet is kept, not refused: upstream adds values before the spec does."""
        if not isinstance(value, str) or isinstance(value, bool):
            return None
        member = str.__new__(cls, value)
        member._name_ = str(value)
        member._value_ = value
        return member
