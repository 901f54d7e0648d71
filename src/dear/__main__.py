"""`python -m dear …` is `dear …`: how `dear serve` starts its worker process."""

from dear.cli.main import app

app()
