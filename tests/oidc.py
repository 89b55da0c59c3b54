"""The tests' OpenID Connect provider (tests/oidc_provider: github.com/oauth2-proxy/mockoidc), built with Go into
the cache once per version of its source, run as a process for a test module."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

SOURCE = Path(__file__).resolve().parent / "oidc_provider"
CACHE = Path(os.environ.get("SCP_CACHE_DIR") or Path.home() / ".cache" / "scp") / "bin"


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    control: str

    def signs_in_next(self, email: str, subject: str | None = None, verified: bool = True) -> None:
        """The person the provider authenticates at its next authorization request."""
        httpx.post(f"{self.control}/users", json={"subject": subject or f"sub-{email}", "email": email,
                                                  "email_verified": verified}).raise_for_status()


def binary() -> Path:
    digest = hashlib.sha256(b"".join((SOURCE / name).read_bytes() for name in ("main.go", "go.mod", "go.sum")))
    target = CACHE / f"oidc-provider-{digest.hexdigest()[:12]}"
    if not target.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        subprocess.run(["go", "build", "-o", str(partial), "."], cwd=SOURCE, check=True, timeout=600,
                       env={**os.environ, "CGO_ENABLED": "0"})
        partial.rename(target)
    return target


@contextmanager
def provider() -> Iterator[Provider]:
    process = subprocess.Popen([str(binary())], stdout=subprocess.PIPE, text=True)
    try:
        yield Provider(**json.loads(process.stdout.readline()))
    finally:
        process.kill()
        process.wait(timeout=10)
