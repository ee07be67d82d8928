"""Cloud66Client behaviour over httpx.MockTransport: headers, token scoping, decoding,
retries, write safety, pagination and rate limits (the socket is not what is tested here)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from c66tui.api import Cloud66Client, Secret
from c66tui.api.errors import (
    ActionTimeoutError,
    AuthenticationError,
    NetworkError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitedError,
    ServerError,
    UnexpectedResponseError,
)
from c66tui.api.transport import session

API = "https://api.test/api/3"
TOKEN = "unit-token-0123456789"


def stacks_page(page: int, pages: int, per_page: int = 30) -> dict:
    items = [{"uid": f"p{page:03d}i{i:02d}", "name": f"stack {page}-{i}"} for i in range(per_page)]
    return {
        "response": items,
        "count": len(items),
        "pagination": {
            "previous": page - 1 or None,
            "next": page + 1 if page < pages else None,
            "current": page,
            "per_page": 30,
            "count": per_page * pages,
            "pages": pages,
        },
    }


class Server:
    """A scripted handler: a list of responses (or exceptions) per (method, path)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.routes: dict[tuple[str, str], list] = {}
        self.default = httpx.Response(200, json={"response": {}})

    def on(self, method: str, path: str, *answers) -> Server:
        self.routes.setdefault((method, path), []).extend(answers)
        return self

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = (request.method, request.url.path)
        queue = self.routes.get(key)
        if not queue:
            return self.default
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        return answer


def client(server, **kwargs) -> Cloud66Client:
    kwargs.setdefault("backoff_base", 0.001)
    kwargs.setdefault("backoff_cap", 0.01)
    return Cloud66Client(API, Secret(TOKEN), transport=httpx.MockTransport(server), **kwargs)


async def test_headers_and_token_only_for_api_host():
    server = Server()
    async with client(server, account_id=42) as api:
        await api.get_path("/stacks/x")
        await api.get_path("/stacks/y")
        await api.get_path("https://hooks.elsewhere.test/redeploy/abc")
        await api.get_path("http://api.test/api/3/stacks")  # same host, other scheme/port
    first, second, foreign, downgraded = server.requests
    assert first.url == httpx.URL("https://api.test/api/3/stacks/x")
    assert first.headers["authorization"] == f"Bearer {TOKEN}"
    assert first.headers["accept"] == "application/json"
    assert first.headers["user-agent"].startswith("c66tui/")
    assert first.headers["x-account"] == "42"
    assert first.headers["request-id"] != second.headers["request-id"]
    for request in (foreign, downgraded):
        assert "authorization" not in request.headers
        assert "x-account" not in request.headers
    assert TOKEN not in str(first.url)


async def test_client_repr_and_attributes_hide_the_token():
    api = client(Server())
    try:
        assert TOKEN not in repr(api)
        assert TOKEN not in repr(vars(api))
        assert api.base_url == API
        assert api.request_count == 0
    finally:
        await api.aclose()


def test_bad_base_urls_are_refused():
    for url in ("ftp://x/api/3", "api.test/api/3", ""):
        with pytest.raises(ValueError):
            Cloud66Client(url, "t")


async def test_envelope_unwrap_and_models():
    server = Server().on(
        "GET",
        "/api/3/stacks/u1",
        httpx.Response(200, json={"response": {"uid": "u1", "name": "Shop", "status": 6}}),
    )
    async with client(server) as api:
        stack = await api.get_stack("u1")
    assert stack.uid == "u1" and stack.status_name == "deploying"


async def test_ids_are_path_encoded():
    server = Server()
    async with client(server) as api:
        await api.get_stack("../users")
        await api.update_env_var("u1", "A/B?x", "v")
        with pytest.raises(ValueError):
            await api.get_stack("..")
    assert server.requests[0].url.raw_path == b"/api/3/stacks/..%2Fusers"
    assert server.requests[1].url.raw_path == b"/api/3/stacks/u1/environments/A%2FB%3Fx"


@pytest.mark.parametrize(
    ("response", "words"),
    [
        (
            httpx.Response(
                200, text="<html><body>Sign in</body></html>", headers={"content-type": "text/html"}
            ),
            "web page instead of data (HTTP 200)",
        ),
        (httpx.Response(200, text='{"response": {"uid": "u1", "na'), "not valid JSON (HTTP 200)"),
        (httpx.Response(200, content=b"\xff\xfe\xfa\x00"), "not valid JSON"),
        (httpx.Response(200, text=""), "empty answer (HTTP 200)"),
        (httpx.Response(200, json={"response": [1, 2]}), "unexpected shape"),
        (httpx.Response(200, text="[" * 100_000), "not valid JSON"),
        (httpx.Response(301, headers={"location": "https://login.test/"}), "unexpected redirect"),
    ],
)
async def test_bad_success_bodies(response, words):
    server = Server().on("GET", "/api/3/stacks/u1", response)
    async with client(server) as api:
        with pytest.raises(UnexpectedResponseError) as info:
            await api.get_stack("u1")
    assert words in info.value.message
    assert len(server.requests) == 1  # not retried


async def test_redirect_is_never_followed():
    server = Server().on(
        "POST",
        "/api/3/stacks/u1/deployments",
        httpx.Response(302, headers={"location": "https://evil.test/grab"}),
    )
    async with client(server) as api:
        with pytest.raises(UnexpectedResponseError, match="redirect"):
            await api.redeploy("u1")
    assert [r.url.host for r in server.requests] == ["api.test"]


async def test_empty_bodies_on_writes_are_tolerated():
    server = (
        Server()
        .on("DELETE", "/api/3/stacks/u1/environments/K", httpx.Response(200))
        .on("POST", "/api/3/stacks/u1/deployments", httpx.Response(204))
        .on("PUT", "/api/3/stacks/u1/settings/git-branch", httpx.Response(200, text="  "))
    )
    async with client(server) as api:
        assert await api.delete_env_var("u1", "K") is None
        result = await api.redeploy("u1")
        action = await api.update_stack_setting("u1", "git.branch", "main")
    assert result.ok and result.async_action_id is None
    assert action.id is None
    assert json.loads(server.requests[2].content) == {"value": "main"}


async def test_write_payloads():
    server = Server()
    server.default = httpx.Response(200, json={"response": {"id": 9, "action": "x"}})
    async with client(server) as api:
        await api.redeploy("u1", git_ref="v1.2", services=["web", "worker"])
        await api.run_job("u1", "j1", args="--now")
        await api.set_maintenance_mode("u1", True)
        await api.create_env_var("u1", "KEY", "val", apply_strategy="immediately")
        await api.update_server_setting("u1", "s1", "server.name", "box")
        await api.pause_job("u1", "j1")
        await api.resume_job("u1", "j1")
        assert await api.cancel_deployment("u1", 5) == {"id": 9, "action": "x"}
    sent = [
        (r.method, r.url.path, json.loads(r.content) if r.content else None)
        for r in server.requests
    ]
    assert sent == [
        (
            "POST",
            "/api/3/stacks/u1/deployments",
            {"git_ref": "v1.2", "services": ["web", "worker"]},
        ),
        ("POST", "/api/3/stacks/u1/jobs/j1/run_now", {"job_args": "--now"}),
        ("POST", "/api/3/stacks/u1/actions", {"command": "maintenance_mode", "value": 1}),
        (
            "POST",
            "/api/3/stacks/u1/environments",
            {"key": "KEY", "value": "val", "apply_strategy": "immediately"},
        ),
        ("PUT", "/api/3/stacks/u1/servers/s1/settings/server-name", {"value": "box"}),
        ("POST", "/api/3/stacks/u1/jobs/j1/pause", None),
        ("POST", "/api/3/stacks/u1/jobs/j1/unpause", None),
        ("DELETE", "/api/3/stacks/u1/deployments/5", None),
    ]


async def test_get_retries_5xx_then_succeeds():
    ok = httpx.Response(200, json={"response": {"uid": "u1", "name": "n"}})
    server = Server().on(
        "GET",
        "/api/3/stacks/u1",
        httpx.Response(502, text="bad gateway"),
        httpx.Response(500, json={"error": "internal_error"}),
        ok,
    )
    async with client(server) as api:
        assert (await api.get_stack("u1")).uid == "u1"
        assert api.request_count == 3


async def test_get_gives_up_after_three_attempts():
    server = Server().on("GET", "/api/3/stacks/u1", httpx.Response(503, json={"error": "x"}))
    async with client(server) as api:
        with pytest.raises(ServerError) as info:
            await api.get_stack("u1")
    assert len(server.requests) == 3
    assert info.value.request_id == server.requests[-1].headers["request-id"]


async def test_get_retries_connect_errors_and_timeouts():
    ok = httpx.Response(200, json={"response": {"uid": "u1"}})
    server = Server().on(
        "GET", "/api/3/stacks/u1", httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), ok
    )
    async with client(server) as api:
        assert (await api.get_stack("u1")).uid == "u1"
    server = Server().on("GET", "/api/3/stacks/u1", httpx.ConnectError("refused"))
    async with client(server) as api:
        with pytest.raises(NetworkError, match="Could not connect"):
            await api.get_stack("u1")
    assert len(server.requests) == 3


async def test_client_errors_are_not_retried():
    server = Server().on(
        "GET", "/api/3/stacks/u1", httpx.Response(404, json={"error": "not_found"})
    )
    async with client(server) as api:
        with pytest.raises(NotFoundError):
            await api.get_stack("u1")
        server.routes[("GET", "/api/3/stacks/u1")] = [httpx.Response(401, json={})]
        with pytest.raises(AuthenticationError):
            await api.get_stack("u1")
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("method", "args"),
    [("redeploy", ("u1",)), ("update_env_var", ("u1", "K", "v")), ("delete_env_var", ("u1", "K"))],
)
async def test_writes_are_never_retried_on_5xx(method, args):
    server = Server()
    server.default = httpx.Response(502, text="bad gateway")
    async with client(server) as api:
        with pytest.raises(ServerError):
            await getattr(api, method)(*args)
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("exc", "cls"),
    [
        (httpx.ConnectError("refused"), NetworkError),
        (httpx.ConnectTimeout("slow connect"), NetworkError),
        (httpx.ReadTimeout("no answer"), OutcomeUnknownError),
        (httpx.RemoteProtocolError("server disconnected"), OutcomeUnknownError),
        (httpx.ReadError("connection reset"), OutcomeUnknownError),
        (httpx.WriteTimeout("half sent"), OutcomeUnknownError),
    ],
)
async def test_write_failures_before_and_after_sending(exc, cls):
    server = Server().on("POST", "/api/3/stacks/u1/deployments", exc)
    async with client(server) as api:
        with pytest.raises(cls) as info:
            await api.redeploy("u1")
    assert len(server.requests) == 1
    if cls is OutcomeUnknownError:
        assert "Check the stack" in info.value.message
    else:
        assert "not sent" in info.value.message


class RecordedSleeps:
    """Stands in for ``asyncio`` in the client's session: every sleep is recorded and
    returns at once (the test reads how long the client chose to wait, not a clock)."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __getattr__(self, name: str):
        return getattr(asyncio, name)

    async def sleep(self, delay: float, result=None):
        self.delays.append(delay)
        await asyncio.sleep(0)
        return result


async def test_retry_after_is_honoured_and_rate_limit_tracked(monkeypatch):
    sleeps = RecordedSleeps()
    monkeypatch.setattr(session, "asyncio", sleeps)
    seen = []
    throttled = httpx.Response(
        429,
        json={"error": "throttled"},
        headers={"Retry-After": "0.05", "X-RateLimit-Limit": "3600", "X-RateLimit-Remaining": "0"},
    )
    ok = httpx.Response(
        200,
        json={"response": {"uid": "u1"}},
        headers={"X-RateLimit-Limit": "3600", "X-RateLimit-Remaining": "3599"},
    )
    server = Server().on("GET", "/api/3/stacks/u1", throttled, ok)
    async with client(server, on_rate_limit=seen.append) as api:
        await api.get_stack("u1")
        assert sleeps.delays == [0.05]  # exactly what Retry-After asked, once
        assert len(server.requests) == 2
        assert api.rate_limit.remaining == 3599 and api.rate_limit.limit == 3600
    assert [r.remaining for r in seen] == [0, 3599]


async def test_retry_after_beyond_deadline_raises_at_once():
    throttled = httpx.Response(503, json={"error": "throttled"}, headers={"Retry-After": "2400"})
    server = Server().on("GET", "/api/3/stacks", throttled)
    async with client(server, deadline=5) as api:
        loop = asyncio.get_running_loop()
        start = loop.time()
        with pytest.raises(RateLimitedError) as info:
            await api.list_stacks()
        assert loop.time() - start < 1
    assert info.value.retry_after == 2400
    assert len(server.requests) == 1


async def test_rate_limit_callback_errors_do_not_break_calls():
    def boom(_limit):
        raise RuntimeError("listener bug")

    server = Server().on(
        "GET",
        "/api/3/stacks/u1",
        httpx.Response(
            200, json={"response": {"uid": "u1"}}, headers={"X-RateLimit-Remaining": "5"}
        ),
    )
    async with client(server, on_rate_limit=boom) as api:
        assert (await api.get_stack("u1")).uid == "u1"
        assert api.rate_limit.remaining == 5


async def test_cloud66_warning_header_is_surfaced():
    warnings = []
    server = Server().on(
        "GET",
        "/api/3/stacks/u1",
        httpx.Response(
            200, json={"response": {"uid": "u1"}}, headers={"X-Cloud66-Warning": "API v2 is old"}
        ),
    )
    async with client(server, on_warning=warnings.append) as api:
        await api.get_stack("u1")
        assert api.last_warning == "API v2 is old"
    assert warnings == ["API v2 is old"]


async def test_pagination_concurrent_bounded_and_ordered():
    pages = 12
    in_flight = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        page = int(request.url.params["page"])
        await asyncio.sleep(0.01 * ((page * 7) % 5))  # answers arrive out of order
        in_flight -= 1
        return httpx.Response(200, json=stacks_page(page, pages))

    class AsyncMock(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request):
            response = await handler(request)
            response.request = request
            return response

    api = Cloud66Client(API, TOKEN, transport=AsyncMock(), max_concurrency=3)
    async with api:
        stacks = await api.list_stacks()
    assert len(stacks) == pages * 30
    assert [s.uid for s in stacks] == [
        f"p{p:03d}i{i:02d}" for p in range(1, pages + 1) for i in range(30)
    ]
    assert api.request_count == pages
    assert peak == 3


async def test_pagination_follows_next_without_pages_and_stops_on_loops():
    def page(request):
        number = int(request.url.params["page"])
        body = stacks_page(number, 3)
        del body["pagination"]["pages"]
        if number == 3:
            body["pagination"]["next"] = 1  # a loop must not hang the client
        return httpx.Response(200, json=body)

    server = Server().on("GET", "/api/3/stacks", page)
    async with client(server) as api:
        stacks = await api.list_stacks()
        assert len(stacks) == 90 and api.request_count == 3


async def test_pagination_failure_cancels_other_pages():
    def page(request):
        number = int(request.url.params["page"])
        if number == 4:
            return httpx.Response(404, json={"error": "not_found"})
        return httpx.Response(200, json=stacks_page(number, 6))

    server = Server().on("GET", "/api/3/stacks", page)
    async with client(server) as api:
        with pytest.raises(NotFoundError):
            await api.list_stacks()


async def test_single_page_lists_and_first_page_lists():
    server = (
        Server()
        .on(
            "GET",
            "/api/3/stacks/u1/deployments",
            httpx.Response(
                200,
                json={
                    "response": [{"id": 3}, {"id": 2}],
                    "count": 2,
                    "pagination": {"next": 2, "pages": 5},
                },
            ),
        )
        .on("GET", "/api/3/stacks/u1/jobs", httpx.Response(200, json={"response": [{"uid": "j"}]}))
    )
    async with client(server) as api:
        deployments = await api.list_deployments("u1")
        jobs = await api.list_jobs("u1")
    assert [d.id for d in deployments] == [3, 2]
    assert [j.uid for j in jobs] == ["j"]
    assert server.requests[0].url.params["page"] == "1"
    assert len(server.requests) == 2  # first page only for deployments


async def test_wait_for_action_polls_with_backoff_until_finished():
    states = [{"id": 7, "finished_at": None}] * 3 + [
        {"id": 7, "finished_at": "2024-01-01T00:00:00Z", "finished_success": True}
    ]
    answers = [httpx.Response(200, json={"response": s}) for s in states]
    server = Server().on("GET", "/api/3/stacks/u1/actions/7", *answers)
    polled = []
    async with client(server) as api:
        action = await api.wait_for_action(
            "u1", 7, interval=0.01, max_interval=0.02, on_poll=polled.append
        )
    assert action.finished_success is True and len(polled) == 4


async def test_wait_for_action_timeout_and_cancel():
    server = Server().on(
        "GET", "/api/3/stacks/u1/actions/7", httpx.Response(200, json={"response": {"id": 7}})
    )
    async with client(server) as api:
        with pytest.raises(ActionTimeoutError) as info:
            await api.wait_for_action("u1", 7, interval=0.01, timeout=0.05)
        assert info.value.action.id == 7
        task = asyncio.create_task(api.wait_for_action("u1", 7, interval=5))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_account_label_and_account_fallbacks():
    forbidden = httpx.Response(403, json={"error": "forbidden"})
    server = Server().on("GET", "/api/3/users", forbidden).on("GET", "/api/3/accounts", forbidden)
    async with client(server) as api:
        assert await api.account_label() == ""
        assert await api.get_account() is None
    server = (
        Server()
        .on("GET", "/api/3/users", httpx.Response(200, json={"response": []}))
        .on(
            "GET",
            "/api/3/accounts",
            httpx.Response(
                200,
                json={"response": [{"id": 1, "owner": "a@x.test"}, {"id": 2, "owner": "b@x.test"}]},
            ),
        )
    )
    async with client(server, account_id=2) as api:
        # The pinned account; never a user's e-mail guessed from GET /users.
        assert await api.account_label() == "account of b@x.test"
    assert not [r for r in server.requests if r.url.path.endswith("/users")]


def test_socks_proxy_without_the_extra_is_explained(monkeypatch):
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")
    with pytest.raises(NetworkError) as info:
        Cloud66Client("https://app.cloud66.com/api/3", TOKEN)
    assert "httpx[socks]" in info.value.message


async def test_loopback_api_is_never_proxied(monkeypatch):
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    async with Cloud66Client("http://127.0.0.1:8066/api/3", TOKEN) as api:
        assert api.base_url == "http://127.0.0.1:8066/api/3"


def test_is_loopback():
    from c66tui.api.transport.http import is_loopback

    for host in ("127.0.0.1", "localhost", "::1", "[::1]", "127.3.4.5", "app.localhost"):
        assert is_loopback(host), host
    for host in ("app.cloud66.com", "10.0.0.1", "", "localhost.example.com"):
        assert not is_loopback(host), host


async def test_tls_failures_mention_ssl_cert_file():
    error = httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    server = Server().on("GET", "/api/3/stacks/u1", error)
    async with client(server, retries=1) as api:
        with pytest.raises(NetworkError) as info:
            await api.get_stack("u1")
    assert "SSL_CERT_FILE" in info.value.message
