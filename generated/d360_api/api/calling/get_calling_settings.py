from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_resp import ErrorResp
from ...models.phone_number_settings_response import PhoneNumberSettingsResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    include_sip_credentials: bool | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["include_sip_credentials"] = include_sip_credentials

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/calling/settings",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResp | PhoneNumberSettingsResponse | None:
    if response.status_code == 200:
        response_200 = PhoneNumberSettingsResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResp.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResp.from_dict(response.json())

        return response_401

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResp | PhoneNumberSettingsResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    include_sip_credentials: bool | Unset = UNSET,
) -> Response[ErrorResp | PhoneNumberSettingsResponse]:
    """Get Calling Settings

     Retrieve calling settings including SIP credentials for WhatsApp calling functionality.

    Args:
        include_sip_credentials (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | PhoneNumberSettingsResponse]
    """

    kwargs = _get_kwargs(
        include_sip_credentials=include_sip_credentials,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    include_sip_credentials: bool | Unset = UNSET,
) -> ErrorResp | PhoneNumberSettingsResponse | None:
    """Get Calling Settings

     Retrieve calling settings including SIP credentials for WhatsApp calling functionality.

    Args:
        include_sip_credentials (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | PhoneNumberSettingsResponse
    """

    return sync_detailed(
        client=client,
        include_sip_credentials=include_sip_credentials,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    include_sip_credentials: bool | Unset = UNSET,
) -> Response[ErrorResp | PhoneNumberSettingsResponse]:
    """Get Calling Settings

     Retrieve calling settings including SIP credentials for WhatsApp calling functionality.

    Args:
        include_sip_credentials (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | PhoneNumberSettingsResponse]
    """

    kwargs = _get_kwargs(
        include_sip_credentials=include_sip_credentials,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    include_sip_credentials: bool | Unset = UNSET,
) -> ErrorResp | PhoneNumberSettingsResponse | None:
    """Get Calling Settings

     Retrieve calling settings including SIP credentials for WhatsApp calling functionality.

    Args:
        include_sip_credentials (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | PhoneNumberSettingsResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            include_sip_credentials=include_sip_credentials,
        )
    ).parsed
