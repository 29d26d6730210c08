from enum import StrEnum


class ResponseMessageMessageStatus(StrEnum):
    ACCEPTED = "accepted"
    HELD_FOR_QUALITY_ASSESSMENT = "held_for_quality_assessment"
    PAUSED = "paused"

    def __str__(self) -> str:
        return str(self.value)
