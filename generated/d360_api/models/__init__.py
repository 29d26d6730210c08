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
from .call_action_request import CallActionRequest
from .call_action_request_action import CallActionRequestAction
from .call_action_response import CallActionResponse
from .call_info import CallInfo
from .call_permissions_response import CallPermissionsResponse
from .call_permissions_response_actions_item import CallPermissionsResponseActionsItem
from .call_permissions_response_actions_item_limits_item import (
    CallPermissionsResponseActionsItemLimitsItem,
)
from .call_permissions_response_permission import CallPermissionsResponsePermission
from .call_session import CallSession
from .call_session_sdp_type import CallSessionSdpType
from .calling_settings_request import CallingSettingsRequest
from .calling_settings_request_call_hours import CallingSettingsRequestCallHours
from .calling_settings_request_call_hours_status import (
    CallingSettingsRequestCallHoursStatus,
)
from .calling_settings_request_call_icon_visibility import (
    CallingSettingsRequestCallIconVisibility,
)
from .calling_settings_request_callback_permission_status import (
    CallingSettingsRequestCallbackPermissionStatus,
)
from .calling_settings_request_sip import CallingSettingsRequestSip
from .calling_settings_request_sip_status import CallingSettingsRequestSipStatus
from .calling_settings_request_srtp_key_exchange_protocol import (
    CallingSettingsRequestSrtpKeyExchangeProtocol,
)
from .calling_settings_request_status import CallingSettingsRequestStatus
from .calling_settings_response import CallingSettingsResponse
from .calling_settings_response_audio import CallingSettingsResponseAudio
from .calling_settings_response_call_hours import CallingSettingsResponseCallHours
from .calling_settings_response_call_icons import CallingSettingsResponseCallIcons
from .calling_settings_response_ip_addresses import CallingSettingsResponseIpAddresses
from .calling_settings_response_restrictions import CallingSettingsResponseRestrictions
from .calling_settings_response_sip import CallingSettingsResponseSip
from .calling_settings_response_sip_servers_item import (
    CallingSettingsResponseSipServersItem,
)
from .calling_settings_response_video import CallingSettingsResponseVideo
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
from .dataset_quality_acr import DatasetQualityACR
from .dataset_quality_event_entry import DatasetQualityEventEntry
from .dataset_quality_event_entry_data_freshness import (
    DatasetQualityEventEntryDataFreshness,
)
from .dataset_quality_event_entry_dedupe_key_feedback_item import (
    DatasetQualityEventEntryDedupeKeyFeedbackItem,
)
from .dataset_quality_event_entry_event_coverage import (
    DatasetQualityEventEntryEventCoverage,
)
from .dataset_quality_event_entry_event_match_quality import (
    DatasetQualityEventEntryEventMatchQuality,
)
from .date_time import DateTime
from .delete_destination_request import DeleteDestinationRequest
from .delete_response import DeleteResponse
from .delete_template_response import DeleteTemplateResponse
from .destination import Destination
from .destination_headers import DestinationHeaders
from .destination_request import DestinationRequest
from .destination_request_headers import DestinationRequestHeaders
from .enable_request import EnableRequest
from .enable_template_analytics_enable import EnableTemplateAnalyticsEnable
from .enable_template_analytics_response import EnableTemplateAnalyticsResponse
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
from .get_dataset_quality_response import GetDatasetQualityResponse
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
from .marketing_message_request import MarketingMessageRequest
from .marketing_message_request_messaging_product import (
    MarketingMessageRequestMessagingProduct,
)
from .marketing_message_request_product_policy import (
    MarketingMessageRequestProductPolicy,
)
from .marketing_message_request_recipient_type import (
    MarketingMessageRequestRecipientType,
)
from .marketing_message_request_type import MarketingMessageRequestType
from .marketing_message_response import MarketingMessageResponse
from .marketing_message_response_contacts_item import (
    MarketingMessageResponseContactsItem,
)
from .marketing_message_response_messages_item import (
    MarketingMessageResponseMessagesItem,
)
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
from .phone_number_settings_response import PhoneNumberSettingsResponse
from .phone_number_settings_response_payload_encryption import (
    PhoneNumberSettingsResponsePayloadEncryption,
)
from .phone_number_settings_response_storage_configuration import (
    PhoneNumberSettingsResponseStorageConfiguration,
)
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
from .template_analytics_response import TemplateAnalyticsResponse
from .template_analytics_response_data_item import TemplateAnalyticsResponseDataItem
from .template_analytics_response_paging import TemplateAnalyticsResponsePaging
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
from .update_settings_request import UpdateSettingsRequest
from .update_settings_response import UpdateSettingsResponse
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
    "CallActionRequest",
    "CallActionRequestAction",
    "CallActionResponse",
    "CallInfo",
    "CallPermissionsResponse",
    "CallPermissionsResponseActionsItem",
    "CallPermissionsResponseActionsItemLimitsItem",
    "CallPermissionsResponsePermission",
    "CallSession",
    "CallSessionSdpType",
    "CallingSettingsRequest",
    "CallingSettingsRequestCallHours",
    "CallingSettingsRequestCallHoursStatus",
    "CallingSettingsRequestCallIconVisibility",
    "CallingSettingsRequestCallbackPermissionStatus",
    "CallingSettingsRequestSip",
    "CallingSettingsRequestSipStatus",
    "CallingSettingsRequestSrtpKeyExchangeProtocol",
    "CallingSettingsRequestStatus",
    "CallingSettingsResponse",
    "CallingSettingsResponseAudio",
    "CallingSettingsResponseCallHours",
    "CallingSettingsResponseCallIcons",
    "CallingSettingsResponseIpAddresses",
    "CallingSettingsResponseRestrictions",
    "CallingSettingsResponseSip",
    "CallingSettingsResponseSipServersItem",
    "CallingSettingsResponseVideo",
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
    "DatasetQualityACR",
    "DatasetQualityEventEntry",
    "DatasetQualityEventEntryDataFreshness",
    "DatasetQualityEventEntryDedupeKeyFeedbackItem",
    "DatasetQualityEventEntryEventCoverage",
    "DatasetQualityEventEntryEventMatchQuality",
    "DateTime",
    "DeleteDestinationRequest",
    "DeleteResponse",
    "DeleteTemplateResponse",
    "Destination",
    "DestinationHeaders",
    "DestinationRequest",
    "DestinationRequestHeaders",
    "EnableRequest",
    "EnableTemplateAnalyticsEnable",
    "EnableTemplateAnalyticsResponse",
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
    "GetDatasetQualityResponse",
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
    "MarketingMessageRequest",
    "MarketingMessageRequestMessagingProduct",
    "MarketingMessageRequestProductPolicy",
    "MarketingMessageRequestRecipientType",
    "MarketingMessageRequestType",
    "MarketingMessageResponse",
    "MarketingMessageResponseContactsItem",
    "MarketingMessageResponseMessagesItem",
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
    "PhoneNumberSettingsResponse",
    "PhoneNumberSettingsResponsePayloadEncryption",
    "PhoneNumberSettingsResponseStorageConfiguration",
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
    "TemplateAnalyticsResponse",
    "TemplateAnalyticsResponseDataItem",
    "TemplateAnalyticsResponsePaging",
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
    "UpdateSettingsRequest",
    "UpdateSettingsResponse",
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
