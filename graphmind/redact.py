"""Secrets never appear in what GraphMind prints.

``redact_uri`` shows a URI with its password masked (``bolt://root:***@host:7687``).
``redact`` masks every credential a text may carry: the password part of any URI in it, and
the values of the variables that hold secrets (``GRAPHMIND_PASSWORD``, the API keys, the
bundled server's password). The command line runs everything it prints on standard error
through it (``RedactingStream``), so a secret that reaches a message by any path is masked.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit, urlunsplit

MASK = "***"
SECRET_VARIABLES = ("GRAPHMIND_PASSWORD", "GRAPHMIND_LLM_API_KEY", "OPENAI_API_KEY", "GRAPHMIND_LOCAL_PASSWORD")
MIN_SECRET_LENGTH = 6  # shorter values would mask ordinary words
# scheme://user:password@ — the password is whatever runs up to the last @ before the host
_USERINFO = re.compile(r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<user>[^\s:/@]*):(?P<password>[^\s/]+)@")

_extra: set[str] = set()


def remember(secret: str | None) -> None:
    """Mask this value too from now on (e.g. the bundled server's generated password)."""
    if secret and len(secret) >= MIN_SECRET_LENGTH:
        _extra.add(secret)


def _secrets() -> list[str]:
    values = {os.environ.get(name) or "" for name in SECRET_VARIABLES} | _extra
    return sorted((v for v in values if len(v) >= MIN_SECRET_LENGTH), key=len, reverse=True)


def redact_uri(uri: str) -> str:
    """The URI with its password masked: ``bolt://root:***@host:7687``."""
    try:
        parts = urlsplit(uri)
        password = parts.password
    except ValueError:
        return redact(uri)
    if password is None:
        return redact(uri)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        if parts.port:
            host = f"{host}:{parts.port}"
    except ValueError:
        pass
    netloc = f"{parts.username or ''}:{MASK}@{host}"
    return redact(urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)))


def redact(text: str) -> str:
    """``text`` with every credential masked."""
    if not text:
        return text
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)
    for secret in _secrets():
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class RedactingStream:
    """A text stream that masks credentials in everything written through it."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(redact(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self._stream, name)
