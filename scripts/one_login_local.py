"""Settings for `make run ONE_LOGIN_LOCAL=1`: the portal signs in with the local GOV.UK One Login provider
(one_login_local/provider.mjs) on 127.0.0.1:5556.

    python scripts/one_login_local.py     # prints KEY=value lines for the shell (`set -a; eval "$(...)"`)

The first time, it makes the portal's key pair (EC P-256) under instance/one-login/ (git-ignored, like all of
instance/); the portal signs its token requests with the private key and the provider checks them with the
public one. The provider itself keeps nothing: restarting it signs everyone out of it, not of the portal.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ROOT = Path(__file__).resolve().parent.parent
KEY_DIR = ROOT / "instance" / "one-login"
PORTAL = "http://127.0.0.1:5000"
PROVIDER_PORT = 5556
CLIENT_ID = "victims-portal-local"


def ensure_key_pair(directory: Path = KEY_DIR) -> tuple[Path, Path]:
    """The private and public key files, made once."""
    private_path = directory / "client-private-key.pem"
    public_path = directory / "client-public-key.pem"
    if private_path.exists() and public_path.exists():
        return private_path, public_path
    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    private_path.touch(mode=0o600)
    private_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    public_path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private_path, public_path


def settings() -> dict[str, str]:
    """The portal's ONE_LOGIN_* settings and the provider's OL_* settings, which must agree."""
    private_path, public_path = ensure_key_pair()
    callback = f"{PORTAL}/one-login/callback"
    signed_out = f"{PORTAL}/signed-out"
    return {
        "ONE_LOGIN_CLIENT_ID": CLIENT_ID,
        "ONE_LOGIN_ISSUER": f"http://127.0.0.1:{PROVIDER_PORT}",
        "ONE_LOGIN_PRIVATE_KEY_PATH": str(private_path),
        "ONE_LOGIN_REDIRECT_URI": callback,
        "ONE_LOGIN_POST_LOGOUT_REDIRECT_URI": signed_out,
        "OL_HOST": "127.0.0.1",
        "OL_PORT": str(PROVIDER_PORT),
        "OL_CLIENT_ID": CLIENT_ID,
        "OL_CLIENT_PUBLIC_KEY_FILE": str(public_path),
        "OL_REDIRECT_URIS": callback,
        "OL_POST_LOGOUT_REDIRECT_URIS": signed_out,
        "OL_BACKCHANNEL_LOGOUT_URI": f"{PORTAL}/one-login/back-channel-logout",
    }


def main() -> None:
    for key, value in settings().items():
        print(f"{key}={shlex.quote(value)}")


if __name__ == "__main__":
    main()
