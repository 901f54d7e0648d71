"""Loaded with ``-p tests.isolation`` before Django's settings are read, so no test run ever
touches a real data dir: each run gets a fresh one unless DEAR_DATA_DIR is already set."""

import os
import tempfile

if not os.environ.get("DEAR_DATA_DIR"):
    os.environ["DEAR_DATA_DIR"] = tempfile.mkdtemp(prefix="dear-test-")
