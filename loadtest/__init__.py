"""Traffic generation and end-to-end load, latency and accuracy measurement."""
