"""Contains all the data models used in inputs/outputs"""

from .action_object import ActionObject
from .append_request import AppendRequest
from .block_user import BlockUser
from .block_users_api_error import BlockUsersAPIError
from .block_users_api_error_error_data import BlockUsersAPIErrorErrorData
from .block_users_error_response import BlockUsersErrorResponse
from .block_users_request import BlockUsersRequest
from .block_users_request_messaging_product import BlockUsersRequestMessagingProduct
from .block_users_response import BlockUsersResponse
from .block_users_result import BlockUsersResult
from .blocked_user_result import BlockedUserResult
from .body_object import BodyObject
from .business_encryption_info import BusinessEncryptionInfo
from .business_profile_data import BusinessProfileData
from .command import Command
from .command_request import CommandRequest
from .contact_card import ContactCard
from .contact_card_addresses_item import ContactCardAddressesItem
from .contact_card_emails_item import ContactCardEmailsItem
from .contact_card_name import ContactCardName
from .contact_card_org import ContactCardOrg
from .contact_card_phones_item import ContactCardPhonesItem
from .contact_card_urls_item import ContactCardUrlsItem
from .conversational_automation import ConversationalAutomation
from .conversational_automation_request import ConversationalAutomationRequest
from .conversational_automation_response import ConversationalAutomationResponse
from .create_group_request import CreateGroupRequest
from .create_group_request_join_approval_mode import CreateGroupRequestJoinApprovalMode
from .create_group_request_messaging_product import CreateGroupRequestMessagingProduct
from .create_group_response import CreateGroupResponse
from .create_template import CreateTemplate
from .currency import Currency
from .date_time import DateTime
from .delete_destination_request import DeleteDestinationRequest
from .delete_response import DeleteResponse
from .delete_template_response import DeleteTemplateResponse
from .destination import Destination
from .destination_headers import DestinationHeaders
from .destination_request import DestinationRequest
from .destination_request_headers import DestinationRequestHeaders
from .enable_request import EnableRequest
from .error_resp import ErrorResp
from .error_response import ErrorResponse
from .error_response_error_type_1 import ErrorResponseErrorType1
from .error_response_error_type_1_error_data import ErrorResponseErrorType1ErrorData
from .failed_join_request import FailedJoinRequest
from .failed_participant import FailedParticipant
from .failed_user import FailedUser
from .footer_object import FooterObject
from .get_active_groups_data import GetActiveGroupsData
from .get_active_groups_response import GetActiveGroupsResponse
from .get_all_multi_webhooks_resp import GetAllMultiWebhooksResp
from .get_blocked_users_data_item import GetBlockedUsersDataItem
from .get_blocked_users_response import GetBlockedUsersResponse
from .get_business_profile_response import GetBusinessProfileResponse
from .get_business_public_key_response import GetBusinessPublicKeyResponse
from .get_conversational_automation_response import GetConversationalAutomationResponse
from .get_health_status_response import GetHealthStatusResponse
from .get_join_requests_response import GetJoinRequestsResponse
from .get_message_template_library_response import GetMessageTemplateLibraryResponse
from .group_error import GroupError
from .group_info import GroupInfo
from .group_paging import GroupPaging
from .group_paging_cursors import GroupPagingCursors
from .group_participant import GroupParticipant
from .group_summary import GroupSummary
from .header_object import HeaderObject
from .header_object_type import HeaderObjectType
from .health_entity import HealthEntity
from .health_error import HealthError
from .health_status import HealthStatus
from .interactive_object import InteractiveObject
from .interactive_object_type import InteractiveObjectType
from .invite_link_request import InviteLinkRequest
from .invite_link_request_messaging_product import InviteLinkRequestMessagingProduct
from .invite_link_response import InviteLinkResponse
from .join_request import JoinRequest
from .join_requests_request import JoinRequestsRequest
from .join_requests_request_messaging_product import JoinRequestsRequestMessagingProduct
from .join_requests_response import JoinRequestsResponse
from .language_object import LanguageObject
from .library_button_input import LibraryButtonInput
from .library_button_input_url import LibraryButtonInputUrl
from .location_message import LocationMessage
from .media_info import MediaInfo
from .media_object import MediaObject
from .message import Message
from .message_context import MessageContext
from .message_recipient_type import MessageRecipientType
from .message_response_payload import MessageResponsePayload
from .message_template_library_item import MessageTemplateLibraryItem
from .message_type import MessageType
from .mime_type import MimeType
from .paging import Paging
from .paging_cursors import PagingCursors
from .paging_info import PagingInfo
from .paging_info_cursors import PagingInfoCursors
from .participant_request import ParticipantRequest
from .participants_request import ParticipantsRequest
from .participants_request_messaging_product import ParticipantsRequestMessagingProduct
from .participants_response import ParticipantsResponse
from .pin_object import PinObject
from .pin_object_type import PinObjectType
from .reaction_message import ReactionMessage
from .read_receipt import ReadReceipt
from .read_receipt_status import ReadReceiptStatus
from .read_receipt_typing_indicator import ReadReceiptTypingIndicator
from .read_receipt_typing_indicator_type import ReadReceiptTypingIndicatorType
from .response_contact import ResponseContact
from .response_message import ResponseMessage
from .response_message_message_status import ResponseMessageMessageStatus
from .set_business_public_key_request import SetBusinessPublicKeyRequest
from .set_business_public_key_response import SetBusinessPublicKeyResponse
from .success_resp import SuccessResp
from .success_response import SuccessResponse
from .template import Template
from .template_category import TemplateCategory
from .template_component import TemplateComponent
from .template_component_cards_item import TemplateComponentCardsItem
from .template_component_sub_type import TemplateComponentSubType
from .template_component_type import TemplateComponentType
from .template_definition_button import TemplateDefinitionButton
from .template_definition_component import TemplateDefinitionComponent
from .template_definition_component_cards_item import (
    TemplateDefinitionComponentCardsItem,
)
from .template_definition_component_example import TemplateDefinitionComponentExample
from .template_definition_component_type import TemplateDefinitionComponentType
from .template_library_button import TemplateLibraryButton
from .template_library_button_url import TemplateLibraryButtonURL
from .template_list import TemplateList
from .template_list_filters import TemplateListFilters
from .template_message import TemplateMessage
from .template_parameter import TemplateParameter
from .template_parameter_action import TemplateParameterAction
from .template_parameter_action_flow_action_data_type_0 import (
    TemplateParameterActionFlowActionDataType0,
)
from .template_parameter_limited_time_offer import TemplateParameterLimitedTimeOffer
from .template_parameter_product import TemplateParameterProduct
from .template_parameter_tap_target_configuration_item import (
    TemplateParameterTapTargetConfigurationItem,
)
from .template_parameter_type import TemplateParameterType
from .text_message import TextMessage
from .update_business_profile_request import UpdateBusinessProfileRequest
from .update_business_profile_request_messaging_product import (
    UpdateBusinessProfileRequestMessagingProduct,
)
from .update_business_profile_response import UpdateBusinessProfileResponse
from .update_group_photo_request import UpdateGroupPhotoRequest
from .update_group_photo_request_messaging_product import (
    UpdateGroupPhotoRequestMessagingProduct,
)
from .update_group_settings_request import UpdateGroupSettingsRequest
from .update_group_settings_request_messaging_product import (
    UpdateGroupSettingsRequestMessagingProduct,
)
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
    "AppendRequest",
    "BlockUser",
    "BlockUsersAPIError",
    "BlockUsersAPIErrorErrorData",
    "BlockUsersErrorResponse",
    "BlockUsersRequest",
    "BlockUsersRequestMessagingProduct",
    "BlockUsersResponse",
    "BlockUsersResult",
    "BlockedUserResult",
    "BodyObject",
    "BusinessEncryptionInfo",
    "BusinessProfileData",
    "Command",
    "CommandRequest",
    "ContactCard",
    "ContactCardAddressesItem",
    "ContactCardEmailsItem",
    "ContactCardName",
    "ContactCardOrg",
    "ContactCardPhonesItem",
    "ContactCardUrlsItem",
    "ConversationalAutomation",
    "ConversationalAutomationRequest",
    "ConversationalAutomationResponse",
    "CreateGroupRequest",
    "CreateGroupRequestJoinApprovalMode",
    "CreateGroupRequestMessagingProduct",
    "CreateGroupResponse",
    "CreateTemplate",
    "Currency",
    "DateTime",
    "DeleteDestinationRequest",
    "DeleteResponse",
    "DeleteTemplateResponse",
    "Destination",
    "DestinationHeaders",
    "DestinationRequest",
    "DestinationRequestHeaders",
    "EnableRequest",
    "ErrorResp",
    "ErrorResponse",
    "ErrorResponseErrorType1",
    "ErrorResponseErrorType1ErrorData",
    "FailedJoinRequest",
    "FailedParticipant",
    "FailedUser",
    "FooterObject",
    "GetActiveGroupsData",
    "GetActiveGroupsResponse",
    "GetAllMultiWebhooksResp",
    "GetBlockedUsersDataItem",
    "GetBlockedUsersResponse",
    "GetBusinessProfileResponse",
    "GetBusinessPublicKeyResponse",
    "GetConversationalAutomationResponse",
    "GetHealthStatusResponse",
    "GetJoinRequestsResponse",
    "GetMessageTemplateLibraryResponse",
    "GroupError",
    "GroupInfo",
    "GroupPaging",
    "GroupPagingCursors",
    "GroupParticipant",
    "GroupSummary",
    "HeaderObject",
    "HeaderObjectType",
    "HealthEntity",
    "HealthError",
    "HealthStatus",
    "InteractiveObject",
    "InteractiveObjectType",
    "InviteLinkRequest",
    "InviteLinkRequestMessagingProduct",
    "InviteLinkResponse",
    "JoinRequest",
    "JoinRequestsRequest",
    "JoinRequestsRequestMessagingProduct",
    "JoinRequestsResponse",
    "LanguageObject",
    "LibraryButtonInput",
    "LibraryButtonInputUrl",
    "LocationMessage",
    "MediaInfo",
    "MediaObject",
    "Message",
    "MessageContext",
    "MessageRecipientType",
    "MessageResponsePayload",
    "MessageTemplateLibraryItem",
    "MessageType",
    "MimeType",
    "Paging",
    "PagingCursors",
    "PagingInfo",
    "PagingInfoCursors",
    "ParticipantRequest",
    "ParticipantsRequest",
    "ParticipantsRequestMessagingProduct",
    "ParticipantsResponse",
    "PinObject",
    "PinObjectType",
    "ReactionMessage",
    "ReadReceipt",
    "ReadReceiptStatus",
    "ReadReceiptTypingIndicator",
    "ReadReceiptTypingIndicatorType",
    "ResponseContact",
    "ResponseMessage",
    "ResponseMessageMessageStatus",
    "SetBusinessPublicKeyRequest",
    "SetBusinessPublicKeyResponse",
    "SuccessResp",
    "SuccessResponse",
    "Template",
    "TemplateCategory",
    "TemplateComponent",
    "TemplateComponentCardsItem",
    "TemplateComponentSubType",
    "TemplateComponentType",
    "TemplateDefinitionButton",
    "TemplateDefinitionComponent",
    "TemplateDefinitionComponentCardsItem",
    "TemplateDefinitionComponentExample",
    "TemplateDefinitionComponentType",
    "TemplateLibraryButton",
    "TemplateLibraryButtonURL",
    "TemplateList",
    "TemplateListFilters",
    "TemplateMessage",
    "TemplateParameter",
    "TemplateParameterAction",
    "TemplateParameterActionFlowActionDataType0",
    "TemplateParameterLimitedTimeOffer",
    "TemplateParameterProduct",
    "TemplateParameterTapTargetConfigurationItem",
    "TemplateParameterType",
    "TextMessage",
    "UpdateBusinessProfileRequest",
    "UpdateBusinessProfileRequestMessagingProduct",
    "UpdateBusinessProfileResponse",
    "UpdateGroupPhotoRequest",
    "UpdateGroupPhotoRequestMessagingProduct",
    "UpdateGroupSettingsRequest",
    "UpdateGroupSettingsRequestMessagingProduct",
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
