from enum import StrEnum


class TemplateComponentType(StrEnum):
    BODY = "body"
    BUTTON = "button"
    CAROUSEL = "carousel"
    HEADER = "header"
    LIMITED_TIME_OFFER = "limited_time_offer"
    TAP_TARGET_CONFIGURATION = "tap_target_configuration"

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> "TemplateComponentType | None":
        """A value the spec does not list yet is kept, not refused: upstream adds values before the spec does."""
        if not isinstance(value, str) or isinstance(value, bool):
            return None
        member = str.__new__(cls, value)
        member._name_ = str(value)
        member._value_ = value
        return member
