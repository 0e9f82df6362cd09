"""The local GOV.UK One Login provider (one_login_local/provider.mjs, oidc-provider under Node) for tests.

`start_provider` makes an EC P-256 key pair for the client, starts the provider on a free loopback port
and waits for the one line of JSON that names its issuer; `stop_provider` stops it with SIGTERM.
`sign_in_over_http` goes through the provider's sign-in page without a browser and returns the address
the provider sends the person back to (with `code` and `state`), without fetching it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_SCRIPT = ROOT / "one_login_local" / "provider.mjs"
OIDC_PROVIDER_PACKAGE = ROOT / "node_modules" / "oidc-provider"
START_TIMEOUT = 20.0


def missing_requirement() -> str | None:
    """Why the provider cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not OIDC_PROVIDER_PACKAGE.is_dir():
        return "node_modules/oidc-provider is missing: run `npm ci` (make install does)"
    return None


@dataclass
class LocalProvider:
    issuer: str
    client_id: str
    private_key_pem: str
    private_key_path: Path
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        """What the provider wrote to stderr (its warnings and errors)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def write_key_pair(directory: Path) -> tuple[Path, Path]:
    """An EC P-256 key pair in PEM files (the private one readable by its owner only)."""
    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    private_path = directory / "client-private-key.pem"
    public_path = directory / "client-public-key.pem"
    private_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    private_path.chmod(0o600)
    public_path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private_path, public_path


def start_provider(
    *,
    redirect_uri: str,
    post_logout_redirect_uri: str,
    backchannel_logout_uri: str,
    client_id: str = "victims-portal-test",
    workdir: Path,
    public_host: str = "127.0.0.1",
) -> LocalProvider:
    """The provider listening on 127.0.0.1, its issuer named with `public_host` (`localhost` puts it on
    another site than a portal on 127.0.0.1, as One Login is: cookies and SameSite then behave as they
    would in service)."""
    reason = missing_requirement()
    if reason is not None:
        raise RuntimeError(reason)
    private_path, public_path = write_key_pair(workdir)
    stdout_path = workdir / "provider.out"
    log_path = workdir / "provider.log"
    env = {
        **os.environ,
        "OL_HOST": "127.0.0.1",
        "OL_PUBLIC_HOST": public_host,
        "OL_PORT": "0",
        "OL_CLIENT_ID": client_id,
        "OL_CLIENT_PUBLIC_KEY_FILE": str(public_path),
        "OL_REDIRECT_URIS": redirect_uri,
        "OL_POST_LOGOUT_REDIRECT_URIS": post_logout_redirect_uri,
        "OL_BACKCHANNEL_LOGOUT_URI": backchannel_logout_uri,
    }
    # Files, not pipes: nothing has to keep reading them while the tests run.
    with stdout_path.open("wb") as stdout, log_path.open("wb") as stderr:
        process = subprocess.Popen(
            ["node", str(PROVIDER_SCRIPT)], cwd=ROOT, env=env, stdout=stdout, stderr=stderr
        )
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        first_line = stdout_path.read_text(encoding="utf-8").partition("\n")
        if first_line[1]:
            issuer = json.loads(first_line[0])["issuer"]
            break
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise RuntimeError(f"the local One Login provider did not start:\n{log_path.read_text()}")
        time.sleep(0.05)
    return LocalProvider(
        issuer=issuer,
        client_id=client_id,
        private_key_pem=private_path.read_text(encoding="utf-8"),
        private_key_path=private_path,
        process=process,
        log_path=log_path,
    )


@contextmanager
def running_provider(
    portal: str, workdir: Path, *, public_host: str = "127.0.0.1"
) -> Iterator[LocalProvider]:
    """The provider, its client registered with the portal at `portal` (callback, signed-out page and
    back-channel logout), stopped afterwards. A missing Node or oidc-provider FAILS the test rather than
    skipping it: `make test` installs both, so a skip would only hide that these tests never ran."""
    reason = missing_requirement()
    if reason is not None:
        pytest.fail(f"the local One Login provider cannot run: {reason}")
    provider = start_provider(
        redirect_uri=f"{portal}/one-login/callback",
        post_logout_redirect_uri=f"{portal}/signed-out",
        backchannel_logout_uri=f"{portal}/one-login/back-channel-logout",
        workdir=workdir,
        public_host=public_host,
    )
    try:
        yield provider
    finally:
        stop_provider(provider)


def stop_provider(p: LocalProvider) -> None:
    if p.process.poll() is None:
        p.process.send_signal(signal.SIGTERM)
        try:
            p.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.process.kill()
            p.process.wait()


class _FormFinder(HTMLParser):
    """The first form's action and its hidden inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = values.get("action") or ""
        elif tag == "input" and values.get("type") == "hidden" and values.get("name"):
            self.hidden[values["name"] or ""] = values.get("value") or ""


def find_form(html: str) -> tuple[str, dict[str, str]]:
    """The action of the page's first form and its hidden fields (for the sign-in and sign-out pages)."""
    finder = _FormFinder()
    finder.feed(html)
    if finder.action is None:
        raise AssertionError(f"no form on the page:\n{html}")
    return finder.action, finder.hidden


def follow_provider_redirects(http: requests.Session, response: requests.Response) -> requests.Response | str:
    """Follow redirects while they stay on the provider; return the first address elsewhere (unfetched),
    or the provider's page where the redirects stop."""
    provider = urlsplit(response.url).netloc
    for _ in range(10):
        if not response.is_redirect:
            return response
        location = urljoin(response.url, response.headers["Location"])
        if urlsplit(location).netloc != provider:
            return location
        response = http.get(location, allow_redirects=False, timeout=10)
    raise AssertionError("too many redirects at the provider")


def sign_in_over_http(http: requests.Session, authorise_url: str, email: str) -> str:
    """Sign in at the provider as `email` and return the client's redirect_uri URL with code and state.

    A request the provider refuses before the sign-in page (no nonce, a bad vtr) comes back the same way,
    as the redirect_uri URL with `error` and `state`; someone already signed in at the provider with `http`
    goes straight back without the form."""
    result = follow_provider_redirects(http, http.get(authorise_url, allow_redirects=False, timeout=10))
    if isinstance(result, str):
        return result  # already signed in at the provider: straight back to the client
    if result.status_code != 200:
        raise AssertionError(f"the provider refused the request ({result.status_code}):\n{result.text}")
    action, hidden = find_form(result.text)
    posted = http.post(
        urljoin(result.url, action), data={**hidden, "email": email}, allow_redirects=False, timeout=10
    )
    final = follow_provider_redirects(http, posted)
    if isinstance(final, str):
        return final
    raise AssertionError(f"the provider did not send the person back ({final.status_code}):\n{final.text}")
