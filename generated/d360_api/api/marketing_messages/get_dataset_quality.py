from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_resp import ErrorResp
from ...models.get_dataset_quality_response import GetDatasetQualityResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    dataset_id: str,
    agent_name: str | Unset = UNSET,
    fields: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["dataset_id"] = dataset_id

    params["agent_name"] = agent_name

    params["fields"] = fields

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/marketing/dataset_quality",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResp | GetDatasetQualityResponse | None:
    if response.status_code == 200:
        response_200 = GetDatasetQualityResponse.from_dict(response.json())

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
) -> Response[ErrorResp | GetDatasetQualityResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    dataset_id: str,
    agent_name: str | Unset = UNSET,
    fields: str | Unset = UNSET,
) -> Response[ErrorResp | GetDatasetQualityResponse]:
    """Get Dataset Quality

     Retrieve dataset quality metrics and validation status for conversion tracking. Use the fields
    parameter to select specific metrics.

    Args:
        dataset_id (str):
        agent_name (str | Unset):
        fields (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | GetDatasetQualityResponse]
    """

    kwargs = _get_kwargs(
        dataset_id=dataset_id,
        agent_name=agent_name,
        fields=fields,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    dataset_id: str,
    agent_name: str | Unset = UNSET,
    fields: str | Unset = UNSET,
) -> ErrorResp | GetDatasetQualityResponse | None:
    """Get Dataset Quality

     Retrieve dataset quality metrics and validation status for conversion tracking. Use the fields
    parameter to select specific metrics.

    Args:
        dataset_id (str):
        agent_name (str | Unset):
        fields (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | GetDatasetQualityResponse
    """

    return sync_detailed(
        client=client,
        dataset_id=dataset_id,
        agent_name=agent_name,
        fields=fields,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    dataset_id: str,
    agent_name: str | Unset = UNSET,
    fields: str | Unset = UNSET,
) -> Response[ErrorResp | GetDatasetQualityResponse]:
    """Get Dataset Quality

     Retrieve dataset quality metrics and validation status for conversion tracking. Use the fields
    parameter to select specific metrics.

    Args:
        dataset_id (str):
        agent_name (str | Unset):
        fields (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | GetDatasetQualityResponse]
    """

    kwargs = _get_kwargs(
        dataset_id=dataset_id,
        agent_name=agent_name,
        fields=fields,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    dataset_id: str,
    agent_name: str | Unset = UNSET,
    fields: str | Unset = UNSET,
) -> ErrorResp | GetDatasetQualityResponse | None:
    """Get Dataset Quality

     Retrieve dataset quality metrics and validation status for conversion tracking. Use the fields
    parameter to select specific metrics.

    Args:
        dataset_id (str):
        agent_name (str | Unset):
        fields (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | GetDatasetQualityResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            dataset_id=dataset_id,
            agent_name=agent_name,
            fields=fields,
        )
    ).parsed
