from enum import StrEnum


class Vertical(StrEnum):
    ALCOHOL = "ALCOHOL"
    APPAREL = "APPAREL"
    AUTO = "AUTO"
    BEAUTY = "BEAUTY"
    EDU = "EDU"
    ENTERTAIN = "ENTERTAIN"
    EVENT_PLAN = "EVENT_PLAN"
    FINANCE = "FINANCE"
    GOVT = "GOVT"
    GROCERY = "GROCERY"
    HEALTH = "HEALTH"
    HOTEL = "HOTEL"
    NONPROFIT = "NONPROFIT"
    NOT_A_BIZ = "NOT_A_BIZ"
    ONLINE_GAMBLING = "ONLINE_GAMBLING"
    OTC_DRUGS = "OTC_DRUGS"
    OTHER = "OTHER"
    PHYSICAL_GAMBLING = "PHYSICAL_GAMBLING"
    PROF_SERVICES = "PROF_SERVICES"
    RESTAURANT = "RESTAURANT"
    RETAIL = "RETAIL"
    TRAVEL = "TRAVEL"
    UNDEFINED = "UNDEFINED"

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> "Vertical | None":
        """A value the spec does not list yet is kept, not refused: upstream adds values before the spec does."""
        if not isinstance(value, str) or isinstance(value, bool):
            return None
        member = str.__new__(cls, value)
        member._name_ = str(value)
        member._value_ = value
        return member
