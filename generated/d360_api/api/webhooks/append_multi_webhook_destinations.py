from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.append_request import AppendRequest
from ...models.error_resp import ErrorResp
from ...models.success_resp import SuccessResp
from ...types import Response


def _get_kwargs(
    *,
    body: AppendRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/multi_webhook",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResp | SuccessResp | None:
    if response.status_code == 200:
        response_200 = SuccessResp.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResp.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResp.from_dict(response.json())

        return response_401

    if response.status_code == 409:
        response_409 = ErrorResp.from_dict(response.json())

        return response_409

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResp | SuccessResp]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AppendRequest,
) -> Response[ErrorResp | SuccessResp]:
    """Append Webhook Destinations

     Append additional destinations to the existing multi-webhook configuration. Multi-webhook must be
    enabled first via POST. Destination names must be unique and not conflict with existing ones. Total
    destinations cannot exceed the configured maximum.

    Args:
        body (AppendRequest): Destinations to add to the enabled multi-webhook configuration

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | SuccessResp]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: AppendRequest,
) -> ErrorResp | SuccessResp | None:
    """Append Webhook Destinations

     Append additional destinations to the existing multi-webhook configuration. Multi-webhook must be
    enabled first via POST. Destination names must be unique and not conflict with existing ones. Total
    destinations cannot exceed the configured maximum.

    Args:
        body (AppendRequest): Destinations to add to the enabled multi-webhook configuration

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | SuccessResp
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AppendRequest,
) -> Response[ErrorResp | SuccessResp]:
    """Append Webhook Destinations

     Append additional destinations to the existing multi-webhook configuration. Multi-webhook must be
    enabled first via POST. Destination names must be unique and not conflict with existing ones. Total
    destinations cannot exceed the configured maximum.

    Args:
        body (AppendRequest): Destinations to add to the enabled multi-webhook configuration

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | SuccessResp]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: AppendRequest,
) -> ErrorResp | SuccessResp | None:
    """Append Webhook Destinations

     Append additional destinations to the existing multi-webhook configuration. Multi-webhook must be
    enabled first via POST. Destination names must be unique and not conflict with existing ones. Total
    destinations cannot exceed the configured maximum.

    Args:
        body (AppendRequest): Destinations to add to the enabled multi-webhook configuration

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | SuccessResp
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
