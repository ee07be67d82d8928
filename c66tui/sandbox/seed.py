"""Deterministic seed data for the sandbox world.

Stack summaries are built eagerly (cheap: a few random draws each, so thousands take a
fraction of a second); each stack's servers, settings, env vars, jobs, deployments and
action history are built on first use by :func:`.seed_details.build_details`, from a
random generator seeded with the world seed and the stack uid, so the result does not
depend on the order in which stacks are visited. The word lists both draw from are the
package data file ``seed_words.json``.

The default world (``stacks=None``) has 40 stacks over three accounts and always contains
the stacks named by the ``*_STACK`` constants below.
"""

from __future__ import annotations

import json
import random
from importlib import resources

from c66tui.sandbox.records import AccountRec, StackRec, UserRec

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

SPECIALS = [
    (DEPLOYING_STACK, 0, "production", "deploying"),
    (HISTORY_STACK, 0, "production", "history"),
    (FAILED_STACK, 0, "production", "failed"),
    (MAINTENANCE_STACK, 1, "production", "maintenance"),
    (MARKUP_STACK, 1, "staging", "markup"),
    (QUIET_STACK, 2, "development", "quiet"),
]
"""The notable stacks: name, account index, environment, role."""

WORDS = json.loads(resources.files(__package__).joinpath("seed_words.json").read_text("utf-8"))
"""The word lists and templates of ``seed_words.json`` (package data; positions matter:
the seeded random draws pick by index)."""
PRODUCTS: list[str] = WORDS["products"]
COMPONENTS: list[str] = WORDS["components"]
ENV_SUFFIX: dict[str, str] = WORDS["environment_suffixes"]
CLOUDS = [(c["name"], c["regions"], c["sizes"]) for c in WORDS["clouds"]]
"""(vendor, regions, server sizes)."""
FRAMEWORKS = [(f["language"], f["framework"]) for f in WORDS["frameworks"]]
SERVER_NAMES: list[str] = WORDS["server_names"]
COMMITS: list[str] = WORDS["commit_messages"]
JOB_TEMPLATES = [(j["name"], j["type"], j["cron"], j["params"]) for j in WORDS["jobs"]]
"""(name, type, cron, params) of the jobs a stack may have."""
USER_ENV = [(e["key"], e["secret"]) for e in WORDS["user_env"]]
"""(key, whether the value is a password) of the variables a user may have added."""
SETTING_WARNINGS: dict[str, str] = WORDS["setting_warnings"]

DEPLOY_ID_BASE = 100_000
DEPLOY_ID_STRIDE = 64
ACTION_ID_BASE = 1_000
ACTION_ID_STRIDE = 5


def hex_id(rng: random.Random, bits: int = 128) -> str:
    return f"{rng.getrandbits(bits):0{bits // 4}x}"


def slugify(name: str) -> str:
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
    taken = {name for name, *_ in SPECIALS}
    out: list[tuple[str, str]] = []
    combos = len(PRODUCTS) * len(COMPONENTS) * 3
    while len(out) < count:
        env = rng.choices(("production", "staging", "development"), (4, 3, 2))[0]
        base = f"{rng.choice(PRODUCTS)}-{rng.choice(COMPONENTS)}{ENV_SUFFIX[env]}"
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
    specials = SPECIALS[:total]
    plan = [(name, acc, env, role) for name, acc, env, role in specials]
    for name, env in _names(rng, total - len(specials)):
        acc = rng.choices((0, 1, 2), (5, 3, 2))[0]
        roll = rng.random()
        role = "failed" if roll < 0.04 else "maintenance" if roll < 0.06 else "plain"
        plan.append((name, acc, env, role))
    stacks = []
    for index, (name, acc, env, role) in enumerate(plan):
        cloud = rng.choice(CLOUDS)[0]
        language, framework = rng.choice(FRAMEWORKS)
        slug = slugify(name)
        uid = hex_id(rng)
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
                git=f"https://github.com/{slugify(ACCOUNTS[acc][1])}/{repo}.git",
                git_branch={"production": "main", "staging": "staging"}.get(env, "develop"),
                fqdn=f"{slug}.{env[:3]}.c66.me",
                status=status,
                health=health,
                maintenance=role == "maintenance",
                has_loadbalancer=env == "production",
                created_at=created,
                updated_at=last,
                last_activity=last,
                redeploy_hook=f"https://hooks.cloud66.com/stacks/redeploy/{hex_id(rng)}/{uid}",
                deploy_directory=f"/var/deploy/{slug.replace('-', '_')}",
                busy=role == "deploying",
            )
        )
    return stacks


def role_of(stack: StackRec) -> str:
    """The notable role of a stack (``"plain"`` for the ordinary ones)."""
    for name, _acc, _env, role in SPECIALS:
        if stack.index < len(SPECIALS) and stack.name == name:
            return role
    return "plain"
