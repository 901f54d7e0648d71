from tests.notify.processes import place, start_worker  # noqa: F401
from tests.server import dear_server_factory  # noqa: F401
