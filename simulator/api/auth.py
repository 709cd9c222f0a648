"""The ``Authorization`` header: ``App``, ``Basic``, ``IBSSO`` and ``Bearer`` schemes.

By default any well-formed header is accepted (a missing or malformed one is a 401), as a
test double should. With credentials configured, only those are, and a key's ``scopes`` (if
it has any) must include one of the operation's Infobip scopes, else 403.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache

from simulator.config import Credential
from simulator.errors import Forbidden, Unauthorized

SCHEMES = {"app": "App", "basic": "Basic", "ibsso": "IBSSO", "bearer": "Bearer"}


@dataclass(frozen=True, slots=True)
class Identity:
    scheme: str
    token: str
    """For Basic, the decoded ``username:password``."""
    scopes: frozenset[str] = frozenset()

    @property
    def account_key(self) -> str:
        """What tenant isolation keys state by: the username for Basic, else the token."""
        if self.scheme == "Basic":
            return self.token.partition(":")[0]
        return self.token


def parse_authorization(header: str | None) -> Identity:
    """The identity a header names; Unauthorized when it names none. Answers are cached (an
    :class:`Identity` is immutable), since a client sends the same header on every request."""
    if header is None:
        raise Unauthorized()
    return _parse_authorization(header)


@lru_cache(maxsize=256)
def _parse_authorization(header: str) -> Identity:
    if not header.strip():
        raise Unauthorized()
    scheme, _, token = header.strip().partition(" ")
    canonical = SCHEMES.get(scheme.lower())
    token = token.strip()
    if canonical is None or not token:
        raise Unauthorized()
    if canonical == "Basic":
        try:
            decoded = base64.b64decode(token, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise Unauthorized() from None
        if ":" not in decoded:
            raise Unauthorized()
        token = decoded
    return Identity(canonical, token)


def authenticate(
    identity: Identity,
    credentials: Collection[Credential],
    required_scopes: Collection[str] = (),
) -> Identity:
    """Check an identity against the configured credentials and the operation's scopes."""
    if not credentials:
        return identity
    for credential in credentials:
        if credential.scheme == identity.scheme and credential.token == identity.token:
            if (
                credential.scopes
                and required_scopes
                and not (credential.scopes & set(required_scopes))
            ):
                raise Forbidden()
            return Identity(identity.scheme, identity.token, credential.scopes)
    raise Unauthorized()


def query_identity(query: Mapping[str, str]) -> Identity:
    """``GET /sms/1/text/query`` carries ``username`` and ``password`` in the query string."""
    username = query.get("username", "")
    password = query.get("password", "")
    if not username or not password:
        raise Unauthorized()
    return Identity("Basic", f"{username}:{password}")
