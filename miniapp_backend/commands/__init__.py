"""CLI commands, one module per group; `miniapp_backend.cli.register` attaches them to the app."""
