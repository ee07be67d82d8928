"""The Go-decoding check itself: it must flag what would break the library, so the
replay cannot pass by accident. The samples are the answers the sandbox used to send."""

from __future__ import annotations

from tests.contract.golib_decode import (
    decode_problems,
    envelope_problems,
    job_problems,
    struct_problems,
)
from tests.contract.golib_requests import REQUESTS
from tests.contract.golib_structs import STRUCTS


def test_times_must_be_rfc3339():
    assert decode_problems("2014-08-29T17:21:47Z", "time") == []
    assert decode_problems("2014-08-14T01:46:53+00:00", "time") == []
    assert decode_problems("2014-08-14T01:46:53.125Z", "time") == []
    assert decode_problems(None, "time") == []  # null leaves the zero time
    assert decode_problems("2025-02-05 13:29:35 UTC", "time")
    assert decode_problems("2014-08-29", "time")


def test_scalars_need_their_own_json_type():
    assert decode_problems(3, "int") == []
    assert decode_problems("3", "int")
    assert decode_problems(3.5, "int")
    assert decode_problems(True, "int")
    assert decode_problems(1, "bool")
    assert decode_problems(5, "string")
    assert decode_problems(["a", 1], "[]string") == ["$[1]: expected a string, got 1"]


def test_a_missing_required_field_is_reported_and_an_optional_one_is_not():
    account = {
        "id": 1,
        "owner": "a@example.com",
        "name": "Acme",
        "created_at_iso": "2013-06-19T11:08:03Z",
        "stack_count": 2,
        "used_clouds": ["aws"],
    }
    problems = struct_problems(account, "Account")
    for field in ("friendly_name", "created_at", "updated_at", "current_account"):
        assert any(p.startswith(f"$.{field}: missing") for p in problems), field
    assert not any("unmanaged_servers" in p for p in problems)


def test_a_service_task_job_needs_its_params():
    job = {
        "id": 1,
        "uid": "u",
        "name": "reindex",
        "type": "DockerServiceTaskJob",
        "cron": None,
        "status": 2,
        "params": {"service": "web", "command": "bin/reindex"},
    }
    problems = job_problems(job)
    assert {p.split(":")[0] for p in problems} == {
        "$.params.task",
        "$.params.service_name",
        "$.params.private_ip",
    }
    assert job_problems({**job, "params": "web"})  # Params is a map


def test_the_wrapper_needs_response_and_pagination():
    assert envelope_problems({"ok": True}, "GenericResponse", paged=False)
    assert envelope_problems([], "[]Stack", paged=True)
    paged = {"response": [], "count": 0, "pagination": {"previous": None, "next": None}}
    assert any("current" in p for p in envelope_problems(paged, "[]Stack", paged=True))


def test_every_request_names_a_known_answer_and_a_library_file():
    sources = {
        "ping.go",
        "stack.go",
        "async.go",
        "job.go",
        "server.go",
        "user.go",
        "account.go",
        "configuration.go",
        "operation.go",
        "backups.go",
    }
    for entry in REQUESTS:
        answer = entry["answer"].removeprefix("[]")
        assert answer == "Job" or answer in STRUCTS, entry["call"]
        assert entry["source"] in sources, entry["call"]
        assert entry["method"] in ("GET", "POST", "PUT", "PATCH", "DELETE"), entry["call"]
        assert entry["path"].startswith("/") and entry["path"].endswith(".json"), entry["call"]
    assert len({entry["call"] for entry in REQUESTS}) == len(REQUESTS)
