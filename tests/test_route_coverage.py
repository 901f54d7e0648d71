"""Every route of the web and the API is walked by its access matrix: a new route that
nobody added to a matrix fails here, so who-may-see-what is never left untested."""

from __future__ import annotations

import re
import uuid

from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.api.test_access_matrix import ROUTES as API_ROUTES
from tests.web.test_access_matrix import ACTIONS as WEB_ACTIONS
from tests.web.test_access_matrix import PAGES as WEB_PAGES

# Routes that hold nothing of anyone's: they need no matrix.
PUBLIC = {
    "healthz",
    "api/v1/healthz",
    "api/v1/docs",
    "api/v1/openapi.json",
    "api/v1/",  # the API root: a 404
    "api/v1/signup",
    "api/v1/tokens",
    "api/v1/<rest>",  # the API's JSON 404 for unknown paths
}


def _routes(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _normalise(route: str) -> str:
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)
    return re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", route)


def _walked(path_template: str, prefix: str) -> str:
    path = re.sub(r"\{\w+\}", str(uuid.uuid4()), path_template.split("?")[0])
    return _normalise(resolve(prefix + path).route)


def test_every_route_is_in_an_access_matrix(db):
    every = {_normalise(route) for route in _routes(get_resolver().url_patterns)}
    walked = {_walked(path, "/api/v1") for _, path, _, _ in API_ROUTES}
    walked |= {_walked(path, "") for _, path, _, _ in WEB_PAGES + WEB_ACTIONS}
    missing = sorted(every - walked - PUBLIC)
    assert missing == [], f"routes no access matrix walks: {missing}"
