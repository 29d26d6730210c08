from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.enable_template_analytics_enable import EnableTemplateAnalyticsEnable
from ...models.enable_template_analytics_response import EnableTemplateAnalyticsResponse
from ...models.error_resp import ErrorResp
from ...types import UNSET, Response


def _get_kwargs(
    *,
    enable: EnableTemplateAnalyticsEnable,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_enable = enable.value
    params["enable"] = json_enable

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/marketing/template_analytics",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EnableTemplateAnalyticsResponse | ErrorResp | None:
    if response.status_code == 200:
        response_200 = EnableTemplateAnalyticsResponse.from_dict(response.json())

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
) -> Response[EnableTemplateAnalyticsResponse | ErrorResp]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    enable: EnableTemplateAnalyticsEnable,
) -> Response[EnableTemplateAnalyticsResponse | ErrorResp]:
    """Enable Template Analytics

     Enable the analytics of the account's templates.

    Args:
        enable (EnableTemplateAnalyticsEnable):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnableTemplateAnalyticsResponse | ErrorResp]
    """

    kwargs = _get_kwargs(
        enable=enable,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    enable: EnableTemplateAnalyticsEnable,
) -> EnableTemplateAnalyticsResponse | ErrorResp | None:
    """Enable Template Analytics

     Enable the analytics of the account's templates.

    Args:
        enable (EnableTemplateAnalyticsEnable):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnableTemplateAnalyticsResponse | ErrorResp
    """

    return sync_detailed(
        client=client,
        enable=enable,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    enable: EnableTemplateAnalyticsEnable,
) -> Response[EnableTemplateAnalyticsResponse | ErrorResp]:
    """Enable Template Analytics

     Enable the analytics of the account's templates.

    Args:
        enable (EnableTemplateAnalyticsEnable):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnableTemplateAnalyticsResponse | ErrorResp]
    """

    kwargs = _get_kwargs(
        enable=enable,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    enable: EnableTemplateAnalyticsEnable,
) -> EnableTemplateAnalyticsResponse | ErrorResp | None:
    """Enable Template Analytics

     Enable the analytics of the account's templates.

    Args:
        enable (EnableTemplateAnalyticsEnable):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnableTemplateAnalyticsResponse | ErrorResp
    """

    return (
        await asyncio_detailed(
            client=client,
            enable=enable,
        )
    ).parsed
