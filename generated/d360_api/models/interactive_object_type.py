from enum import StrEnum


class InteractiveObjectType(StrEnum):
    BUTTON = "button"
    CALL_PERMISSION_REQUEST = "call_permission_request"
    CATALOG_MESSAGE = "catalog_message"
    FLOW = "flow"
    LIST = "list"
    PRODUCT = "product"
    PRODUCT_LIST = "product_list"

    def __str__(self) -> str:
        return str(self.value)
