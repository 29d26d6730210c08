from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.call_permissions_response import CallPermissionsResponse
from ...models.error_resp import ErrorResp
from ...types import Response


def _get_kwargs(
    consumer_whatsapp_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/calling/permissions/{consumer_whatsapp_id}".format(
            consumer_whatsapp_id=quote(str(consumer_whatsapp_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CallPermissionsResponse | ErrorResp | None:
    if response.status_code == 200:
        response_200 = CallPermissionsResponse.from_dict(response.json())

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
) -> Response[CallPermissionsResponse | ErrorResp]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    consumer_whatsapp_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[CallPermissionsResponse | ErrorResp]:
    """Get Call Permissions

     Retrieve calling permissions for a specific consumer WhatsApp ID.

    Args:
        consumer_whatsapp_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallPermissionsResponse | ErrorResp]
    """

    kwargs = _get_kwargs(
        consumer_whatsapp_id=consumer_whatsapp_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    consumer_whatsapp_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> CallPermissionsResponse | ErrorResp | None:
    """Get Call Permissions

     Retrieve calling permissions for a specific consumer WhatsApp ID.

    Args:
        consumer_whatsapp_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallPermissionsResponse | ErrorResp
    """

    return sync_detailed(
        consumer_whatsapp_id=consumer_whatsapp_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    consumer_whatsapp_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[CallPermissionsResponse | ErrorResp]:
    """Get Call Permissions

     Retrieve calling permissions for a specific consumer WhatsApp ID.

    Args:
        consumer_whatsapp_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallPermissionsResponse | ErrorResp]
    """

    kwargs = _get_kwargs(
        consumer_whatsapp_id=consumer_whatsapp_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    consumer_whatsapp_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> CallPermissionsResponse | ErrorResp | None:
    """Get Call Permissions

     Retrieve calling permissions for a specific consumer WhatsApp ID.

    Args:
        consumer_whatsapp_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallPermissionsResponse | ErrorResp
    """

    return (
        await asyncio_detailed(
            consumer_whatsapp_id=consumer_whatsapp_id,
            client=client,
        )
    ).parsed
