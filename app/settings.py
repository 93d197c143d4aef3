"""Service settings: environment variables with the prefix ``APIS_MATCHER_`` (pydantic-settings).

Every field below is listed in the README with its default. Secrets (SASL password, the
alert-signing key) may also come from files in ``APIS_MATCHER_SECRETS_DIR`` (one file per
setting, named like the field). Settings are frozen; secrets are masked in ``repr``.
"""

from __future__ import annotations

import os
import socket
from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_instance_id() -> str:
    return socket.gethostname() or "apis-matcher"


class Settings(BaseSettings):
    """All configuration of one apis-matcher process."""

    model_config = SettingsConfigDict(
        env_prefix="APIS_MATCHER_",
        frozen=True,
        extra="ignore",
        secrets_dir=os.environ.get("APIS_MATCHER_SECRETS_DIR") or None,
    )

    # Kafka connection
    kafka_bootstrap_servers: str | None = Field(
        default=None,
        description="host:port[,host:port]; unset: the local broker of deploy/kafka (the demo starts it)",
    )
    local_kafka_port: int = Field(default=19092, ge=1, le=65534,
                                  description="port of the local broker (deploy/kafka) used when no bootstrap is set")
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: str | None = None
    kafka_client_id: str = "apis-matcher"
    kafka_request_timeout_ms: int = Field(default=30_000, ge=1000)

    # Topics (DESIGN.md, "Topics")
    topic_paxlst_raw: str = "apis.paxlst.raw"
    topic_pnrgov_raw: str = "pnr.pnrgov.raw"
    topic_watchlist_entries: str = "watchlist.entries"
    topic_watchlist_lists: str = "watchlist.lists"
    topic_alerts_internal: str = "alerts.internal"
    topic_alerts_bilateral: str = "alerts.bilateral"
    topic_alerts_dispositions: str = "alerts.dispositions"
    topic_dlq: str = "apis-matcher.dlq"
    topic_partitions: int = Field(default=3, ge=1, description="partitions of topics this service creates")
    topic_replication_factor: int = Field(default=1, ge=1)
    alerts_retention_ms: int = Field(default=31_536_000_000, description="alert topics' retention (365 days)")
    create_topics: bool = True

    # Consumers and delivery
    consumer_group: str = "apis-matcher"
    instance_id: str = Field(default_factory=_default_instance_id,
                             description="stable per worker; the transactional id is '<consumer_group>-<instance_id>'")
    transactional: bool = Field(default=True, description="consume-screen-produce in Kafka transactions")
    batch_max_records: int = Field(default=50, ge=1)
    poll_timeout_ms: int = Field(default=500, ge=10)
    retry_max_attempts: int = Field(default=5, ge=1,
                                    description="attempts on a transient failure before a message is dead-lettered")
    retry_backoff_s: float = Field(default=0.5, gt=0)
    dlq_max_value_bytes: int = Field(
        default=900_000, ge=1024, description="longer raw messages are truncated on the DLQ (header value.truncated)")
    broker_probe_interval_s: float = Field(default=5.0, gt=0, description="how often readiness asks the broker")
    require_watchlist_entries: bool = Field(
        default=True, description="do not screen (and report not ready) while no watchlist entry is loaded")
    broker_retry_backoff_s: float = Field(default=2.0, gt=0, description="wait between reconnects to the broker")

    manifest_wait_s: float = Field(default=900.0, ge=0,
                                   description="a multi-part manifest still missing parts this long after its "
                                               "latest part is reported (log and metric)")
    manifest_check_interval_s: float = Field(default=30.0, gt=0)

    # Screening
    match_threshold: float = Field(default=0.0, ge=0.0, le=1.0,
                                   description="0 means the matcher's default threshold")
    list_thresholds: dict[str, float] = Field(default_factory=dict,
                                              description='per-list thresholds, JSON: {"un-sc": 0.85}')
    max_hits_per_traveller: int = Field(default=10, ge=1)
    watchlist_rebuild_delay_s: float = Field(default=0.5, ge=0,
                                             description="quiet time before an index rebuild after updates")
    watchlist_import_hold_s: float = Field(
        default=300.0, ge=0, description="longest wait for a list version marked 'importing' before rebuilding anyway")

    # Decoding (field case 03)
    edifact_repetition_senders: list[str] = Field(
        default_factory=list,
        description="UNB sender ids (S002 0004, exact) whose PAXLST/PNRGOV interchanges are split on the UNA "
                    "repetition separator; everyone else's '*' is data, JSON: [\"ZZAIR\"]")

    # Alerts and sharing
    originator: str = Field(default="XXX-NTC", description="this agency's code, carried by every alert")
    default_list_owner: str | None = Field(default=None, description="owner of lists whose WatchList record names none")
    releasability: str = "bilateral"

    # HTTP
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)

    # Operator API (issue 8)
    db_path: str = Field(default="./apis-matcher.db",
                         description="SQLite database of the operator API: alerts, API keys, audit trail")
    api_bootstrap_admin_key: SecretStr | None = Field(
        default=None, description="secret: an admin API key accepted as is, so a fresh deployment is usable")
    metrics_require_auth: bool = Field(default=False, description="/metrics needs a credential (any role)")
    jwt_issuer: str | None = Field(default=None, description="expected 'iss' of OAuth2 bearer JWTs")
    jwt_audience: str | None = Field(default=None, description="expected 'aud' of OAuth2 bearer JWTs")
    jwt_verification_key: SecretStr | None = Field(
        default=None, description="PEM public key (RS*/ES*/EdDSA) or shared secret (HS*) verifying bearer JWTs")
    jwt_jwks_file: str | None = Field(default=None, description="JWKS file (JSON) of the identity provider's keys")
    jwt_algorithms: list[str] = Field(default_factory=lambda: ["RS256", "ES256"],
                                      description="accepted JWT signature algorithms")
    jwt_roles_claim: str = Field(default="roles", description="claim holding the roles; dotted path allowed")
    suppression_expiry_days: float = Field(default=365.0, gt=0,
                                           description="how long a false-positive disposition suppresses a hit")
    disposition_repeat_window_s: float = Field(
        default=10.0, ge=0, description="an identical disposition (same alert, status, operator, reason, entries) "
                                        "this soon after the alert's latest one is answered with that one; 0 = off")
    topic_cleared_travellers: str = Field(default="apis-matcher.cleared",
                                          description="compacted topic of the cleared-travellers list")
    api_screen_max_travellers: int = Field(default=500, ge=1, description="travellers per POST /v1/screen")
    api_max_json_bytes: int = Field(default=5_000_000, ge=1024, description="largest JSON request body accepted")
    api_upload_max_bytes: int = Field(default=200_000_000, ge=1024, description="largest watchlist upload")
    api_message_max_bytes: int = Field(default=900_000, ge=1024, description="largest raw message accepted")

    # Logging
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["json", "text"] = "json"

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("list_thresholds")
    @classmethod
    def _thresholds_in_range(cls, value: dict[str, float]) -> dict[str, float]:
        bad = {k: v for k, v in value.items() if not 0.0 <= v <= 1.0}
        if bad:
            raise ValueError(f"per-list thresholds must be within 0.0-1.0: {bad}")
        return value

    @property
    def bootstrap_servers(self) -> str:
        """The configured bootstrap servers, or the local broker's address."""
        return self.kafka_bootstrap_servers or f"127.0.0.1:{self.local_kafka_port}"

    @property
    def transactional_id(self) -> str:
        return f"{self.consumer_group}-{self.instance_id}"

    def kafka_common(self) -> dict[str, object]:
        """Keyword arguments shared by every aiokafka client (connection and security)."""
        kwargs: dict[str, object] = {
            "bootstrap_servers": self.bootstrap_servers,
            "client_id": self.kafka_client_id,
            "request_timeout_ms": self.kafka_request_timeout_ms,
            "security_protocol": self.kafka_security_protocol,
        }
        if self.kafka_sasl_mechanism:
            kwargs["sasl_mechanism"] = self.kafka_sasl_mechanism
            kwargs["sasl_plain_username"] = self.kafka_sasl_username
            kwargs["sasl_plain_password"] = (
                self.kafka_sasl_password.get_secret_value() if self.kafka_sasl_password else None
            )
        if self.kafka_security_protocol in ("SSL", "SASL_SSL"):
            from aiokafka.helpers import create_ssl_context

            kwargs["ssl_context"] = create_ssl_context(cafile=self.kafka_ssl_cafile)
        return kwargs


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once from the environment."""
    return Settings()
