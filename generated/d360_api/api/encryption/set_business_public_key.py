from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_resp import ErrorResp
from ...models.set_business_public_key_request import SetBusinessPublicKeyRequest
from ...models.set_business_public_key_response import SetBusinessPublicKeyResponse
from ...types import Response


def _get_kwargs(
    *,
    body: SetBusinessPublicKeyRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/whatsapp_business_encryption",
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResp | SetBusinessPublicKeyResponse | None:
    if response.status_code == 200:
        response_200 = SetBusinessPublicKeyResponse.from_dict(response.json())

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
) -> Response[ErrorResp | SetBusinessPublicKeyResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SetBusinessPublicKeyRequest,
) -> Response[ErrorResp | SetBusinessPublicKeyResponse]:
    """Set Business Encryption Public Key

     Upload and configure a business public key for message payload encryption. The key must be a valid
    RSA public key in PEM format. Only one active public key per phone number at a time; previous keys
    are replaced when a new one is uploaded.

    Args:
        body (SetBusinessPublicKeyRequest): The business public key to upload

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | SetBusinessPublicKeyResponse]
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
    body: SetBusinessPublicKeyRequest,
) -> ErrorResp | SetBusinessPublicKeyResponse | None:
    """Set Business Encryption Public Key

     Upload and configure a business public key for message payload encryption. The key must be a valid
    RSA public key in PEM format. Only one active public key per phone number at a time; previous keys
    are replaced when a new one is uploaded.

    Args:
        body (SetBusinessPublicKeyRequest): The business public key to upload

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | SetBusinessPublicKeyResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SetBusinessPublicKeyRequest,
) -> Response[ErrorResp | SetBusinessPublicKeyResponse]:
    """Set Business Encryption Public Key

     Upload and configure a business public key for message payload encryption. The key must be a valid
    RSA public key in PEM format. Only one active public key per phone number at a time; previous keys
    are replaced when a new one is uploaded.

    Args:
        body (SetBusinessPublicKeyRequest): The business public key to upload

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResp | SetBusinessPublicKeyResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: SetBusinessPublicKeyRequest,
) -> ErrorResp | SetBusinessPublicKeyResponse | None:
    """Set Business Encryption Public Key

     Upload and configure a business public key for message payload encryption. The key must be a valid
    RSA public key in PEM format. Only one active public key per phone number at a time; previous keys
    are replaced when a new one is uploaded.

    Args:
        body (SetBusinessPublicKeyRequest): The business public key to upload

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResp | SetBusinessPublicKeyResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
