"""Prometheus metrics (base units; ``_total`` and ``_seconds`` suffixes; no personal data
in labels). Registered on the default registry and served at ``/metrics``."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

MESSAGES_CONSUMED = Counter(
    "apis_matcher_messages_consumed_total", "Raw messages consumed", ["topic"]
)
TRAVELLERS_SCREENED = Counter(
    "apis_matcher_travellers_screened_total", "Travellers screened", ["format"]
)
ALERTS_PUBLISHED = Counter(
    "apis_matcher_alerts_published_total", "Alerts published (committed)", ["topic"]
)
DECODE_FAILURES = Counter(
    "apis_matcher_decode_failures_total", "Raw messages that could not be decoded", ["reason"]
)
DEAD_LETTERED = Counter(
    "apis_matcher_dead_lettered_total", "Messages sent to the dead-letter topic", ["topic", "reason"]
)
DECODE_WARNINGS = Counter(
    "apis_matcher_decode_warnings_total", "Structured decode warnings", ["code"]
)
TRANSIENT_FAILURES = Counter(
    "apis_matcher_transient_failures_total", "Batches aborted and retried after a transient failure"
)
SCREENING_LATENCY = Histogram(
    "apis_matcher_screening_latency_seconds",
    "Time to screen one message's travellers (decode excluded)",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
MESSAGE_LATENCY = Histogram(
    "apis_matcher_message_processing_seconds",
    "Time from fetch to committed transaction for one batch",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
CONSUMER_LAG = Gauge(
    "apis_matcher_consumer_lag_messages", "Messages behind the partition's end", ["topic", "partition"]
)
WATCHLIST_ENTRIES = Gauge("apis_matcher_watchlist_entries", "Entries in the serving index", ["list_id"])
INDEX_BUILD_SECONDS = Histogram(
    "apis_matcher_index_build_seconds", "Time to build the screening index",
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120),
)
MANIFESTS_INCOMPLETE = Counter(
    "apis_matcher_manifests_incomplete_total",
    "Multi-part manifests still missing parts after the wait (manifest_wait_s)",
)
MANIFESTS_TRACKED = Gauge("apis_matcher_manifests_tracked", "Multi-part manifests being tracked")
PROCESSING_STUCK = Gauge(
    "apis_matcher_processing_stuck", "1 while a batch keeps failing to publish for a non-retriable reason"
)
BROKER_UP = Gauge("apis_matcher_broker_up", "1 when the last broker probe answered")
