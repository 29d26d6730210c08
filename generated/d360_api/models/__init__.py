"""Contains all the data models used in inputs/outputs"""

from .action_object import ActionObject
from .body_object import BodyObject
from .currency import Currency
from .date_time import DateTime
from .error_resp import ErrorResp
from .footer_object import FooterObject
from .header_object import HeaderObject
from .header_object_type import HeaderObjectType
from .interactive_object import InteractiveObject
from .interactive_object_type import InteractiveObjectType
from .language_object import LanguageObject
from .location_message import LocationMessage
from .media_object import MediaObject
from .message import Message
from .message_context import MessageContext
from .message_recipient_type import MessageRecipientType
from .message_response_payload import MessageResponsePayload
from .message_type import MessageType
from .reaction_message import ReactionMessage
from .response_contact import ResponseContact
from .response_message import ResponseMessage
from .response_message_message_status import ResponseMessageMessageStatus
from .template_component import TemplateComponent
from .template_component_sub_type import TemplateComponentSubType
from .template_component_type import TemplateComponentType
from .template_message import TemplateMessage
from .template_parameter import TemplateParameter
from .template_parameter_type import TemplateParameterType
from .text_message import TextMessage

__all__ = (
    "ActionObject",
    "BodyObject",
    "Currency",
    "DateTime",
    "ErrorResp",
    "FooterObject",
    "HeaderObject",
    "HeaderObjectType",
    "InteractiveObject",
    "InteractiveObjectType",
    "LanguageObject",
    "LocationMessage",
    "MediaObject",
    "Message",
    "MessageContext",
    "MessageRecipientType",
    "MessageResponsePayload",
    "MessageType",
    "ReactionMessage",
    "ResponseContact",
    "ResponseMessage",
    "ResponseMessageMessageStatus",
    "TemplateComponent",
    "TemplateComponentSubType",
    "TemplateComponentType",
    "TemplateMessage",
    "TemplateParameter",
    "TemplateParameterType",
    "TextMessage",
)
