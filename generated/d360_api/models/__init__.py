"""Contains all the data models used in inputs/outputs"""

from .action_object import ActionObject
from .body_object import BodyObject
from .contact_card import ContactCard
from .contact_card_addresses_item import ContactCardAddressesItem
from .contact_card_emails_item import ContactCardEmailsItem
from .contact_card_name import ContactCardName
from .contact_card_org import ContactCardOrg
from .contact_card_phones_item import ContactCardPhonesItem
from .contact_card_urls_item import ContactCardUrlsItem
from .currency import Currency
from .date_time import DateTime
from .delete_response import DeleteResponse
from .error_resp import ErrorResp
from .footer_object import FooterObject
from .header_object import HeaderObject
from .header_object_type import HeaderObjectType
from .interactive_object import InteractiveObject
from .interactive_object_type import InteractiveObjectType
from .language_object import LanguageObject
from .location_message import LocationMessage
from .media_info import MediaInfo
from .media_object import MediaObject
from .message import Message
from .message_context import MessageContext
from .message_recipient_type import MessageRecipientType
from .message_response_payload import MessageResponsePayload
from .message_type import MessageType
from .mime_type import MimeType
from .reaction_message import ReactionMessage
from .read_receipt import ReadReceipt
from .read_receipt_status import ReadReceiptStatus
from .read_receipt_typing_indicator import ReadReceiptTypingIndicator
from .read_receipt_typing_indicator_type import ReadReceiptTypingIndicatorType
from .response_contact import ResponseContact
from .response_message import ResponseMessage
from .response_message_message_status import ResponseMessageMessageStatus
from .template_component import TemplateComponent
from .template_component_cards_item import TemplateComponentCardsItem
from .template_component_sub_type import TemplateComponentSubType
from .template_component_type import TemplateComponentType
from .template_message import TemplateMessage
from .template_parameter import TemplateParameter
from .template_parameter_action import TemplateParameterAction
from .template_parameter_action_flow_action_data import (
    TemplateParameterActionFlowActionData,
)
from .template_parameter_limited_time_offer import TemplateParameterLimitedTimeOffer
from .template_parameter_product import TemplateParameterProduct
from .template_parameter_type import TemplateParameterType
from .text_message import TextMessage
from .upload import Upload
from .upload_handle import UploadHandle
from .upload_messaging_product import UploadMessagingProduct
from .upload_response import UploadResponse
from .upload_session import UploadSession
from .upload_session_status import UploadSessionStatus
from .webhook_config import WebhookConfig
from .webhook_config_headers import WebhookConfigHeaders
from .webhook_config_response import WebhookConfigResponse
from .webhook_config_response_headers import WebhookConfigResponseHeaders

__all__ = (
    "ActionObject",
    "BodyObject",
    "ContactCard",
    "ContactCardAddressesItem",
    "ContactCardEmailsItem",
    "ContactCardName",
    "ContactCardOrg",
    "ContactCardPhonesItem",
    "ContactCardUrlsItem",
    "Currency",
    "DateTime",
    "DeleteResponse",
    "ErrorResp",
    "FooterObject",
    "HeaderObject",
    "HeaderObjectType",
    "InteractiveObject",
    "InteractiveObjectType",
    "LanguageObject",
    "LocationMessage",
    "MediaInfo",
    "MediaObject",
    "Message",
    "MessageContext",
    "MessageRecipientType",
    "MessageResponsePayload",
    "MessageType",
    "MimeType",
    "ReactionMessage",
    "ReadReceipt",
    "ReadReceiptStatus",
    "ReadReceiptTypingIndicator",
    "ReadReceiptTypingIndicatorType",
    "ResponseContact",
    "ResponseMessage",
    "ResponseMessageMessageStatus",
    "TemplateComponent",
    "TemplateComponentCardsItem",
    "TemplateComponentSubType",
    "TemplateComponentType",
    "TemplateMessage",
    "TemplateParameter",
    "TemplateParameterAction",
    "TemplateParameterActionFlowActionData",
    "TemplateParameterLimitedTimeOffer",
    "TemplateParameterProduct",
    "TemplateParameterType",
    "TextMessage",
    "Upload",
    "UploadHandle",
    "UploadMessagingProduct",
    "UploadResponse",
    "UploadSession",
    "UploadSessionStatus",
    "WebhookConfig",
    "WebhookConfigHeaders",
    "WebhookConfigResponse",
    "WebhookConfigResponseHeaders",
)
