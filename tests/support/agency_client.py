"""A small agency client, written the way an agency developer would from the API reference: PyJWT for
the token, requests for HTTP. The tests use it against the portal served over real HTTP."""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt
import requests


class AgencyClient:
    def __init__(self, base_url: str, api_key: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.client_id, self.secret = api_key[-73:-37], api_key[-36:]
        self.http = requests.Session()

    def token(self, **overrides: Any) -> str:
        """A fresh token: iss = client id, iat = now, a new jti. `overrides` changes any claim."""
        claims = {"iss": self.client_id, "iat": int(time.time()), "jti": str(uuid.uuid4()), **overrides}
        claims = {key: value for key, value in claims.items() if value is not None}
        return jwt.encode(claims, self.secret, algorithm="HS256")

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token()}"}

    def request(
        self, method: str, path: str, *, token: str | None = None, **kwargs: Any
    ) -> requests.Response:
        headers = {**self.headers(token), **kwargs.pop("headers", {})}
        return self.http.request(method, f"{self.base_url}{path}", headers=headers, timeout=30, **kwargs)

    def put_case(self, urn: str, body: dict[str, Any], **kwargs: Any) -> requests.Response:
        return self.request("PUT", f"/api/v1/cases/{urn}", json=body, **kwargs)

    def add_victim(self, urn: str, body: dict[str, Any], **kwargs: Any) -> requests.Response:
        return self.request("POST", f"/api/v1/cases/{urn}/victims", json=body, **kwargs)

    def send_updates(self, urn: str, body: dict[str, Any], **kwargs: Any) -> requests.Response:
        return self.request("POST", f"/api/v1/cases/{urn}/updates", json=body, **kwargs)

    def preferences(self, urn: str, victim_id: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", f"/api/v1/cases/{urn}/victims/{victim_id}/preferences", **kwargs)

    def communications(self, urn: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", f"/api/v1/cases/{urn}/communications", **kwargs)
