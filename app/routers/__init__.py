"""The operator API's routers, one per concern (``/v1/...``)."""
