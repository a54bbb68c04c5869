"""The local web page (`gmdocs serve`): Starlette + Jinja2 over the same library as the CLI."""
