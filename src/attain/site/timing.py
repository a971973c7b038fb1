"""The time Django spent on each request, in a `Server-Timing: app;dur=<ms>` header.

Browsers show it in their developer tools, and `bench/web.py` reads it to measure server time
apart from the network and the client. It says nothing about the data, only the duration.
"""

from __future__ import annotations

import time


class ServerTimingMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response
