from enum import StrEnum


class CreateGroupRequestJoinApprovalMode(StrEnum):
    APPROVAL_REQUIRED = "approval_required"
    AUTO_APPROVE = "auto_approve"

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> "CreateGroupRequestJoinApprovalMode | None":
        """A value the spec does not list yet is kept, not refused: upstream adds values before the spec does."""
        if not isinstance(value, str) or isinstance(value, bool):
            return None
        member = str.__new__(cls, value)
        member._name_ = str(value)
        member._value_ = value
        return member
