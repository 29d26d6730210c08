from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.call_action_request import CallActionRequest
from ...models.call_action_response import CallActionResponse
from ...models.error_resp import ErrorResp
from ...types import Response


def _get_kwargs(
    *,
    body: CallActionRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/calling/calls",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CallActionResponse | ErrorResp | None:
    if response.status_code == 200:
        response_200 = CallActionResponse.from_dict(response.json())

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
) -> Response[CallActionResponse | ErrorResp]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CallActionRequest,
) -> Response[CallActionResponse | ErrorResp]:
    """Perform Call Action

     Execute call actions: pre_accept, accept, reject, or connect for incoming calls.

    Args:
        body (CallActionRequest): Request payload to initiate or manage a WhatsApp call

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallActionResponse | ErrorResp]
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
    body: CallActionRequest,
) -> CallActionResponse | ErrorResp | None:
    """Perform Call Action

     Execute call actions: pre_accept, accept, reject, or connect for incoming calls.

    Args:
        body (CallActionRequest): Request payload to initiate or manage a WhatsApp call

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallActionResponse | ErrorResp
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CallActionRequest,
) -> Response[CallActionResponse | ErrorResp]:
    """Perform Call Action

     Execute call actions: pre_accept, accept, reject, or connect for incoming calls.

    Args:
        body (CallActionRequest): Request payload to initiate or manage a WhatsApp call

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallActionResponse | ErrorResp]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CallActionRequest,
) -> CallActionResponse | ErrorResp | None:
    """Perform Call Action

     Execute call actions: pre_accept, accept, reject, or connect for incoming calls.

    Args:
        body (CallActionRequest): Request payload to initiate or manage a WhatsApp call

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallActionResponse | ErrorResp
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
