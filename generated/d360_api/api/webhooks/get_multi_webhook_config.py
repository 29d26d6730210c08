from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_resp import ErrorResp
from ...models.get_all_multi_webhooks_resp import GetAllMultiWebhooksResp
from ...models.success_resp import SuccessResp
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/multi_webhook",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResp | GetAllMultiWebhooksResp | SuccessResp | None:
    if response.status_code == 200:
        response_200 = GetAllMultiWebhooksResp.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorResp.from_dict(response.json())

        return response_401

    if response.status_code == 409:
        response_409 = SuccessResp.from_dict(response.json())

        return response_409

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResp | GetAllMultiWebhooksResp | SuccessResp]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorResp | GetAllMultiWebhooksResp | SuccessResp]:
    """Get Multi-Webhook Configuration

     Retrieves all configured additional webhooks including their names, URLs, and custom headers.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | GetAllMultiWebhooksResp | SuccessResp]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> ErrorResp | GetAllMultiWebhooksResp | SuccessResp | None:
    """Get Multi-Webhook Configuration

     Retrieves all configured additional webhooks including their names, URLs, and custom headers.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | GetAllMultiWebhooksResp | SuccessResp
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorResp | GetAllMultiWebhooksResp | SuccessResp]:
    """Get Multi-Webhook Configuration

     Retrieves all configured additional webhooks including their names, URLs, and custom headers.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | GetAllMultiWebhooksResp | SuccessResp]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> ErrorResp | GetAllMultiWebhooksResp | SuccessResp | None:
    """Get Multi-Webhook Configuration

     Retrieves all configured additional webhooks including their names, URLs, and custom headers.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | GetAllMultiWebhooksResp | SuccessResp
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
