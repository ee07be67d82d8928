"""What the user pastes back after approving a login: a bare code, or the whole address
the browser was sent to.

:func:`read_redirect` takes either and returns the code, checking the ``state`` of an
address against the one this login issued (an address from another attempt, or one
whose ``state`` is missing, is refused before its code is spent) and turning an
``error=`` address into the server's own words. :func:`normalize_code` is the bare-code
form kept for callers that only need the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

MIN_CODE_LENGTH = 8
MAX_CODE_LENGTH = 512
_QUOTES = "\"'`‘’“”<>"
_DESCRIPTION_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Redirect:
    """A cleaned paste: the ``code`` and whether it came inside an address."""

    code: str
    from_address: bool
    state: str | None = None


def has_control(text: str) -> bool:
    """True when ``text`` holds C0/C1 control characters or line separators."""
    return any(ord(ch) < 32 or 127 <= ord(ch) < 160 or ch in "\u2028\u2029" for ch in text)


def clean_paste(text: str) -> str:
    """A paste without surrounding whitespace, quotes or control characters, and without
    the line breaks a wrapped terminal adds (codes and addresses hold no whitespace)."""
    if not isinstance(text, str):
        return ""
    cleaned = text.strip().strip(_QUOTES).strip()
    cleaned = re.sub(r"[ \t\r\n]+", "", cleaned)
    return cleaned.strip(_QUOTES)


def _server_error(fields: dict[str, list[str]]) -> ValueError:
    reason = fields["error"][0] or "unknown error"
    description = " ".join((fields.get("error_description") or [""])[0].split())
    description = "".join(ch for ch in description if not has_control(ch))[:_DESCRIPTION_LIMIT]
    if reason == "access_denied":
        message = "The request was denied in the browser. Start the login again."
    else:
        message = f"Cloud 66 returned an error instead of a code ({reason})."
    if description:
        message = f"{message} Cloud 66 said: {description}"
    return ValueError(message)


def _from_address(cleaned: str, state: str | None) -> Redirect:
    query = urlsplit(cleaned).query if "?" in cleaned else cleaned.split("#", 1)[0]
    query = query.split("#", 1)[0]
    fields = parse_qs(query.lstrip("?&"), keep_blank_values=True)
    if "error" in fields and not [c for c in fields.get("code", []) if c]:
        raise _server_error(fields)
    codes = [c for c in fields.get("code", []) if c]
    if not codes:
        raise ValueError("The pasted address has no code in it. Copy the code itself.")
    returned = (fields.get("state") or [None])[0]
    if state is not None and returned != state:
        if returned is None:
            raise ValueError(
                "The pasted address has no state, so c66tui cannot tell that it belongs to "
                "this login. Copy the whole address from the browser again."
            )
        raise ValueError(
            "That address belongs to a different login attempt (its state does not match). "
            "Its code was not used. Approve the address shown here and paste the new one."
        )
    code = codes[0].strip().strip(_QUOTES)
    if has_control(code):
        raise ValueError("The code contains control characters. Copy the code again.")
    return Redirect(code=code, from_address=True, state=returned)


def read_redirect(text: str, *, state: str | None = None) -> Redirect:
    """The code in a pasted code or redirected address (``ValueError`` says why not).

    With ``state`` given (the one this login sent), an address must carry the same
    ``state``; a bare code has none to check and is bound to the login by PKCE instead.
    """
    cleaned = clean_paste(text)
    if not cleaned:
        raise ValueError("Nothing was pasted. Paste the code Cloud 66 showed you.")
    if has_control(cleaned):
        raise ValueError(
            "The pasted text contains control characters, so it is not a code. Copy the code again."
        )
    if "code=" in cleaned or "error=" in cleaned:
        redirect = _from_address(cleaned, state)
    elif "://" in cleaned or any(ch in cleaned for ch in "?&#"):
        raise ValueError("The pasted address has no code in it. Copy the code itself.")
    else:
        redirect = Redirect(code=cleaned, from_address=False)
    code = redirect.code
    if not code.isascii() or not code.isprintable():
        raise ValueError("That does not look like a Cloud 66 code (unexpected characters).")
    if len(code) < MIN_CODE_LENGTH:
        raise ValueError("That code is too short. Copy the whole code Cloud 66 showed you.")
    if len(code) > MAX_CODE_LENGTH:
        raise ValueError("That is too long to be a code. Copy only the code Cloud 66 showed you.")
    return redirect


def normalize_code(text: str, *, state: str | None = None) -> str:
    """The bare authorization code from whatever the user pasted (see :func:`read_redirect`)."""
    return read_redirect(text, state=state).code
