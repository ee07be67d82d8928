"""The answer structs of the official Go library, as data: field names and Go types.

Copied (names and types only) from cloud66-oss/cloud66 at commit
7754813ac435e39396d851ab742aa97f0573ffdf (2026-05-21); the file of each struct is named
beside it. ``encoding/json`` decodes an answer into these: a field of the wrong JSON type,
or a ``time.Time`` that is not RFC 3339, makes the whole call fail; a missing field or a
``null`` leaves the Go zero value.

Type words: ``string``, ``int``, ``bool``, ``time`` (RFC 3339 text), ``any``
(``interface{}`` / ``json.RawMessage``), ``[]T`` (a list of T), ``map[string]T``, or the
name of another struct here. A leading ``*`` marks a Go pointer (no difference to
decoding; kept for the record).

``optional`` lists the fields the sandbox need not send (the published docs do not show
them and the product does not read them); every other field must be present.
"""

from __future__ import annotations

COMMIT = "7754813ac435e39396d851ab742aa97f0573ffdf"

STRUCTS: dict[str, dict] = {
    # cloud66.go
    "GenericResponse": {"fields": {"ok": "bool", "message": "string"}},
    "Pagination": {
        # Decoded with Go's case-insensitive field matching from "previous"/"next"/"current".
        "fields": {"previous": "int", "next": "int", "current": "int"},
    },
    # stack.go
    "Stack": {
        "fields": {
            "uid": "string",
            "name": "string",
            "git": "string",
            "git_branch": "string",
            "environment": "string",
            "cloud": "string",
            "fqdn": "string",
            "language": "string",
            "framework": "string",
            "status": "int",
            "health": "int",
            "maintenance_mode": "bool",
            "has_loadbalancer": "bool",
            "redeploy_hook": "*string",
            "last_activity_iso": "*time",
            "updated_at_iso": "time",
            "created_at_iso": "time",
            "deploy_directory": "string",
            "backend": "string",
            "version": "string",
            "revision": "string",
            "namespaces": "[]string",
            "account_id": "int",
            "account_name": "string",
            "is_cluster": "bool",
            "is_inside_cluster": "bool",
            "cluster_name": "string",
            "application_address": "*string",
            "configstore_namespace": "string",
        },
        # The hook is sent only to tokens with the redeploy scope (reference section 3).
        "optional": ["redeploy_hook"],
    },
    "StackSetting": {
        "fields": {"key": "string", "value": "any", "readonly": "bool", "hidden": "bool"},
        "optional": ["hidden"],
    },
    "StackEnvVarHistory": {
        "fields": {"value": "any", "created_at_iso": "time", "updated_at_iso": "time"},
    },
    "StackEnvVar": {
        "fields": {
            "key": "string",
            "value": "any",
            "readonly": "bool",
            "created_at_iso": "time",
            "updated_at_iso": "time",
            "history": "[]StackEnvVarHistory",
        },
    },
    "EnvVarsString": {"fields": {"contents": "string"}},  # StackEnvVarsString's anonymous struct
    "RedeployResponse": {
        "fields": {
            "ok": "bool",
            "message": "string",
            "queued": "bool",
            "async_action_id": "*int",
        },
    },
    # async.go
    "AsyncResult": {
        "fields": {
            "id": "int",
            "user": "string",
            "resource_type": "string",
            "resource_id": "string",
            "action": "string",
            "started_via": "string",
            "started_at": "time",
            "finished_at": "*time",
            "finished_success": "*bool",
            "finished_message": "string",
        },
    },
    # job.go, job-docker-host-task.go, job-docker-service-task.go (JobFactory picks by type)
    "BasicJob": {
        "fields": {
            "id": "int",
            "uid": "string",
            "name": "string",
            "type": "string",
            "cron": "string",
            "status": "int",
            "params": "any",
        },
    },
    "DockerHostTaskJobParams": {"fields": {"command": "string"}},
    "DockerServiceTaskJobParams": {
        "fields": {"task": "string", "service_name": "string", "private_ip": "string"},
    },
    # server.go
    "ServerNotification": {"fields": {"value": "any", "reason": "string", "asof": "time"}},
    "Server": {
        "fields": {
            "uid": "string",
            "vendor_uid": "string",
            "name": "string",
            "address": "string",
            "distro": "string",
            "distro_version": "string",
            "dns_record": "string",
            "server_type": "string",
            "server_group_id": "int",
            "server_roles": "[]string",
            "stack_uid": "string",
            "has_agent": "bool",
            "params": "any",
            "created_at": "time",
            "updated_at": "time",
            "region": "string",
            "availability_zone": "string",
            "ext_ipv4": "string",
            "health_state": "int",
            "user_name": "string",
            "personal_key": "bool",
            "ssh_private_key": "*string",
            "notifications": "map[string]ServerNotification",
            "has_deploy_gateway": "bool",
            "deploy_gateway_address": "string",
            "deploy_gateway_user_name": "string",
            "is_kubernetes_master": "bool",
        },
        # Not in the documented server sample; the product does not read them.
        "optional": [
            "personal_key",
            "ssh_private_key",
            "notifications",
            "has_deploy_gateway",
            "deploy_gateway_address",
            "deploy_gateway_user_name",
            "is_kubernetes_master",
        ],
    },
    # user.go
    "StackProfileType": {"fields": {"stack_uid": "string", "role": "string"}},
    "AccountProfileType": {
        "fields": {
            **{
                name: "bool"
                for name in (
                    "can_create_stack can_admin_users can_payment can_add_cloud_key "
                    "can_del_cloud_key can_view_acc_notifications can_edit_acc_notifications "
                    "can_view_audit can_view_docker_img_key can_del_ssh_key "
                    "can_edit_personal_token can_del_authorized_app can_view_custom_env "
                    "can_edit_custom_env can_add_developers_app can_del_developers_app "
                    "can_edit_git_key can_edit_gateway"
                ).split()
            },
            "default_roles": "[]string",
        },
    },
    "AclsType": {"fields": {"account_id": "int", "entity_uri": "string", "action": "string"}},
    "AccessProfileType": {
        "fields": {
            "account_profile": "AccountProfileType",
            "stack_profiles": "[]StackProfileType",
            "acls_profile": "[]AclsType",
            "override": "bool",
        },
        "optional": ["acls_profile", "override"],  # not in the documented user sample
    },
    "User": {
        "fields": {
            "id": "int",
            "email": "string",
            "primary_account_id": "int",
            "locked": "bool",
            "access_profile": "AccessProfileType",
            "uses_tfa": "bool",
            "timezone": "string",
            "has_valid_phone": "bool",
            "developer_program": "bool",
            "github_login": "bool",
            "last_login": "time",
            "devices": "any",
            "created_at": "time",
            "updated_at": "time",
            "cloud_status": "string",
        },
    },
    # account.go
    "UnmanagedServer": {"fields": {"vendor": "string", "id": "string"}},
    "Account": {
        "fields": {
            "id": "int",
            "owner": "string",
            "friendly_name": "string",
            "stack_count": "int",
            "used_clouds": "[]string",
            "created_at": "time",
            "updated_at": "time",
            "current_account": "bool",
            "unmanaged_servers": "[]UnmanagedServer",
            "server_registration_script": "string",
            "configstore_namespace": "string",
        },
        # Sent only with include_servers=true (AccountInfo's query).
        "optional": ["unmanaged_servers", "server_registration_script"],
    },
    # configuration.go
    "Configuration": {
        "fields": {
            "name": "string",
            "type": "string",
            "body": "string",
            "comments": "string",
            "can_apply": "bool",
            "changed_by": "string",
            "created_at": "time",
            "updated_at": "time",
        },
    },
    # backups.go
    "ManagedBackup": {
        "fields": {
            "id": "int",
            "server_uid": "string",
            "file_name": "string",
            "db_type": "string",
            "database_name": "string",
            "file_base": "string",
            "backup_date_iso": "time",
            "backup_status": "int",
            "backup_result": "string",
            "restore_status": "int",
            "restore_result": "string",
            "created_at_iso": "time",
            "updated_at_iso": "time",
            "verify_status": "int",
            "verify_result": "string",
            "storage_path": "string",
            "skip_tables": "string",
            "logical_backup": "*bool",
        },
    },
    "BackupSegmentIndex": {"fields": {"name": "string", "id": "string"}},
    "BackupSegment": {"fields": {"ok": "bool", "public_url": "string"}},
    # operation.go
    "OperationLogEntry": {
        "fields": {
            "v": "int",
            "m": "string",
            "t": "time",
            "s": "*string",
            "e": "int",
            "operation_uid": "*string",
        },
        "optional": ["operation_uid"],  # omitempty; only for child operations
    },
}
