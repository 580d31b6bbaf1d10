"""Where QMSR Ready keeps its per-user files.

Each folder honours an environment variable first (tests and portable installs point them at a
scratch folder), then falls back to the platformdirs location for this user.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "qmsr-ready"
APP_AUTHOR = "qmsr-ready"

DATA_DIR_ENV = "QMSR_READY_DATA_DIR"
CONFIG_DIR_ENV = "QMSR_READY_CONFIG_DIR"
LOG_DIR_ENV = "QMSR_READY_LOG_DIR"


def _from_env(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def user_data_dir() -> Path:
    """Folder for workspaces and user templates."""
    return _from_env(DATA_DIR_ENV) or Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def user_config_dir() -> Path:
    """Folder for settings."""
    return _from_env(CONFIG_DIR_ENV) or Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def user_log_dir() -> Path:
    """Folder for log files."""
    return _from_env(LOG_DIR_ENV) or Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def user_templates_dir() -> Path:
    """Folder where users drop their own checklist templates (YAML)."""
    return user_data_dir() / "templates"


def default_workspace_path() -> Path:
    """The workspace opened when none is named: ``default.qmsr`` in the user data folder."""
    return user_data_dir() / "default.qmsr"
