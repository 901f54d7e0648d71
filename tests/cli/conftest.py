import pytest

from tests.cli.household import household
from tests.cli.person import terminal
from tests.server import dear_server, dear_server_factory  # noqa: F401


@pytest.fixture
def two_terminals(dear_server_factory, tmp_path):  # noqa: F811 (the fixture above)
    """A real server with Jess and Rory each logged in at a terminal of their own."""
    server = dear_server_factory(send_undo_seconds=0)
    people = household(server)
    jess, rory = terminal(tmp_path, "jess"), terminal(tmp_path, "rory")
    for someone, person in ((jess, people.jess), (rory, people.rory)):
        done = someone.run("login", server.base_url, "--token-stdin", stdin=person.token)
        assert done.returncode == 0, done.stderr
    return server, people, jess, rory
