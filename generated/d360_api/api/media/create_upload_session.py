from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_resp import ErrorResp
from ...models.mime_type import MimeType
from ...models.upload_session import UploadSession
from ...types import UNSET, Response


def _get_kwargs(
    *,
    file_name: str,
    file_length: int,
    file_type: MimeType,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["file_name"] = file_name

    params["file_length"] = file_length

    json_file_type = file_type.value
    params["file_type"] = json_file_type

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/uploads",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResp | UploadSession | None:
    if response.status_code == 200:
        response_200 = UploadSession.from_dict(response.json())

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
) -> Response[ErrorResp | UploadSession]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    file_name: str,
    file_length: int,
    file_type: MimeType,
) -> Response[ErrorResp | UploadSession]:
    """Create Upload Session

    Args:
        file_name (str):
        file_length (int):
        file_type (MimeType): A MIME type the Cloud API supports for media.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | UploadSession]
    """

    kwargs = _get_kwargs(
        file_name=file_name,
        file_length=file_length,
        file_type=file_type,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    file_name: str,
    file_length: int,
    file_type: MimeType,
) -> ErrorResp | UploadSession | None:
    """Create Upload Session

    Args:
        file_name (str):
        file_length (int):
        file_type (MimeType): A MIME type the Cloud API supports for media.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | UploadSession
    """

    return sync_detailed(
        client=client,
        file_name=file_name,
        file_length=file_length,
        file_type=file_type,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    file_name: str,
    file_length: int,
    file_type: MimeType,
) -> Response[ErrorResp | UploadSession]:
    """Create Upload Session

    Args:
        file_name (str):
        file_length (int):
        file_type (MimeType): A MIME type the Cloud API supports for media.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | UploadSession]
    """

    kwargs = _get_kwargs(
        file_name=file_name,
        file_length=file_length,
        file_type=file_type,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    file_name: str,
    file_length: int,
    file_type: MimeType,
) -> ErrorResp | UploadSession | None:
    """Create Upload Session

    Args:
        file_name (str):
        file_length (int):
        file_type (MimeType): A MIME type the Cloud API supports for media.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | UploadSession
    """

    return (
        await asyncio_detailed(
            client=client,
            file_name=file_name,
            file_length=file_length,
            file_type=file_type,
        )
    ).parsed
