"""Deterministic seed data for the sandbox world.

Stack summaries are built eagerly (cheap: a few random draws each, so thousands take a
fraction of a second); each stack's servers, settings, env vars, jobs, deployments and
action history are built on first use by :func:`build_details`, from a random generator
seeded with the world seed and the stack uid, so the result does not depend on the order
in which stacks are visited.

The default world (``stacks=None``) has 40 stacks over three accounts and always contains
the stacks named by the ``*_STACK`` constants below.
"""

from __future__ import annotations

import random
import string

from c66tui.sandbox.records import (
    AccountRec,
    ActionRec,
    DeployRec,
    Details,
    EnvRec,
    GroupRec,
    JobRec,
    ServerRec,
    SettingRec,
    StackRec,
    UserRec,
)

DEFAULT_STACK_COUNT = 40

DEPLOYING_STACK = "shop-frontend"
"""Production stack with a deployment running when the world starts."""
HISTORY_STACK = "shop-backend"
"""Healthy production stack with 42 deployments, 50+ env vars (two pages each), a job whose
name carries markup and a deployment whose commit message carries an escape sequence."""
FAILED_STACK = "billing-api"
"""Production stack whose last deployment failed (status 2)."""
MAINTENANCE_STACK = "marketing-site"
"""Production stack in maintenance mode."""
MARKUP_STACK = "legacy [bold]api[/bold]"
"""Staging stack whose name contains Rich markup; one of its jobs has an escape sequence."""
QUIET_STACK = "tps-reports"
"""Small development stack of the third account."""

ESCAPE_TEXT = "\x1b]0;pwned\x07"
"""Terminal title-setting escape sequence planted in seed text to exercise sanitising."""

DEMO_EMAIL = "demo@example.com"

ACCOUNTS = [
    (4021, "Acme Corp", DEMO_EMAIL),
    (4022, "Globex", "ops@globex.example"),
    (4023, "Initech", "peter@initech.example"),
]
USERS = [
    (801, DEMO_EMAIL, 4021, "Administrator"),
    (802, "ops@globex.example", 4022, "Administrator"),
    (803, "peter@initech.example", 4023, "Deployer"),
    (804, "dev@example.com", 4021, "Deployer"),
    (805, "viewer@example.com", 4021, "Viewer"),
]

# name, account index, environment, role
_SPECIALS = [
    (DEPLOYING_STACK, 0, "production", "deploying"),
    (HISTORY_STACK, 0, "production", "history"),
    (FAILED_STACK, 0, "production", "failed"),
    (MAINTENANCE_STACK, 1, "production", "maintenance"),
    (MARKUP_STACK, 1, "staging", "markup"),
    (QUIET_STACK, 2, "development", "quiet"),
]

_PRODUCTS = (
    "shop auth search payments inventory notifications reporting media docs admin mobile "
    "partner checkout crm ledger catalog gateway signup support analytics booking fleet "
    "forecast invoicing loyalty mailer onboarding pricing quotes returns scheduler"
).split()
_COMPONENTS = "api web worker portal sync service".split()
_ENV_SUFFIX = {"production": "", "staging": "-staging", "development": "-dev"}
_CLOUDS = [
    ("DigitalOcean", ["ams3", "lon1", "nyc3", "fra1"], ["2gb", "4gb", "8gb"]),
    ("AWS", ["us-east-1", "eu-west-1", "eu-central-1"], ["t3.small", "m5.large", "c5.xlarge"]),
    ("Linode", ["eu-west", "us-east"], ["g6-standard-2", "g6-standard-4"]),
    ("GCE", ["europe-west1", "us-central1"], ["e2-medium", "n2-standard-2"]),
]
_FRAMEWORKS = [("ruby", "rails"), ("ruby", "rack"), ("node", "express"), ("docker", "docker")]
_ANIMALS = (
    "Caribou Heron Otter Lynx Badger Marten Ibex Puffin Walrus Osprey Bison Gecko Jackal Koala "
    "Lemur Mole Newt Ocelot Panda Quokka Raven Stoat Tapir Urchin Vole Wombat Yak Zebu"
).split()
_COMMITS = [
    "Fix rounding of checkout totals",
    "Bump rails to 7.1.3",
    "Add index on orders.created_at",
    "Retry webhook delivery with backoff",
    "Remove unused feature flag",
    "Upgrade puma to 6.4",
    "Cache product listing fragments",
    "Tidy up assets pipeline config",
    "Log request ids in background jobs",
    "Handle empty cart on checkout",
    "Merge pull request #412 from release/2024-05",
    "Rotate API client credentials",
]
_JOB_TEMPLATES = [
    ("nightly_cleanup", "RakeJob", "0 3 * * *", {"task": "cleanup:all"}),
    ("db_migrate", "RakeJob", None, {"task": "db:migrate"}),
    ("send_digests", "RakeJob", "30 7 * * 1-5", {"task": "mailer:digests"}),
    ("rotate_logs", "DockerHostTaskJob", "01 00 1 * *", {"command": "logrotate -f /etc/lr"}),
    ("disk_report", "DockerHostTaskJob", "*/15 * * * *", {"command": "df -h"}),
    (
        "reindex_search",
        "DockerServiceTaskJob",
        "0 */6 * * *",
        {"service_name": "web", "task": "bin/rails search:reindex"},
    ),
    ("warm_caches", "DockerServiceTaskJob", None, {"service_name": "worker", "task": "bin/warm"}),
]
_USER_ENV = [
    ("SECRET_KEY_BASE", True),
    ("STRIPE_API_KEY", True),
    ("SENTRY_DSN", False),
    ("FEATURE_NEW_CHECKOUT", False),
    ("WEB_CONCURRENCY", False),
    ("SMTP_PASSWORD", True),
    ("LOG_LEVEL", False),
]

SETTING_WARNINGS = {
    "stack.name": "Changing this value also changes the stack's *.c66.me DNS names",
    "git.repository": "Changing the repository takes effect on the next deployment",
    "allowed.web.source": "Only these addresses will reach the web servers",
    "server.name": "Renaming a server changes its *.c66.me DNS record",
}

DEPLOY_ID_BASE = 100_000
DEPLOY_ID_STRIDE = 64
ACTION_ID_BASE = 1_000
ACTION_ID_STRIDE = 5


def _hex(rng: random.Random, bits: int = 128) -> str:
    return f"{rng.getrandbits(bits):0{bits // 4}x}"


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-") or "stack"


def build_accounts(t0: float) -> list[AccountRec]:
    return [
        AccountRec(
            id=i, name=name, owner=owner, created_at=t0 - 800 * 86400 - i, updated_at=t0 - 3 * 86400
        )
        for i, name, owner in ACCOUNTS
    ]


def build_users(t0: float) -> list[UserRec]:
    return [
        UserRec(
            id=i,
            email=email,
            primary_account_id=acc,
            role=role,
            created_at=t0 - 700 * 86400 + i * 3600,
            last_login=t0 - (i - 800) * 5400,
        )
        for i, email, acc, role in USERS
    ]


def _names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` unique (name, environment) pairs for ordinary stacks."""
    taken = {name for name, *_ in _SPECIALS}
    out: list[tuple[str, str]] = []
    combos = len(_PRODUCTS) * len(_COMPONENTS) * 3
    while len(out) < count:
        env = rng.choices(("production", "staging", "development"), (4, 3, 2))[0]
        base = f"{rng.choice(_PRODUCTS)}-{rng.choice(_COMPONENTS)}{_ENV_SUFFIX[env]}"
        if len(taken) < combos // 2:
            if base in taken:
                continue
            name = base
        else:
            name = f"{base}-{len(out):04d}"
        taken.add(name)
        out.append((name, env))
    return out


def build_stacks(seed: int, count: int | None, t0: float) -> list[StackRec]:
    """Stack summaries, the special stacks first (as many as fit in ``count``)."""
    total = DEFAULT_STACK_COUNT if count is None else max(0, int(count))
    rng = random.Random(seed)
    specials = _SPECIALS[:total]
    plan = [(name, acc, env, role) for name, acc, env, role in specials]
    for name, env in _names(rng, total - len(specials)):
        acc = rng.choices((0, 1, 2), (5, 3, 2))[0]
        roll = rng.random()
        role = "failed" if roll < 0.04 else "maintenance" if roll < 0.06 else "plain"
        plan.append((name, acc, env, role))
    stacks = []
    for index, (name, acc, env, role) in enumerate(plan):
        cloud = rng.choice(_CLOUDS)[0]
        language, framework = rng.choice(_FRAMEWORKS)
        slug = _slug(name)
        uid = _hex(rng)
        created = t0 - rng.randint(40, 900) * 86400 - rng.randint(0, 86399)
        last = t0 - rng.randint(300, 20 * 86400)
        health = 3 if rng.random() > 0.1 else 2
        status = 1
        if role == "failed":
            status, health = 2, 4
        elif role == "deploying":
            status = 6
        repo = slug.split("-")[0]
        stacks.append(
            StackRec(
                index=index,
                uid=uid,
                name=name,
                account_id=ACCOUNTS[acc][0],
                account_name=ACCOUNTS[acc][1],
                environment=env,
                cloud=cloud,
                language=language,
                framework=framework,
                git=f"https://github.com/{_slug(ACCOUNTS[acc][1])}/{repo}.git",
                git_branch={"production": "main", "staging": "staging"}.get(env, "develop"),
                fqdn=f"{slug}.{env[:3]}.c66.me",
                status=status,
                health=health,
                maintenance=role == "maintenance",
                has_loadbalancer=env == "production",
                created_at=created,
                updated_at=last,
                last_activity=last,
                redeploy_hook=f"https://hooks.cloud66.com/stacks/redeploy/{_hex(rng)}/{uid}",
                deploy_directory=f"/var/deploy/{slug.replace('-', '_')}",
                busy=role == "deploying",
            )
        )
    return stacks


def _role(stack: StackRec) -> str:
    for name, _acc, _env, role in _SPECIALS:
        if stack.index < len(_SPECIALS) and stack.name == name:
            return role
    return "plain"


def build_details(seed: int, stack: StackRec, t0: float) -> Details:
    """Servers, settings, env vars, jobs, deployments and actions of one stack."""
    rng = random.Random(f"{seed}:{stack.uid}")
    role = _role(stack)
    cloud = next(c for c in _CLOUDS if c[0] == stack.cloud)
    region = rng.choice(cloud[1])
    slug = _slug(stack.name)
    users = [u[1] for u in USERS]

    # Server groups and servers.
    gbase = 1000 + stack.index * 4
    db_type = rng.choice(("postgresql", "mysql"))
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
    groups, servers = [], []
    animals = rng.sample(_ANIMALS, 6)
    for gid, gname, gtype, roles in group_specs:
        groups.append(GroupRec(id=gid, name=gname, type=gtype, created_at=stack.created_at))
        count = rng.randint(2, 3) if gtype == "rails" and stack.environment == "production" else 1
        for _ in range(count):
            name = animals[len(servers) % len(animals)]
            octets = [rng.randint(1, 254) for _ in range(2)]
            servers.append(
                ServerRec(
                    uid=_hex(rng),
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

    # Settings.
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

    # Environment variables.
    env: list[EnvRec] = []
    ebase = 10_000 + stack.index * 1000

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
    add_env(f"{prefix}_USERNAME", slug.split("-")[0], generated=True, history=1)
    add_env(f"{prefix}_PASSWORD", _hex(rng, 64), password=True, generated=True)
    add_env(f"{prefix}_DATABASE", f"{slug.replace('-', '_')}_{stack.environment}", generated=True)
    if any(g.type == "redis" for g in groups):
        redis = next(s for s in servers if "redis" in s.roles)
        add_env("REDIS_ADDRESS", redis.int_ipv4, generated=True)
    for key, secret in _USER_ENV[: rng.randint(3, len(_USER_ENV))]:
        value = _hex(rng, 96) if secret else rng.choice(["info", "2", "true", "https://x.example"])
        add_env(key, value, password=secret, history=rng.choice((0, 0, 1, 2)))
    if role == "history":
        for n in range(1, 43):
            add_env(f"FEATURE_FLAG_{n:02d}", rng.choice(("on", "off")), history=n % 3 == 0)

    # Jobs.
    jobs: list[JobRec] = []
    templates = rng.sample(_JOB_TEMPLATES, rng.randint(2, 5))
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
                uid=_hex(rng),
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

    # Deployment history, oldest first while building.
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
        git_hash = _hex(rng, 160)
        message = rng.choice(_COMMITS)
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

    # Action history, newest first.
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

    return Details(
        groups=groups,
        servers=servers,
        settings=settings,
        server_settings=server_settings,
        env=env,
        jobs=jobs,
        deployments=deployments,
        actions=actions,
        next_env_id=ebase + len(env),
    )
