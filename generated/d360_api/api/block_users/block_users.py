from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.block_users_error_response import BlockUsersErrorResponse
from ...models.block_users_request import BlockUsersRequest
from ...models.block_users_response import BlockUsersResponse
from ...models.error_resp import ErrorResp
from ...types import Response


def _get_kwargs(
    *,
    body: BlockUsersRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/block_users",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BlockUsersErrorResponse | ErrorResp | BlockUsersResponse | None:
    if response.status_code == 200:
        response_200 = BlockUsersResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:

        def _parse_response_400(data: object) -> BlockUsersErrorResponse | ErrorResp:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_400_type_0 = ErrorResp.from_dict(data)

                return response_400_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_400_type_1 = BlockUsersErrorResponse.from_dict(data)

            return response_400_type_1

        response_400 = _parse_response_400(response.json())

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
) -> Response[BlockUsersErrorResponse | ErrorResp | BlockUsersResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BlockUsersRequest,
) -> Response[BlockUsersErrorResponse | ErrorResp | BlockUsersResponse]:
    """Block WhatsApp Users

     Block a list of WhatsApp user numbers from contacting your business; the business cannot message
    them either.

    Args:
        body (BlockUsersRequest): Block (or unblock) users request payload

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BlockUsersErrorResponse | ErrorResp | BlockUsersResponse | ErrorResp]
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
    body: BlockUsersRequest,
) -> BlockUsersErrorResponse | ErrorResp | BlockUsersResponse | None:
    """Block WhatsApp Users

     Block a list of WhatsApp user numbers from contacting your business; the business cannot message
    them either.

    Args:
        body (BlockUsersRequest): Block (or unblock) users request payload

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BlockUsersErrorResponse | ErrorResp | BlockUsersResponse | ErrorResp
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BlockUsersRequest,
) -> Response[BlockUsersErrorResponse | ErrorResp | BlockUsersResponse]:
    """Block WhatsApp Users

     Block a list of WhatsApp user numbers from contacting your business; the business cannot message
    them either.

    Args:
        body (BlockUsersRequest): Block (or unblock) users request payload

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BlockUsersErrorResponse | ErrorResp | BlockUsersResponse | ErrorResp]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: BlockUsersRequest,
) -> BlockUsersErrorResponse | ErrorResp | BlockUsersResponse | None:
    """Block WhatsApp Users

     Block a list of WhatsApp user numbers from contacting your business; the business cannot message
    them either.

    Args:
        body (BlockUsersRequest): Block (or unblock) users request payload

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BlockUsersErrorResponse | ErrorResp | BlockUsersResponse | ErrorResp
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
