from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_resp import ErrorResp
from ...models.group_info import GroupInfo
from ...types import UNSET, Response, Unset


def _get_kwargs(
    group_id: str,
    *,
    fields: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["fields"] = fields

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/groups/{group_id}".format(
            group_id=quote(str(group_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResp | GroupInfo | None:
    if response.status_code == 200:
        response_200 = GroupInfo.from_dict(response.json())

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
) -> Response[ErrorResp | GroupInfo]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    group_id: str,
    *,
    client: AuthenticatedClient | Client,
    fields: str | Unset = UNSET,
) -> Response[ErrorResp | GroupInfo]:
    """Get Group Information

     Retrieve detailed metadata about a specific group including participants and settings.

    Args:
        group_id (str):
        fields (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | GroupInfo]
    """

    kwargs = _get_kwargs(
        group_id=group_id,
        fields=fields,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    group_id: str,
    *,
    client: AuthenticatedClient | Client,
    fields: str | Unset = UNSET,
) -> ErrorResp | GroupInfo | None:
    """Get Group Information

     Retrieve detailed metadata about a specific group including participants and settings.

    Args:
        group_id (str):
        fields (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | GroupInfo
    """

    return sync_detailed(
        group_id=group_id,
        client=client,
        fields=fields,
    ).parsed


async def asyncio_detailed(
    group_id: str,
    *,
    client: AuthenticatedClient | Client,
    fields: str | Unset = UNSET,
) -> Response[ErrorResp | GroupInfo]:
    """Get Group Information

     Retrieve detailed metadata about a specific group including participants and settings.

    Args:
        group_id (str):
        fields (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | GroupInfo]
    """

    kwargs = _get_kwargs(
        group_id=group_id,
        fields=fields,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    group_id: str,
    *,
    client: AuthenticatedClient | Client,
    fields: str | Unset = UNSET,
) -> ErrorResp | GroupInfo | None:
    """Get Group Information

     Retrieve detailed metadata about a specific group including participants and settings.

    Args:
        group_id (str):
        fields (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | GroupInfo
    """

    return (
        await asyncio_detailed(
            group_id=group_id,
            client=client,
            fields=fields,
        )
    ).parsed
