from enum import StrEnum


class TemplateComponentSubType(StrEnum):
    QUICK_REPLY = "quick_reply"
    URL = "url"

    def __str__(self) -> str:
        return str(self.value)
