"""The subcommands of `phiguard`, one module each (check's report writing in
check_output.py); cli.py registers them and runs each one fail-closed."""
