"""PKCE (RFC 7636) for the authorization-code login: a fresh verifier per attempt and
its S256 challenge.

The verifier stays in memory (and in the redaction registry) for the one login it
belongs to; only the challenge travels in the authorize URL. A server that does not
implement PKCE ignores both parameters, so sending them never costs a login.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

METHOD = "S256"
VERIFIER_PATTERN = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")
"""RFC 7636 section 4.1: 43 to 128 characters of the unreserved set."""


def new_verifier() -> str:
    """A fresh high-entropy ``code_verifier`` (64 characters, 384 random bits)."""
    return secrets.token_urlsafe(48)


def challenge_for(verifier: str) -> str:
    """The S256 ``code_challenge``: BASE64URL(SHA256(verifier)) without padding."""
    if not VERIFIER_PATTERN.fullmatch(verifier or ""):
        raise ValueError("A PKCE verifier is 43 to 128 unreserved characters")
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
