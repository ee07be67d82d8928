"""The tabs of the settings screen, one module each.

``stack_settings``, ``server_settings`` and ``env_vars`` show and change what Cloud 66
holds for the stack in focus; ``preferences`` and ``profiles`` edit c66tui's own
``config.toml``. ``common`` holds the shared tab base and text helpers, ``writes`` the
journalled, single-flight write flow every API change goes through.

The package imports nothing itself so the dialogs can use ``common`` without cycles.
"""
