from http import HTTPStatus
from io import BytesIO
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_resp import ErrorResp
from ...types import UNSET, File, Response


def _get_kwargs(
    *,
    mid: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["mid"] = mid

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/whatsapp_business/attachments/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResp | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 401:
        response_401 = ErrorResp.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorResp.from_dict(response.json())

        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResp | File]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    mid: str,
) -> Response[ErrorResp | File]:
    """Get Media Attachments

     The file a media lookup's URL names, served under the base URL with the API key.

    Args:
        mid (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | File]
    """

    kwargs = _get_kwargs(
        mid=mid,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    mid: str,
) -> ErrorResp | File | None:
    """Get Media Attachments

     The file a media lookup's URL names, served under the base URL with the API key.

    Args:
        mid (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | File
    """

    return sync_detailed(
        client=client,
        mid=mid,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    mid: str,
) -> Response[ErrorResp | File]:
    """Get Media Attachments

     The file a media lookup's URL names, served under the base URL with the API key.

    Args:
        mid (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | File]
    """

    kwargs = _get_kwargs(
        mid=mid,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    mid: str,
) -> ErrorResp | File | None:
    """Get Media Attachments

     The file a media lookup's URL names, served under the base URL with the API key.

    Args:
        mid (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | File
    """

    return (
        await asyncio_detailed(
            client=client,
            mid=mid,
        )
    ).parsed
