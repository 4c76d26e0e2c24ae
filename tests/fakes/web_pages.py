"""A loopback web server standing in for the pages members share (for title fetches)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

PAGE = "<html><head><meta charset='utf-8'><title>  Pizza &amp; fractions\n</title></head></html>"


@dataclass
class WebPages:
    """The running server: ``url(path)`` for a page, and what it was asked for."""

    base: str
    requested: list[str] = field(default_factory=list)
    slow_asked: asyncio.Event = field(default_factory=asyncio.Event)
    """Set once ``/slow`` was asked for."""
    slow_answers: asyncio.Event = field(default_factory=asyncio.Event)
    """``/slow`` answers (with the ``/page`` page) once this is set."""

    def url(self, path: str) -> str:
        return self.base + path


@asynccontextmanager
async def web_pages() -> AsyncIterator[WebPages]:
    """Serve on 127.0.0.1 (an ephemeral port): ``/page``, ``/og``, ``/no-title``, ``/latin1``,
    ``/json``, ``/never`` (never answers), ``/slow`` (answers once ``slow_answers`` is set),
    ``/endless`` (an endless page), ``/late-title`` (the title after 1.5 MB), ``/to-page``,
    ``/to-private``, ``/to-metadata``, ``/to-ftp`` and ``/loop`` (redirects)."""
    hang = asyncio.Event()
    state: WebPages | None = None

    def html(
        text: str | bytes, content_type: str = "text/html", charset: str | None = None
    ) -> web.Response:
        body = text.encode() if isinstance(text, str) else text
        return web.Response(body=body, content_type=content_type, charset=charset)

    async def endless(request: web.Request, *, title_after: int | None) -> web.StreamResponse:
        assert state is not None
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        chunk = b"<p>" + b"x" * 65_533
        sent = 0
        try:
            await response.write(b"<html><head>")
            while title_after is None or sent < title_after:
                await response.write(chunk)
                sent += len(chunk)
            await response.write(b"<title>Too late</title></head></html>")
        except ConnectionError:
            pass  # the client stopped reading, as it should
        return response

    async def handle(request: web.Request) -> web.StreamResponse:
        assert state is not None
        state.requested.append(request.path)
        port = request.url.port
        routes = {
            "/page": lambda: html(PAGE),
            "/og": lambda: html('<head><meta property="og:title" content="Cells, up close">'),
            "/no-title": lambda: html("<html><body>hello</body></html>"),
            "/latin1": lambda: html(
                "<title>Géographie</title>".encode("latin-1"), charset="iso-8859-1"
            ),
            "/json": lambda: html('{"title": "not html"}', "application/json"),
            "/to-page": lambda: web.HTTPFound("/page"),
            "/to-private": lambda: web.HTTPFound(f"http://127.0.0.2:{port}/page"),
            "/to-metadata": lambda: web.HTTPFound("http://169.254.169.254/latest/meta-data"),
            "/to-ftp": lambda: web.HTTPFound("ftp://127.0.0.1/page"),
            "/loop": lambda: web.HTTPFound("/loop"),
        }
        if request.path == "/never":
            await hang.wait()
        if request.path == "/slow":
            state.slow_asked.set()
            await state.slow_answers.wait()
            return html(PAGE)
        if request.path == "/endless":
            return await endless(request, title_after=None)
        if request.path == "/late-title":
            return await endless(request, title_after=1_500_000)
        made = routes.get(request.path)
        if made is None:
            raise web.HTTPNotFound()
        result = made()
        if isinstance(result, web.HTTPException):
            raise result
        return result

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handle)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    state = WebPages(base=f"http://127.0.0.1:{port}")
    try:
        yield state
    finally:
        hang.set()
        state.slow_answers.set()
        await runner.cleanup()
