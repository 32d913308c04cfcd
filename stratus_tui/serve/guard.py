"""Who may talk to `stratus serve`: pages of the served URL itself, holding the token.

Browsers apply no CORS to WebSockets and loopback binding stops no web page the facilitator
has open, so every request is checked here, before any handler runs:

- Host must name the served URL (a DNS-rebinding page reaches us under its own name);
- Origin, when present (browsers always send it on WebSockets), must be the served URL;
- the page (`/?token=...`) and the session socket (`/ws/<token>`) need the random token.

The guard knows nothing of Textual or of how sessions run, so it survives a rebuild of what
is served behind it.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import web

TOKEN_PARAM = "token"
DEFAULT_PORTS = {"http": 80, "https": 443}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class PublicURL:
    """The address browsers use: scheme, host and port (no path)."""

    scheme: str
    host: str
    port: int

    @property
    def netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if DEFAULT_PORTS[self.scheme] == self.port else f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.netloc}"

    @property
    def websocket_url(self) -> str:
        return f"{'wss' if self.scheme == 'https' else 'ws'}://{self.netloc}"


def parse_public_url(text: str) -> PublicURL:
    """`http(s)://host[:port]` as a PublicURL; ValueError with a readable reason otherwise."""
    parts = urlsplit(text.strip())
    if parts.scheme not in DEFAULT_PORTS:
        raise ValueError(f"{text!r}: must start with http:// or https://")
    if not parts.hostname:
        raise ValueError(f"{text!r}: no host name")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"{text!r}: must not carry a user name or password")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"{text!r}: must be just scheme://host[:port], with no path")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{text!r}: bad port") from exc
    return PublicURL(parts.scheme, parts.hostname.lower(), port or DEFAULT_PORTS[parts.scheme])


def host_matches(host_header: str | None, public: PublicURL) -> bool:
    """True when a Host header names the public URL (default ports may be left out)."""
    if not host_header:
        return False
    try:
        parts = urlsplit(f"//{host_header}")
        port = parts.port or DEFAULT_PORTS[public.scheme]
    except ValueError:
        return False
    return (parts.hostname or "").lower() == public.host and port == public.port


def origin_matches(origin_header: str, public: PublicURL) -> bool:
    """True when an Origin header is the public URL's own origin."""
    try:
        origin = parse_public_url(origin_header)
    except ValueError:
        return False  # "null" (sandboxed frames, file://) and anything malformed
    return origin == public


def token_matches(given: str | None, token: str) -> bool:
    # Constant time, so the token cannot be guessed a character at a time.
    return given is not None and secrets.compare_digest(given.encode(), token.encode())


def needs_token(path: str) -> bool:
    """The page, the session socket and the room; static assets are public textual-serve
    files."""
    return path == "/" or path == "/ws" or path.startswith(("/ws/", "/room"))


class Guard:
    """Refuses (403, with a plain reason) any request not from the served URL's own page."""

    def __init__(self, public: PublicURL, token: str) -> None:
        self.public = public
        self.token = token

    def refusal(self, request: web.Request) -> str | None:
        """Why this request is refused, or None to let it through."""
        if not host_matches(request.headers.get("Host"), self.public):
            return f"this server answers only as {self.public.url} (wrong Host header)"
        origin = request.headers.get("Origin")
        if origin is not None and not origin_matches(origin, self.public):
            return f"cross-origin request from {origin[:100]!r} refused"
        if needs_token(request.path):
            given = request.match_info.get(TOKEN_PARAM) or request.query.get(TOKEN_PARAM)
            if not token_matches(given, self.token):
                return (
                    "missing or wrong token: open the link `stratus serve` printed "
                    "(it ends with ?token=...)"
                )
        return None

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        reason = self.refusal(request)
        if reason is not None:
            return web.Response(status=403, text=f"stratus serve: {reason}\n")
        return await handler(request)

    async def on_response_prepare(self, request: web.Request, response: web.StreamResponse) -> None:
        """Headers for every answer (an aiohttp `on_response_prepare` hook)."""
        # The page's URL holds the token: never send it on as a Referer, never cache it.
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if needs_token(request.path):
            response.headers.setdefault("Cache-Control", "no-store")

    def install(self, app: web.Application) -> None:
        app.middlewares.append(self.middleware)
        app.on_response_prepare.append(self.on_response_prepare)
