"""What Go's ``encoding/json`` would make of an answer, for the structs in
:mod:`golib_structs`: a list of problems (empty when the library would decode it).

Rules followed (Go 1.2x ``encoding/json`` and ``time.Time.UnmarshalJSON``):

* ``null`` decodes into anything (it leaves the zero value), so it is never a problem;
* ``int`` takes a JSON integer only (no fraction, no string, no boolean);
* ``string`` and ``bool`` take exactly their JSON type;
* ``time`` takes a string in RFC 3339 (``2006-01-02T15:04:05Z`` or with ``+hh:mm``,
  optional fraction); ``"2014-08-14 00:38:14 UTC"`` fails the whole call;
* unknown keys are ignored; missing keys are only reported for the fields a struct does
  not list as ``optional``.

The library's response wrapper is checked too: the body must be an object whose
``response`` key is present (an empty ``json.RawMessage`` fails with EOF), and a paged
call decodes ``pagination`` into ``Pagination``.
"""

from __future__ import annotations

import re
from typing import Any

from tests.contract.golib_structs import STRUCTS

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def decode_problems(value: Any, type_word: str, where: str = "$") -> list[str]:
    """Why a JSON ``value`` would not decode into the Go type ``type_word``."""
    type_word = type_word.lstrip("*")
    if value is None or type_word == "any":
        return []
    if type_word.startswith("[]"):
        if not isinstance(value, list):
            return [f"{where}: expected a list, got {type(value).__name__}"]
        inner = type_word[2:]
        return [
            p for i, item in enumerate(value) for p in decode_problems(item, inner, f"{where}[{i}]")
        ]
    if type_word.startswith("map[string]"):
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {type(value).__name__}"]
        inner = type_word[len("map[string]") :]
        return [p for k, v in value.items() for p in decode_problems(v, inner, f"{where}.{k}")]
    if type_word == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{where}: expected an integer, got {value!r}"]
    if type_word == "string":
        return [] if isinstance(value, str) else [f"{where}: expected a string, got {value!r}"]
    if type_word == "bool":
        return [] if isinstance(value, bool) else [f"{where}: expected true/false, got {value!r}"]
    if type_word == "time":
        ok = isinstance(value, str) and RFC3339.match(value)
        return [] if ok else [f"{where}: expected an RFC 3339 time, got {value!r}"]
    if type_word == "Job":
        return job_problems(value, where)
    if type_word in STRUCTS:
        return struct_problems(value, type_word, where)
    raise ValueError(f"unknown Go type word {type_word!r}")


def struct_problems(value: Any, name: str, where: str = "$") -> list[str]:
    """Problems decoding ``value`` into struct ``name``, and required fields it lacks."""
    if value is None:
        return []
    if not isinstance(value, dict):
        return [f"{where}: expected a {name} object, got {type(value).__name__}"]
    spec = STRUCTS[name]
    optional = set(spec.get("optional", ()))
    problems = []
    for field, type_word in spec["fields"].items():
        if field not in value:
            if field not in optional:
                problems.append(f"{where}.{field}: missing ({name} reads it)")
            continue
        problems.extend(decode_problems(value[field], type_word, f"{where}.{field}"))
    return problems


JOB_PARAMS = {
    "DockerServiceTaskJob": "DockerServiceTaskJobParams",
    "DockerHostTaskJob": "DockerHostTaskJobParams",
}
"""``JobFactory``: the job ``type`` to the struct its ``params`` are decoded into."""


def job_problems(value: Any, where: str = "$") -> list[str]:
    """A job as ``JobFactory`` reads it: ``BasicJob``, ``params`` an object (it is
    unmarshalled into a map), and the params struct of its ``type``."""
    problems = struct_problems(value, "BasicJob", where)
    if not isinstance(value, dict):
        return problems
    params = value.get("params")
    if params is not None and not isinstance(params, dict):
        problems.append(f"{where}.params: expected an object, got {type(params).__name__}")
    kind = JOB_PARAMS.get(value.get("type"))
    if kind and isinstance(params, dict):
        problems.extend(struct_problems(params, kind, f"{where}.params"))
    return problems


def envelope_problems(body: Any, answer: str, *, paged: bool) -> list[str]:
    """Problems with the whole body for a call whose ``response`` decodes into ``answer``
    (``T`` or ``[]T``); ``paged`` when the call also reads ``pagination``."""
    if not isinstance(body, dict):
        return [f"$: the body must be a JSON object, got {type(body).__name__}"]
    if "response" not in body:
        return ["$.response: missing (the library's wrapper decode fails with EOF)"]
    problems = decode_problems(body["response"], answer, "$.response")
    if paged:
        if "pagination" not in body:
            problems.append("$.pagination: missing (the paging loop decodes it)")
        else:
            problems.extend(struct_problems(body["pagination"], "Pagination", "$.pagination"))
        problems.extend(decode_problems(body.get("count"), "int", "$.count"))
    return problems
