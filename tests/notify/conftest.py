import pytest
import time_machine

from tests.notify.people import NOON, reachable
from tests.notify.processes import place, start_worker  # noqa: F401
from tests.server import dear_server_factory  # noqa: F401


@pytest.fixture
def clock():
    """The clock held at NOON; move it with ``clock.move_to``."""
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def reader(mailbox, home, rory):
    """Rory, with a confirmed address, in UTC with the default quiet hours."""
    return reachable(rory)
