from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.success_response import SuccessResponse
from ...models.update_group_settings_request import UpdateGroupSettingsRequest
from ...types import Response


def _get_kwargs(
    group_id: str,
    *,
    body: UpdateGroupSettingsRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/groups/{group_id}".format(
            group_id=quote(str(group_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | SuccessResponse | None:
    if response.status_code == 200:
        response_200 = SuccessResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | SuccessResponse]:
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
    body: UpdateGroupSettingsRequest,
) -> Response[ErrorResponse | SuccessResponse]:
    """Update Group Settings

     Update group subject, description, and profile picture. The picture goes to the same path as a
    multipart form (groups.UpdateGroupPhotoRequest: a square JPEG in a `file` part; d360's
    `groups.set_photo`). Only the JSON body is listed here: openapi-python-client 0.29.1 generates a
    module that cannot be imported (NameError on Unset) for an operation with two request content types.

    Args:
        group_id (str):
        body (UpdateGroupSettingsRequest): The settings to change; those left out stay as they are

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SuccessResponse]
    """

    kwargs = _get_kwargs(
        group_id=group_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    group_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateGroupSettingsRequest,
) -> ErrorResponse | SuccessResponse | None:
    """Update Group Settings

     Update group subject, description, and profile picture. The picture goes to the same path as a
    multipart form (groups.UpdateGroupPhotoRequest: a square JPEG in a `file` part; d360's
    `groups.set_photo`). Only the JSON body is listed here: openapi-python-client 0.29.1 generates a
    module that cannot be imported (NameError on Unset) for an operation with two request content types.

    Args:
        group_id (str):
        body (UpdateGroupSettingsRequest): The settings to change; those left out stay as they are

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SuccessResponse
    """

    return sync_detailed(
        group_id=group_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    group_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateGroupSettingsRequest,
) -> Response[ErrorResponse | SuccessResponse]:
    """Update Group Settings

     Update group subject, description, and profile picture. The picture goes to the same path as a
    multipart form (groups.UpdateGroupPhotoRequest: a square JPEG in a `file` part; d360's
    `groups.set_photo`). Only the JSON body is listed here: openapi-python-client 0.29.1 generates a
    module that cannot be imported (NameError on Unset) for an operation with two request content types.

    Args:
        group_id (str):
        body (UpdateGroupSettingsRequest): The settings to change; those left out stay as they are

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SuccessResponse]
    """

    kwargs = _get_kwargs(
        group_id=group_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    group_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateGroupSettingsRequest,
) -> ErrorResponse | SuccessResponse | None:
    """Update Group Settings

     Update group subject, description, and profile picture. The picture goes to the same path as a
    multipart form (groups.UpdateGroupPhotoRequest: a square JPEG in a `file` part; d360's
    `groups.set_photo`). Only the JSON body is listed here: openapi-python-client 0.29.1 generates a
    module that cannot be imported (NameError on Unset) for an operation with two request content types.

    Args:
        group_id (str):
        body (UpdateGroupSettingsRequest): The settings to change; those left out stay as they are

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SuccessResponse
    """

    return (
        await asyncio_detailed(
            group_id=group_id,
            client=client,
            body=body,
        )
    ).parsed
