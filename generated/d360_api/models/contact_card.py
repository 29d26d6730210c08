from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.contact_card_addresses_item import ContactCardAddressesItem
    from ..models.contact_card_emails_item import ContactCardEmailsItem
    from ..models.contact_card_name import ContactCardName
    from ..models.contact_card_org import ContactCardOrg
    from ..models.contact_card_phones_item import ContactCardPhonesItem
    from ..models.contact_card_urls_item import ContactCardUrlsItem


T = TypeVar("T", bound="ContactCard")


@_attrs_define
class ContactCard:
    """
    Attributes:
        addresses (list[ContactCardAddressesItem] | Unset):
        birthday (None | str | Unset):
        emails (list[ContactCardEmailsItem] | Unset):
        name (ContactCardName | Unset):
        org (ContactCardOrg | Unset):
        phones (list[ContactCardPhonesItem] | Unset):
        urls (list[ContactCardUrlsItem] | Unset):
    """

    addresses: list[ContactCardAddressesItem] | Unset = UNSET
    birthday: None | str | Unset = UNSET
    emails: list[ContactCardEmailsItem] | Unset = UNSET
    name: ContactCardName | Unset = UNSET
    org: ContactCardOrg | Unset = UNSET
    phones: list[ContactCardPhonesItem] | Unset = UNSET
    urls: list[ContactCardUrlsItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        addresses: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.addresses, Unset):
            addresses = []
            for addresses_item_data in self.addresses:
                addresses_item = addresses_item_data.to_dict()
                addresses.append(addresses_item)

        birthday: None | str | Unset
        if isinstance(self.birthday, Unset):
            birthday = UNSET
        else:
            birthday = self.birthday

        emails: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.emails, Unset):
            emails = []
            for emails_item_data in self.emails:
                emails_item = emails_item_data.to_dict()
                emails.append(emails_item)

        name: dict[str, Any] | Unset = UNSET
        if not isinstance(self.name, Unset):
            name = self.name.to_dict()

        org: dict[str, Any] | Unset = UNSET
        if not isinstance(self.org, Unset):
            org = self.org.to_dict()

        phones: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.phones, Unset):
            phones = []
            for phones_item_data in self.phones:
                phones_item = phones_item_data.to_dict()
                phones.append(phones_item)

        urls: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.urls, Unset):
            urls = []
            for urls_item_data in self.urls:
                urls_item = urls_item_data.to_dict()
                urls.append(urls_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if addresses is not UNSET:
            field_dict["addresses"] = addresses
        if birthday is not UNSET:
            field_dict["birthday"] = birthday
        if emails is not UNSET:
            field_dict["emails"] = emails
        if name is not UNSET:
            field_dict["name"] = name
        if org is not UNSET:
            field_dict["org"] = org
        if phones is not UNSET:
            field_dict["phones"] = phones
        if urls is not UNSET:
            field_dict["urls"] = urls

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.contact_card_addresses_item import ContactCardAddressesItem
        from ..models.contact_card_emails_item import ContactCardEmailsItem
        from ..models.contact_card_name import ContactCardName
        from ..models.contact_card_org import ContactCardOrg
        from ..models.contact_card_phones_item import ContactCardPhonesItem
        from ..models.contact_card_urls_item import ContactCardUrlsItem

        d = dict(src_dict)
        _addresses = d.pop("addresses", UNSET)
        addresses: list[ContactCardAddressesItem] | Unset = UNSET
        if _addresses is not UNSET:
            addresses = []
            for addresses_item_data in _addresses:
                addresses_item = ContactCardAddressesItem.from_dict(addresses_item_data)

                addresses.append(addresses_item)

        def _parse_birthday(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        birthday = _parse_birthday(d.pop("birthday", UNSET))

        _emails = d.pop("emails", UNSET)
        emails: list[ContactCardEmailsItem] | Unset = UNSET
        if _emails is not UNSET:
            emails = []
            for emails_item_data in _emails:
                emails_item = ContactCardEmailsItem.from_dict(emails_item_data)

                emails.append(emails_item)

        _name = d.pop("name", UNSET)
        name: ContactCardName | Unset
        if isinstance(_name, Unset):
            name = UNSET
        else:
            name = ContactCardName.from_dict(_name)

        _org = d.pop("org", UNSET)
        org: ContactCardOrg | Unset
        if isinstance(_org, Unset):
            org = UNSET
        else:
            org = ContactCardOrg.from_dict(_org)

        _phones = d.pop("phones", UNSET)
        phones: list[ContactCardPhonesItem] | Unset = UNSET
        if _phones is not UNSET:
            phones = []
            for phones_item_data in _phones:
                phones_item = ContactCardPhonesItem.from_dict(phones_item_data)

                phones.append(phones_item)

        _urls = d.pop("urls", UNSET)
        urls: list[ContactCardUrlsItem] | Unset = UNSET
        if _urls is not UNSET:
            urls = []
            for urls_item_data in _urls:
                urls_item = ContactCardUrlsItem.from_dict(urls_item_data)

                urls.append(urls_item)

        contact_card = cls(
            addresses=addresses,
            birthday=birthday,
            emails=emails,
            name=name,
            org=org,
            phones=phones,
            urls=urls,
        )

        contact_card.additional_properties = d
        return contact_card

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
