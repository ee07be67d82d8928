"""What the stack detail screen shows, as rich text: the header and the rows of its tables.

Pure functions of the API models (no widget, no I/O), so the screen only places them and
tests can read them: :func:`header_text`, :func:`deployment_row`, :func:`server_rows`,
:func:`action_row`, :func:`settings_text`, and :data:`TABLE_COLUMNS` for the tables'
widths (:mod:`c66tui.ui.widgets.column_fit`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text

from c66tui.api.models import Action, Deployment, Server, ServerGroup, Setting, Stack
from c66tui.ops.deploy_state import (
    CANCELLED,
    DEPLOYING,
    FAILED,
    QUEUED,
    SUCCESS,
    deployment_phase,
)
from c66tui.text import relative_time, sanitize, short_duration
from c66tui.ui.widgets.column_fit import FitColumn
from c66tui.ui.widgets.stack_columns import HEALTH_LOOK, STATUS_LOOK, UNICODE_SYMBOLS

PHASE_LOOK = {
    SUCCESS: "✓ success",
    FAILED: "✗ failed",
    CANCELLED: "⊘ cancelled",
    DEPLOYING: "▶ deploying",
    QUEUED: "… queued",
}
SETTINGS_SHOWN = 12
TABLE_COLUMNS = {
    "deployments": [
        FitColumn("Outcome", 11, shrink_to=9),
        FitColumn("Started", 8),
        FitColumn("Took", 8),
        FitColumn("Hash", 7),
        FitColumn("By", 22, shrink_to=8),
        FitColumn("Via", 13, shrink_to=6),
        FitColumn("Live", 6),
        FitColumn("Id", 5),
        FitColumn("Type", 34, shrink_to=10),
    ],
    "servers": [
        FitColumn("Group", 18, shrink_to=8),
        FitColumn("Server", 12, shrink_to=8),
        FitColumn("Address", 7),
        FitColumn("Health", 10, shrink_to=9),
        FitColumn("Roles", 20, shrink_to=6),
        FitColumn("Region", 12, shrink_to=6),
        FitColumn("Type", 12, shrink_to=6),
    ],
    "actions": [
        FitColumn("Action", 22, shrink_to=10),
        FitColumn("Outcome", 9),
        FitColumn("When", 8),
        FitColumn("By", 22, shrink_to=8),
        FitColumn("Via", 9, shrink_to=5),
        FitColumn("Message", 30, shrink_to=10),
    ],
}
"""The detail tables' columns, most important first (:mod:`c66tui.ui.widgets.column_fit`:
text is cut with an ellipsis, hashes, ids and addresses never; what does not fit is
dropped from the right)."""


def cell(value: Any, style: str = "") -> Text:
    """One table cell: sanitized, on one line, cut with an ellipsis."""
    return Text(sanitize(value), style=style, no_wrap=True, overflow="ellipsis", end="")


def header_text(stack: Stack) -> Text:
    """Two lines: name, environment, status, health, flags; then branch, host, account."""
    sym = UNICODE_SYMBOLS
    status_symbol, _ = STATUS_LOOK.get(stack.status, ("unknown", ""))
    health_symbol, _ = HEALTH_LOOK.get(stack.health, ("unknown", ""))
    text = Text(end="")
    text.append(sanitize(stack.name), style="bold")
    text.append("  ")
    if stack.is_production:
        text.append(f"▲ {sanitize(stack.environment).upper()}", style="bold reverse")
    elif stack.environment:
        text.append(sanitize(stack.environment), style="bold")
    text.append(f"  {sym[status_symbol]} {sanitize(stack.status_name)}")
    text.append(f"  {sym[health_symbol]} {sanitize(stack.health_name)}")
    if stack.maintenance_mode:
        text.append("  ▲ maintenance on", style="bold")
    text.append("\n")
    parts = [
        f"branch {sanitize(stack.git_branch) or '—'}",
        sanitize(stack.fqdn) or "",
        sanitize(stack.cloud) or "",
        sanitize(stack.framework) or "",
        sanitize(stack.account_name) or "",
    ]
    text.append(" · ".join(p for p in parts if p))
    return text


def deployment_row(deployment: Deployment, now: datetime) -> tuple[Text, ...]:
    """Cells of one deployment: outcome, started, took, hash, who, via, live, id, type.

    The API sends no commit message; the documented ``deploy_type`` meaning is shown."""
    phase = deployment_phase(deployment)
    if phase in (DEPLOYING, QUEUED):
        elapsed = (now - deployment.started_at).total_seconds() if deployment.started_at else None
        took = f"{short_duration(elapsed)}…" if elapsed is not None else "—"
    else:
        took = short_duration(deployment.duration_seconds)
    kind = deployment.raw.get("deploy_type")
    message = str(kind.get("meaning") or "") if isinstance(kind, dict) else ""
    return (
        cell(PHASE_LOOK.get(phase, phase), "bold" if phase == FAILED else ""),
        cell(relative_time(deployment.started_at, now) if deployment.started_at else "—"),
        cell(took),
        cell(deployment.short_hash or "—"),
        cell(deployment.triggered_by or "—"),
        cell(deployment.triggered_via or "—"),
        cell("● live" if deployment.is_live else ""),
        cell(f"#{deployment.id}"),
        cell(message),
    )


def server_rows(groups: list[ServerGroup], servers: list[Server]) -> list[tuple[str, tuple]]:
    """(server uid, cells) rows ordered by group; the group name only on its first row."""
    names = {g.id: (g.name or g.type or f"group {g.id}") for g in groups}
    order = {g.id: index for index, g in enumerate(groups)}
    ordered = sorted(servers, key=lambda s: (order.get(s.server_group_id, 999), s.name.casefold()))
    rows = []
    previous = object()
    sym = UNICODE_SYMBOLS
    for server in ordered:
        group = names.get(server.server_group_id, "(no group)")
        first = server.server_group_id != previous
        previous = server.server_group_id
        symbol, _ = HEALTH_LOOK.get(server.health_state, ("unknown", ""))
        rows.append(
            (
                server.uid or server.name,
                (
                    cell(group if first else "", "bold"),
                    cell(server.name),
                    cell(server.address or server.ext_ipv4),
                    cell(f"{sym[symbol]} {server.health_name}"),
                    cell(", ".join(server.server_roles)),
                    cell(server.region),
                    cell(server.server_type),
                ),
            )
        )
    return rows


def action_row(action: Action, now: datetime) -> tuple[Text, ...]:
    """Cells of one recent action: what, outcome, when, who, via, message."""
    if not action.is_finished:
        outcome = "… running"
    elif action.finished_success:
        outcome = "✓ done"
    else:
        outcome = "✗ failed"
    return (
        cell(action.action),
        cell(outcome),
        cell(relative_time(action.started_at, now)),
        cell(action.user),
        cell(action.started_via),
        cell(action.finished_message),
    )


def settings_text(settings: list[Setting]) -> Text:
    """``key = value`` pairs (read-only ones marked), a few per line."""
    text = Text(end="")
    for index, setting in enumerate(settings[:SETTINGS_SHOWN]):
        if index:
            text.append("  ·  ")
        text.append(sanitize(setting.key), style="bold")
        text.append(f" = {sanitize(setting.display_value) or '(empty)'}")
        if setting.readonly:
            text.append(" (read-only)")
    if len(settings) > SETTINGS_SHOWN:
        text.append(f"  · … {len(settings) - SETTINGS_SHOWN} more on the settings screen (3)")
    return text
