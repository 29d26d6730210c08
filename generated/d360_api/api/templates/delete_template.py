from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delete_template_response import DeleteTemplateResponse
from ...models.error_resp import ErrorResp
from ...types import Response


def _get_kwargs(
    template_name: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/configs/templates/{template_name}".format(
            template_name=quote(str(template_name), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DeleteTemplateResponse | ErrorResp | None:
    if response.status_code == 200:
        response_200 = DeleteTemplateResponse.from_dict(response.json())

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
) -> Response[DeleteTemplateResponse | ErrorResp]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    template_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[DeleteTemplateResponse | ErrorResp]:
    """Delete Template

     Delete the template with this name, in every language.

    Args:
        template_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeleteTemplateResponse | ErrorResp]
    """

    kwargs = _get_kwargs(
        template_name=template_name,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    template_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> DeleteTemplateResponse | ErrorResp | None:
    """Delete Template

     Delete the template with this name, in every language.

    Args:
        template_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeleteTemplateResponse | ErrorResp
    """

    return sync_detailed(
        template_name=template_name,
        client=client,
    ).parsed


async def asyncio_detailed(
    template_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[DeleteTemplateResponse | ErrorResp]:
    """Delete Template

     Delete the template with this name, in every language.

    Args:
        template_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeleteTemplateResponse | ErrorResp]
    """

    kwargs = _get_kwargs(
        template_name=template_name,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    template_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> DeleteTemplateResponse | ErrorResp | None:
    """Delete Template

     Delete the template with this name, in every language.

    Args:
        template_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeleteTemplateResponse | ErrorResp
    """

    return (
        await asyncio_detailed(
            template_name=template_name,
            client=client,
        )
    ).parsed
