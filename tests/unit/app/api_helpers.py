"""Shared helpers of the operator API tests: a Service whose watchlist store is filled
directly, a recording producer, keys for every role and an RSA key for bearer JWTs."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr

from app.alerts import build_alert
from app.publish import entry_value
from app.service import Service
from app.settings import Settings
from schemas.records import (
    Alert,
    Document,
    EntryDate,
    EntryName,
    Flight,
    Hit,
    Source,
    Traveller,
    WatchList,
    WatchlistEntry,
)

BOOTSTRAP_KEY = "bootstrap-admin-secret-for-tests"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = RSA_KEY.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()

# Invented listed persons.
ENTRIES = [
    WatchlistEntry(list_id="t-list", entry_id="E-1",
                   names=[EntryName(full_name="Irina Sergeyevna VOLKOVA", surname="VOLKOVA",
                                    given_names="Irina Sergeyevna")],
                   dates_of_birth=[EntryDate(date="1975-03-14")], nationalities=["RUS"], genders=["F"]),
    WatchlistEntry(list_id="t-list", entry_id="E-2",
                   names=[EntryName(full_name="Khalid Mahmoud AL-RASHIDI", surname="AL-RASHIDI",
                                    given_names="Khalid Mahmoud")],
                   dates_of_birth=[EntryDate(date="1969")], nationalities=["JOR"]),
]
FLIGHT = Flight(carrier="ZZ", number="0421", departure_airport="AAA", arrival_airport="BBB",
                scheduled_departure="2026-11-29T09:00")


def token(*, roles: Any = ("operator",), aud: str = "apis-matcher", iss: str = "https://idp.test",
          exp_in_s: int = 300, sub: str = "analyst@agency") -> str:
    """An RS256 bearer JWT signed with the test key."""
    claims = {"sub": sub, "aud": aud, "iss": iss, "exp": int(time.time()) + exp_in_s, "roles": list(roles)}
    return jwt.encode(claims, RSA_KEY, algorithm="RS256")


def make_settings(db_path: str, **overrides: Any) -> Settings:
    base: dict[str, Any] = dict(
        kafka_bootstrap_servers="127.0.0.1:9", broker_retry_backoff_s=0.05, kafka_request_timeout_ms=1000,
        db_path=db_path, api_bootstrap_admin_key=SecretStr(BOOTSTRAP_KEY), jwt_issuer="https://idp.test",
        jwt_audience="apis-matcher", jwt_verification_key=SecretStr(PUBLIC_PEM))
    base.update(overrides)
    return Settings(**base)


@dataclass
class RecordingSink:
    """A RecordSink that keeps what it was sent (``fail``: raise a broker error)."""

    sent: list[tuple[str, bytes | None, bytes | None, list[tuple[str, bytes]]]] = field(default_factory=list)
    fail: bool = False

    async def send(self, topic: str, *, key: bytes | None, value: bytes | None,
                   headers: list[tuple[str, bytes]] | None = None) -> tuple[int, int]:
        if self.fail:
            from aiokafka.errors import KafkaConnectionError

            raise KafkaConnectionError("broker down")
        self.sent.append((topic, key, value, list(headers or [])))
        return 1, len(self.sent) - 1


def make_service(settings: Settings, *, loaded: bool = True) -> tuple[Service, RecordingSink]:
    """A Service (never connected) whose store holds ENTRIES, and its recording producer."""
    service = Service(settings)
    store = service.store
    store.apply(settings.topic_watchlist_lists, b"t-list", WatchList(
        list_id="t-list", version="v7", entry_count=2, imported_at=datetime(2026, 11, 1, tzinfo=UTC),
        owner="TEST-AGENCY",
    ).model_dump_json().encode())
    for e in ENTRIES:
        store.apply(settings.topic_watchlist_entries, e.key.encode(), entry_value(e))
    if loaded:
        store.snapshot = store.build_snapshot()
        store.loaded.set()
    sink = RecordingSink()
    service.producer = sink
    return service, sink


def traveller(tid: str, surname: str, given: str, dob: str, nat: str, *, doc: str | None = None,
              ref: str = "1") -> Traveller:
    return Traveller(traveller_id=tid, surname=surname, given_names=given, date_of_birth=dob, nationality=nat,
                     documents=[Document(type="P", number=doc, issuing_country=nat)] if doc else [],
                     source=Source(format="PAXLST", message_ref=f"M{ref}", interchange_ref=f"IC{ref}",
                                   sender="ZZAIR", flight=FLIGHT))


def alert_for(t: Traveller, *hits: tuple[str, float]) -> Alert:
    """An alert of ``t`` with hits ``(entry_id, score)`` on t-list."""
    return build_alert(t, [Hit(list_id="t-list", entry_id=e, score=s, matched_name="X", list_version="v7",
                               explanation={"score": s}) for e, s in hits],
                       originator="TEST-AGENCY", releasability="bilateral")
