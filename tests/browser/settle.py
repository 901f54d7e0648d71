"""Waiting for what a browser can only answer with a promise: a cache, a service worker's
notifications, its registration.

Playwright's ``wait_for_function`` does not await a promise: the promise itself is truthy,
so a predicate like ``() => caches.has(x).then(...)`` returns at once, whatever it would
have answered. ``settled`` runs the predicate in the page (or worker) until it answers
something truthy and returns that answer, so the assertion made on it is the state that
was waited for, not a second look that may catch the browser mid-change."""

from __future__ import annotations

from typing import Any

# True once this page is controlled by Dear's service worker.
CONTROLLED = """() => navigator.serviceWorker.ready.then(() =>
  navigator.serviceWorker.controller ? true : new Promise((resolve) =>
    navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true))))"""

# A check whose promise never settles loses the race to the deadline instead of hanging.
UNTIL = """async ([arg, timeout]) => {
  const check = PREDICATE;
  const until = Date.now() + timeout;
  for (;;) {
    const left = Math.max(0, until - Date.now());
    const late = new Promise((resolve) => setTimeout(() => resolve(null), left));
    const answer = await Promise.race([check(arg), late]);
    if (answer) return answer;
    if (Date.now() >= until) return null;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}"""


def settled(target: Any, predicate: str, arg: Any = None, timeout_ms: int = 10_000) -> Any:
    """What ``predicate`` (an async JavaScript function of ``arg``) answered once truthy, on a
    Playwright Page or Worker; fails the test if it never did within ``timeout_ms``."""
    script = UNTIL.replace("PREDICATE", predicate)
    answer = target.evaluate(script, [arg, timeout_ms])
    assert answer, f"the browser never answered truthily within {timeout_ms} ms:\n{predicate}"
    return answer
