"""The collections of one seed stack: servers and groups, settings, environment
variables, jobs, deployment history and actions (built on first use, see :mod:`.seed`).

Every draw comes from one random generator seeded with the world seed and the stack uid,
in a fixed order (servers, settings, variables, jobs, deployments, actions), so a stack's
collections are the same whichever stacks were visited before it.
"""

from __future__ import annotations

import random
import string

from c66tui.sandbox.records import (
    ActionRec,
    DeployRec,
    Details,
    EnvRec,
    GroupRec,
    JobRec,
    ServerRec,
    SettingRec,
    StackRec,
)
from c66tui.sandbox.seed import (
    ACTION_ID_BASE,
    ACTION_ID_STRIDE,
    CLOUDS,
    COMMITS,
    DEPLOY_ID_BASE,
    DEPLOY_ID_STRIDE,
    ESCAPE_TEXT,
    JOB_TEMPLATES,
    SERVER_NAMES,
    SETTING_WARNINGS,
    USER_ENV,
    USERS,
    hex_id,
    role_of,
    slugify,
)


def build_details(seed: int, stack: StackRec, t0: float) -> Details:
    """Servers, settings, env vars, jobs, deployments and actions of one stack."""
    rng = random.Random(f"{seed}:{stack.uid}")
    role = role_of(stack)
    cloud = next(c for c in CLOUDS if c[0] == stack.cloud)
    region = rng.choice(cloud[1])
    users = [u[1] for u in USERS]
    db_type = rng.choice(("postgresql", "mysql"))
    groups, servers = _servers(rng, stack, cloud, region, db_type)
    settings, server_settings = _settings(rng, stack, servers)
    env = _env_vars(rng, stack, role, servers, groups, db_type)
    ebase = 10_000 + stack.index * 1000
    return Details(
        groups=groups,
        servers=servers,
        settings=settings,
        server_settings=server_settings,
        env=env,
        jobs=_jobs(rng, stack, role, servers, t0),
        deployments=_deployments(rng, stack, role, users),
        actions=_actions(rng, stack, users),
        next_env_id=ebase + len(env),
    )


def _servers(rng: random.Random, stack: StackRec, cloud, region: str, db_type: str):
    """The server groups (web, database, sometimes Redis) and their servers."""
    gbase = 1000 + stack.index * 4
    group_specs = [
        (
            gbase,
            "Rails Server" if stack.framework == "rails" else "Web Server",
            "rails",
            ["web", "app", stack.framework],
        ),
        (
            gbase + 1,
            "PostgreSQL Server" if db_type == "postgresql" else "MySQL Server",
            db_type,
            ["db", db_type],
        ),
    ]
    if stack.environment == "production" or rng.random() < 0.3:
        group_specs.append((gbase + 2, "Redis Server", "redis", ["redis"]))
    groups: list[GroupRec] = []
    servers: list[ServerRec] = []
    names = rng.sample(SERVER_NAMES, 6)
    for gid, gname, gtype, roles in group_specs:
        groups.append(GroupRec(id=gid, name=gname, type=gtype, created_at=stack.created_at))
        count = rng.randint(2, 3) if gtype == "rails" and stack.environment == "production" else 1
        for _ in range(count):
            name = names[len(servers) % len(names)]
            octets = [rng.randint(1, 254) for _ in range(2)]
            servers.append(
                ServerRec(
                    uid=hex_id(rng),
                    vendor_uid=str(rng.randint(10**6, 10**8)),
                    name=name,
                    address=f"203.0.{octets[0]}.{octets[1]}",
                    int_ipv4=f"10.0.{octets[0] % 16}.{octets[1]}",
                    roles=list(roles),
                    group_id=gid,
                    stack_uid=stack.uid,
                    cloud=stack.cloud,
                    region=region,
                    size=rng.choice(cloud[2]),
                    health_state=3,
                    dns_record=f"{name.lower()}.{stack.fqdn}",
                    created_at=stack.created_at + 600,
                    updated_at=stack.updated_at,
                )
            )
    if stack.health in (2, 4):
        servers[0].health_state = stack.health
    return groups, servers


def _settings(rng: random.Random, stack: StackRec, servers: list[ServerRec]):
    """The stack's settings by key, and each server's settings by server uid."""
    settings = {
        s.key: s
        for s in [
            SettingRec(
                "allowed.web.source",
                None if rng.random() < 0.7 else "10.0.0.0/8",
                warning_text=SETTING_WARNINGS["allowed.web.source"],
            ),
            SettingRec("asset.prefix", "/assets"),
            SettingRec("continuous.deploy", rng.random() < 0.3),
            SettingRec("git.branch", stack.git_branch),
            SettingRec(
                "git.repository", stack.git, warning_text=SETTING_WARNINGS["git.repository"]
            ),
            SettingRec("maintenance.mode", stack.maintenance),
            SettingRec("reconfigure.nginx", False),
            SettingRec(
                "stack.name", stack.name, readonly=True, warning_text=SETTING_WARNINGS["stack.name"]
            ),
        ]
    }
    server_settings = {
        srv.uid: {
            s.key: s
            for s in [
                SettingRec("active.protect", True),
                SettingRec("server.name", srv.name, warning_text=SETTING_WARNINGS["server.name"]),
                SettingRec("server.reboot.required", False, readonly=True),
                SettingRec("server.timezone", "UTC"),
            ]
        }
        for srv in servers
    }
    return settings, server_settings


def _env_vars(rng, stack: StackRec, role: str, servers, groups, db_type: str) -> list[EnvRec]:
    """The variables Cloud 66 generates, then some a user added (50+ for the history stack,
    so the list needs a second page)."""
    env: list[EnvRec] = []
    ebase = 10_000 + stack.index * 1000
    name = slugify(stack.name)

    def add_env(key, value, *, readonly=False, password=False, generated=False, history=0):
        created = stack.created_at + 900 + len(env) * 60
        updated = created + rng.randint(0, 200) * 3600 if history else created
        rec = EnvRec(
            id=ebase + len(env),
            key=key,
            value=value,
            created_at=created,
            updated_at=updated,
            readonly=readonly,
            is_password=password,
            is_generated=generated,
        )
        for n in range(history):
            rec.history.append(
                {
                    "key": n + 1,
                    "value": f"{value}-old{n + 1}" if value else "",
                    "created_at": created,
                    "updated_at": created + n * 3600,
                }
            )
        env.append(rec)

    db_host = next(s for s in servers if db_type in s.roles)
    add_env("STACK_PATH", stack.deploy_directory, readonly=True, generated=True)
    add_env("STACK_GIT_BRANCH", stack.git_branch, readonly=True, generated=True)
    add_env("STACK_BASE", f"{stack.deploy_directory}/current", readonly=True, generated=True)
    add_env(
        "RAILS_ENV" if stack.language == "ruby" else "NODE_ENV", stack.environment, generated=True
    )
    prefix = db_type.upper()
    add_env(f"{prefix}_ADDRESS", db_host.int_ipv4, generated=True)
    add_env(f"{prefix}_USERNAME", name.split("-")[0], generated=True, history=1)
    add_env(f"{prefix}_PASSWORD", hex_id(rng, 64), password=True, generated=True)
    add_env(f"{prefix}_DATABASE", f"{name.replace('-', '_')}_{stack.environment}", generated=True)
    if any(g.type == "redis" for g in groups):
        redis = next(s for s in servers if "redis" in s.roles)
        add_env("REDIS_ADDRESS", redis.int_ipv4, generated=True)
    for key, secret in USER_ENV[: rng.randint(3, len(USER_ENV))]:
        value = (
            hex_id(rng, 96) if secret else rng.choice(["info", "2", "true", "https://x.example"])
        )
        add_env(key, value, password=secret, history=rng.choice((0, 0, 1, 2)))
    if role == "history":
        for n in range(1, 43):
            add_env(f"FEATURE_FLAG_{n:02d}", rng.choice(("on", "off")), history=n % 3 == 0)
    return env


def _jobs(rng, stack: StackRec, role: str, servers: list[ServerRec], t0: float) -> list[JobRec]:
    """Two to five jobs, plus one with markup in its name (history stack) or an escape
    sequence (markup stack)."""
    jobs: list[JobRec] = []
    templates = rng.sample(JOB_TEMPLATES, rng.randint(2, 5))
    if role == "history":
        templates.append(
            ("[red]purge[/red] caches", "RakeJob", "0 4 * * 0", {"task": "cache:purge"})
        )
    if role == "markup":
        templates.append(
            (
                f"report {ESCAPE_TEXT}weekly",
                "DockerHostTaskJob",
                "0 6 * * 1",
                {"command": f"echo '{ESCAPE_TEXT}'"},
            )
        )
    # Jobs run on the application servers, taken in turn (no random draw, so the rest
    # of the world does not depend on how many jobs there are).
    app_servers = [s for s in servers if stack.framework in s.roles] or servers
    for k, (name, jtype, cron, params) in enumerate(templates):
        server = app_servers[k % len(app_servers)]
        if jtype == "DockerServiceTaskJob":
            params = {**params, "private_ip": server.int_ipv4}
        created = stack.created_at + 86400 * (k + 1)
        last_run = t0 - rng.randint(600, 7 * 86400)
        jobs.append(
            JobRec(
                id=stack.index * 10 + k + 1,
                uid=hex_id(rng),
                name=name,
                type=jtype,
                cron=cron,
                status=rng.choice((0, 2, 2, 2, 3)),
                params=dict(params),
                paused=rng.random() < 0.2,
                created_at=created,
                updated_at=last_run,
                last_run_at=last_run,
                server_uid=server.uid,
            )
        )
    return jobs


def _deployments(rng, stack: StackRec, role: str, users: list[str]) -> list[DeployRec]:
    """The deployment history, newest first: 42 for the history stack, the last one
    failed for the failed stack, the newest success live."""
    n_deploys = 42 if role == "history" else rng.randint(3, 14)
    web = stack.git[: -len(".git")] if stack.git.endswith(".git") else stack.git
    moments = []
    end = stack.last_activity
    for _ in range(n_deploys):
        duration = rng.randint(95, 720)
        moments.append((end - duration, end))
        end -= duration + rng.randint(3600, 5 * 86400)
    moments.reverse()
    deployments: list[DeployRec] = []
    for k, (start, finish) in enumerate(moments):
        latest = k == n_deploys - 1
        outcome = 1
        roll = rng.random()
        if roll < 0.1:
            outcome = 2
        elif roll < 0.13:
            outcome = 3
        if latest:
            outcome = 2 if role == "failed" else 1
        git_hash = hex_id(rng, 160)
        message = rng.choice(COMMITS)
        if role == "history" and k == n_deploys - 3:
            message = f"Update README {ESCAPE_TEXT}with setup steps"
        deployments.append(
            DeployRec(
                id=DEPLOY_ID_BASE + stack.index * DEPLOY_ID_STRIDE + k,
                triggered_by=rng.choice(users),
                via=rng.choice((0, 0, 1, 2, 3)),
                git_hash=git_hash,
                git_ref=stack.git_branch,
                commit_url=f"{web}/commit/{git_hash}",
                commit_message=message,
                deploy_session="".join(rng.choices(string.ascii_letters + string.digits, k=10)),
                started_at=start,
                finished_at=finish,
                outcome=outcome,
                created_at=start,
            )
        )
    live = next((d for d in reversed(deployments) if d.outcome == 1), None)
    if live is not None:
        live.is_live = live.is_head = True
    deployments.reverse()
    return deployments


def _actions(rng, stack: StackRec, users: list[str]) -> list[ActionRec]:
    """A few finished actions, newest first."""
    actions: list[ActionRec] = []
    kinds = ["clear_caches", "restart", "stack-set: git.branch", "job_run_now", "env-var-update"]
    for k in range(rng.randint(1, ACTION_ID_STRIDE - 1)):
        started = stack.last_activity - (k + 1) * rng.randint(3600, 3 * 86400)
        actions.append(
            ActionRec(
                id=ACTION_ID_BASE + stack.index * ACTION_ID_STRIDE + k,
                user=rng.choice(users),
                action=rng.choice(kinds),
                resource_type="stack",
                resource_id=str(stack.index + 100),
                started_at=started,
                started_via=rng.choice(("api", "web", "toolbelt")),
                finished_at=started + rng.randint(2, 40),
                finished_success=True,
                finished_message="Completed",
            )
        )
    actions.sort(key=lambda a: a.id, reverse=True)
    return actions
