"""The service layer is usable without Textual."""

from __future__ import annotations

import subprocess
import sys


def test_api_does_not_import_textual():
    code = (
        "import sys\n"
        "import c66tui.api, c66tui.api.oauth, c66tui.api.client\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_public_interface():
    import c66tui.api as api
    from c66tui.api import oauth

    for name in (
        "Cloud66Client",
        "Secret",
        "Cloud66Error",
        "OutcomeUnknownError",
        "install_redaction",
        "redact",
    ):
        assert hasattr(api, name)
    for name in (
        "OOB_REDIRECT",
        "DEFAULT_SCOPES",
        "ALL_SCOPES",
        "AuthorizeRequest",
        "build_authorize_url",
        "normalize_code",
        "exchange_code",
        "validate_token",
        "auth_base_from_api_url",
    ):
        assert hasattr(oauth, name)
    for method in (
        "list_stacks",
        "get_stack",
        "list_deployments",
        "get_deployment",
        "list_servers",
        "list_server_groups",
        "list_stack_settings",
        "list_server_settings",
        "list_env_vars",
        "list_jobs",
        "get_job",
        "list_actions",
        "get_action",
        "get_account",
        "list_accounts",
        "list_users",
        "account_label",
        "redeploy",
        "cancel_deployment",
        "run_stack_action",
        "set_maintenance_mode",
        "update_stack_setting",
        "update_server_setting",
        "create_env_var",
        "update_env_var",
        "delete_env_var",
        "run_job",
        "pause_job",
        "resume_job",
        "wait_for_action",
        "aclose",
    ):
        assert callable(getattr(api.Cloud66Client, method)), method
