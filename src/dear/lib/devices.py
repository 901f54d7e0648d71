"""A device's name as its owner would say it ("Chrome on Android"), read from the
User-Agent its browser sends, for the list of devices Dear notifies."""

from __future__ import annotations

import re

# Checked in order: several browsers also call themselves Chrome or Safari.
BROWSERS = [
    ("Edge", r"\bEdg(e|A|iOS)?/"),
    ("Opera", r"\bOPR/|\bOpera\b"),
    ("Samsung Internet", r"\bSamsungBrowser/"),
    ("Firefox", r"\bFirefox/|\bFxiOS/"),
    ("Chrome", r"\b(?:Headless)?Chrome/|\bCriOS/|\bChromium/"),
    ("Safari", r"\bSafari/"),
]
SYSTEMS = [
    ("iPhone", r"\biPhone\b"),
    ("iPad", r"\biPad\b"),
    ("Android", r"\bAndroid\b"),
    ("ChromeOS", r"\bCrOS\b"),
    ("Windows", r"\bWindows\b"),
    ("Mac", r"\bMacintosh\b|\bMac OS X\b"),
    ("Linux", r"\bLinux\b"),
]
MOST = 80


def _first(table: list[tuple[str, str]], user_agent: str) -> str | None:
    return next((name for name, pattern in table if re.search(pattern, user_agent)), None)


def device_name(user_agent: str) -> str:
    """Names like "Firefox on Linux"; "A browser" when nothing is recognised."""
    user_agent = (user_agent or "")[:1000]
    browser = _first(BROWSERS, user_agent)
    system = _first(SYSTEMS, user_agent)
    if browser and system:
        return f"{browser} on {system}"[:MOST]
    if browser or system:
        return (browser or f"A browser on {system}")[:MOST]
    return "A browser"
