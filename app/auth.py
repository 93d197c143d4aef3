"""Credentials and roles of the operator API.

Two kinds of credential:

- **API keys** (header ``X-API-Key: <key>`` or ``Authorization: Bearer <key>``): a key is
  ``amk_<id>_<secret>`` with a 256-bit random secret; only its SHA-256 is stored (table
  ``api_keys`` in the API database), with its ``role``, ``name`` and revocation time.
  ``settings.api_bootstrap_admin_key`` (a secret) is an admin key accepted as is, so a
  fresh deployment is usable before any key exists.
- **OAuth2 bearer JWTs** (``Authorization: Bearer <jwt>``), verified with PyJWT against
  ``jwt_verification_key`` (PEM public key, or a shared secret for HS*) or the keys of
  ``jwt_jwks_file`` (by ``kid``), with ``jwt_issuer``/``jwt_audience`` checked when set
  and the roles read from the claim ``jwt_roles_claim`` (a list or a space-separated
  string; a dotted path such as ``realm_access.roles`` descends into objects).

Roles: ``operator`` (screen, read alerts, disposition), ``admin`` (watchlists, keys,
audit; implies ``operator``), ``feed`` (raw message intake).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import jwt
import orjson

from app.alert_store import Database
from app.settings import Settings

Role = Literal["operator", "admin", "feed"]
ROLES: tuple[Role, ...] = ("operator", "admin", "feed")
IMPLIED: dict[str, frozenset[str]] = {"admin": frozenset({"admin", "operator"}),
                                      "operator": frozenset({"operator"}), "feed": frozenset({"feed"})}

KEYS_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT,
    revoked_at TEXT
);
"""


class AuthError(Exception):
    """A missing or invalid credential (HTTP 401). ``detail`` never repeats the credential."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class Principal:
    """Who is calling: ``subject`` (``key:<id>``, ``bootstrap`` or the JWT ``sub``),
    ``auth`` (``api_key``, ``bootstrap`` or ``jwt``) and the effective ``roles``
    (implied roles included)."""

    subject: str
    auth: str
    roles: frozenset[str]

    def has(self, role: str) -> bool:
        return role in self.roles


def effective_roles(roles: list[str] | tuple[str, ...] | frozenset[str]) -> frozenset[str]:
    """Known roles plus the roles they imply (``admin`` → ``operator``); unknown ones dropped."""
    out: set[str] = set()
    for r in roles:
        out |= IMPLIED.get(r, frozenset())
    return frozenset(out)


def hash_key(key: str) -> str:
    """SHA-256 (hex) of an API key, as stored."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ApiKey:
    """A stored key (never the key itself): ``id``, ``name``, ``role``, creation and
    revocation times (UTC ISO-8601) and the creating principal."""

    id: str
    name: str
    role: str
    created_at: str
    created_by: str | None
    revoked_at: str | None


class KeyStore:
    """API keys in the ``api_keys`` table of a :class:`Database` (blocking calls)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.add_schema(KEYS_SCHEMA)

    def create(self, *, role: str, name: str, created_by: str | None = None) -> tuple[ApiKey, str]:
        """A new key for ``role``: returns the stored record and the key (shown once).
        Raises ValueError for an unknown role or an empty name."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
        if not name.strip():
            raise ValueError("a key needs a name")
        key_id = secrets.token_hex(6)
        key = f"amk_{key_id}_{secrets.token_urlsafe(32)}"
        record = ApiKey(id=key_id, name=name.strip()[:200], role=role, created_at=datetime.now(UTC).isoformat(),
                        created_by=created_by, revoked_at=None)
        self.db.run(lambda c: c.execute(
            "INSERT INTO api_keys (id, name, role, key_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
            (record.id, record.name, record.role, hash_key(key), record.created_at, created_by)))
        return record, key

    def list(self) -> list[ApiKey]:
        """Every key, oldest first (revoked ones too)."""
        rows = self.db.run(lambda c: c.execute(
            "SELECT id, name, role, created_at, created_by, revoked_at FROM api_keys ORDER BY created_at, id")
            .fetchall())
        return [ApiKey(**dict(r)) for r in rows]

    def revoke(self, key_id: str) -> bool:
        """Revoke a key; False when no active key has that id."""

        def go(c: sqlite3.Connection) -> bool:
            cur = c.execute("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                            (datetime.now(UTC).isoformat(), key_id))
            return cur.rowcount > 0

        return self.db.run(go)

    def lookup(self, key: str) -> ApiKey | None:
        """The active key whose hash matches ``key``, or None."""
        row = self.db.run(lambda c: c.execute(
            "SELECT id, name, role, created_at, created_by, revoked_at FROM api_keys"
            " WHERE key_hash = ? AND revoked_at IS NULL", (hash_key(key),)).fetchone())
        return ApiKey(**dict(row)) if row else None


def _claim(claims: dict[str, Any], path: str) -> Any:
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


class JwtVerifier:
    """Verifies OAuth2 bearer JWTs (signature, ``exp``/``nbf``, issuer, audience).
    ``configured`` is False when neither a key nor a JWKS file is set."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._keys: dict[str, Any] = {}
        self._single: Any = None
        if settings.jwt_verification_key is not None:
            self._single = settings.jwt_verification_key.get_secret_value()
        if settings.jwt_jwks_file:
            jwks = orjson.loads(Path(settings.jwt_jwks_file).read_bytes())
            for jwk in jwks.get("keys", []):
                self._keys[jwk.get("kid", "")] = jwt.PyJWK(jwk).key

    @property
    def configured(self) -> bool:
        return self._single is not None or bool(self._keys)

    def verify(self, token: str) -> Principal:
        """The principal of a valid token; raises :class:`AuthError` otherwise (also when
        the token carries no known role)."""
        s = self.settings
        try:
            header = jwt.get_unverified_header(token)
            key = self._keys.get(header.get("kid", "")) if self._keys else None
            if key is None:
                key = self._single
            if key is None:
                raise AuthError("no verification key for this token")
            claims = jwt.decode(token, key=key, algorithms=list(s.jwt_algorithms), issuer=s.jwt_issuer,
                                audience=s.jwt_audience,
                                options={"require": ["exp", "sub"], "verify_aud": s.jwt_audience is not None,
                                         "verify_iss": s.jwt_issuer is not None})
        except jwt.PyJWTError as exc:
            raise AuthError(f"invalid bearer token: {type(exc).__name__}") from exc
        raw = _claim(claims, s.jwt_roles_claim)
        roles = raw.split() if isinstance(raw, str) else [str(r) for r in raw] if isinstance(raw, list) else []
        effective = effective_roles(roles)
        if not effective:
            raise AuthError("the token carries no apis-matcher role")
        return Principal(subject=str(claims["sub"]), auth="jwt", roles=effective)


class Authenticator:
    """Turns the request's credential into a :class:`Principal` (blocking: key lookup)."""

    def __init__(self, settings: Settings, keys: KeyStore) -> None:
        self.settings = settings
        self.keys = keys
        self.jwt = JwtVerifier(settings)

    def authenticate(self, *, api_key: str | None, bearer: str | None) -> Principal:
        """Raises :class:`AuthError` when no credential is given or it is not valid."""
        key = api_key or bearer
        if not key:
            raise AuthError("a credential is required: X-API-Key or Authorization: Bearer")
        boot = self.settings.api_bootstrap_admin_key
        if boot is not None and boot.get_secret_value() and hmac.compare_digest(
                key.encode("utf-8"), boot.get_secret_value().encode("utf-8")):
            return Principal(subject="bootstrap", auth="bootstrap", roles=effective_roles(["admin"]))
        if key.startswith("amk_"):
            record = self.keys.lookup(key)
            if record is None:
                raise AuthError("unknown or revoked API key")
            return Principal(subject=f"key:{record.id}", auth="api_key", roles=effective_roles([record.role]))
        if api_key is None and key.count(".") == 2 and self.jwt.configured:
            return self.jwt.verify(key)
        raise AuthError("unknown or revoked API key" if api_key else "invalid bearer credential")
