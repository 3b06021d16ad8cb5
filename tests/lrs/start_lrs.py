"""Starts the Ralph learning record store (PyPI ralph-malph) on 127.0.0.1:8100 for the browser
tests (xapi.spec.mjs), with its file-system backend under target/lrs/ and one Basic-auth user,
thresholds:secret. scripts/setup --for-tests installs Ralph in its own virtual environment.

Two things Ralph's own `runserver` cannot be told: statements are appended to the backend's
file (its default refuses every write after the first), and the server listens on loopback
only. So this starts uvicorn itself, after both are set.
"""
import json
import os
import shutil
from pathlib import Path

root = Path(__file__).resolve().parents[2] / "target" / "lrs"
shutil.rmtree(root, ignore_errors=True)
(root / "data").mkdir(parents=True)
os.environ["RALPH_RUNSERVER_BACKEND"] = "fs"
os.environ["RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH"] = str(root / "data")
os.environ["RALPH_AUTH_FILE"] = str(root / "auth.json")
os.environ["RALPH_APP_DIR"] = str(root / "app")

import bcrypt  # noqa: E402  (installed with Ralph)

(root / "auth.json").write_text(json.dumps([{
    "agent": {"mbox": "mailto:lrs@example.org"},
    "scopes": ["all"],
    "hash": bcrypt.hashpw(b"secret", bcrypt.gensalt()).decode(),
    "username": "thresholds",
}]))

import uvicorn  # noqa: E402
from ralph.backends.data.base import BaseOperationType  # noqa: E402
from ralph.backends.lrs.fs import FSLRSBackend  # noqa: E402

FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=8100, log_level="warning")
