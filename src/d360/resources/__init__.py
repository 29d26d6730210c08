"""The API's tags as resources on the clients (`client.templates`, ...), each written once for both clients.

Each module is one tag: its requests and the reading of their answers as plain data and functions, and one
generic class whose methods build requests and hand them to a runner. `base` holds what every resource
shares: `Request`, `Page`, and the blocking and awaiting runners over the clients' retry loop.

    for template in client.templates.list(status="APPROVED"):
        print(template.name, template.language)

The names below are imported when first used: `import d360` loads this package for the clients' template
cache (`template_cache`), and a sender needs none of the rest.
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from d360.resources.automation import AsyncAutomation, Automation, Command, ConversationalAutomation
    from d360.resources.block_users import AsyncBlockUsers, BlockedUser, BlockResult, BlockUsers
    from d360.resources.calling import (
        AsyncCalling,
        Calling,
        CallingSettings,
        CallPermissions,
        CallResult,
    )
    from d360.resources.encryption import AsyncEncryption, BusinessPublicKey, Encryption
    from d360.resources.groups import AsyncGroups, CreatedGroup, Group, Groups, GroupSummary, JoinRequest
    from d360.resources.health import Health, HealthEntity
    from d360.resources.marketing import AsyncMarketing, DatasetQuality, Marketing, TemplateAnalytics
    from d360.resources.profile import AsyncProfile, BusinessProfile, Profile
    from d360.resources.templates import AsyncTemplates, LibraryTemplate, Template, Templates
    from d360.resources.webhook_destinations import (
        AsyncWebhookDestinations,
        Destination,
        MultiWebhook,
        WebhookDestinations,
    )

_MODULES = {
    "AsyncTemplates": "templates", "LibraryTemplate": "templates", "Template": "templates", "Templates": "templates",
    "Health": "health", "HealthEntity": "health",
    "BlockUsers": "block_users", "AsyncBlockUsers": "block_users", "BlockedUser": "block_users",
    "BlockResult": "block_users",
    "Profile": "profile", "AsyncProfile": "profile", "BusinessProfile": "profile",
    "Automation": "automation", "AsyncAutomation": "automation", "Command": "automation",
    "ConversationalAutomation": "automation",
    "Encryption": "encryption", "AsyncEncryption": "encryption", "BusinessPublicKey": "encryption",
    "WebhookDestinations": "webhook_destinations", "AsyncWebhookDestinations": "webhook_destinations",
    "Destination": "webhook_destinations", "MultiWebhook": "webhook_destinations",
    "Calling": "calling", "AsyncCalling": "calling", "CallingSettings": "calling", "CallPermissions": "calling",
    "CallResult": "calling",
    "Marketing": "marketing", "AsyncMarketing": "marketing", "DatasetQuality": "marketing",
    "TemplateAnalytics": "marketing",
    "Groups": "groups", "AsyncGroups": "groups", "CreatedGroup": "groups", "Group": "groups",
    "GroupSummary": "groups", "JoinRequest": "groups",
}  # fmt: skip
__all__ = [
    "AsyncAutomation",
    "AsyncBlockUsers",
    "AsyncCalling",
    "AsyncEncryption",
    "AsyncGroups",
    "AsyncMarketing",
    "AsyncProfile",
    "AsyncTemplates",
    "AsyncWebhookDestinations",
    "Automation",
    "BlockResult",
    "BlockUsers",
    "BlockedUser",
    "BusinessProfile",
    "BusinessPublicKey",
    "CallPermissions",
    "CallResult",
    "Calling",
    "CallingSettings",
    "Command",
    "ConversationalAutomation",
    "CreatedGroup",
    "DatasetQuality",
    "Destination",
    "Encryption",
    "Group",
    "GroupSummary",
    "Groups",
    "Health",
    "HealthEntity",
    "JoinRequest",
    "LibraryTemplate",
    "Marketing",
    "MultiWebhook",
    "Profile",
    "Template",
    "TemplateAnalytics",
    "Templates",
    "WebhookDestinations",
]  # fmt: skip


def __getattr__(name: str) -> object:
    if name not in _MODULES:
        raise AttributeError(f"module 'd360.resources' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"d360.resources.{_MODULES[name]}"), name)
    globals()[name] = value
    return value
