from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_resp import ErrorResp
from ...models.upload_session_status import UploadSessionStatus
from ...types import Response


def _get_kwargs(
    upload_session: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/upload:{upload_session}".format(
            upload_session=quote(str(upload_session), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResp | UploadSessionStatus | None:
    if response.status_code == 200:
        response_200 = UploadSessionStatus.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResp.from_dict(response.json())

        return response_400

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
) -> Response[ErrorResp | UploadSessionStatus]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    upload_session: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorResp | UploadSessionStatus]:
    """Get Upload Session Status

    Args:
        upload_session (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | UploadSessionStatus]
    """

    kwargs = _get_kwargs(
        upload_session=upload_session,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    upload_session: str,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorResp | UploadSessionStatus | None:
    """Get Upload Session Status

    Args:
        upload_session (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | UploadSessionStatus
    """

    return sync_detailed(
        upload_session=upload_session,
        client=client,
    ).parsed


async def asyncio_detailed(
    upload_session: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorResp | UploadSessionStatus]:
    """Get Upload Session Status

    Args:
        upload_session (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | UploadSessionStatus]
    """

    kwargs = _get_kwargs(
        upload_session=upload_session,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    upload_session: str,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorResp | UploadSessionStatus | None:
    """Get Upload Session Status

    Args:
        upload_session (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | UploadSessionStatus
    """

    return (
        await asyncio_detailed(
            upload_session=upload_session,
            client=client,
        )
    ).parsed
