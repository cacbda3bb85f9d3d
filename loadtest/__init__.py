"""``make loadtest``: locust against gunicorn with the production settings (docs/performance.md)."""
