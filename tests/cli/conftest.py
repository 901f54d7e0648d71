from tests.server import dear_server, dear_server_factory  # noqa: F401
