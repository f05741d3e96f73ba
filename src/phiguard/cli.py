"""The `phiguard` command: the group the subcommands (commands/) are registered in, and the
fail-closed run every one of them goes through. Heavy work (spaCy, Presidio) is imported only
when a check runs."""

from __future__ import annotations

import functools
import os
import sys
from typing import Any

import click

from . import __version__
from .commands.baseline import baseline
from .commands.check import check
from .commands.init import init
from .commands.redact import redact
from .commands.rules import explain, list_rules, test_rules
from .commands.serve import server, web
from .models import PhiguardError


def _fail(message: str) -> None:
    click.echo(f"phiguard: error: {message}", err=True)
    sys.exit(2)


def _stdout_reader_gone() -> bool:
    """True when standard output is a pipe whose reader has closed it. Only then is a
    BrokenPipeError the reader's choice; from anywhere else (a worker's pipe) it is a failure."""
    import select

    stdout = sys.__stdout__
    if stdout is None:  # no real stdout
        return False
    try:
        poller = select.poll()
        poller.register(stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no poll(), or no real stdout
        return False


def _end_quietly() -> None:
    """End as other command-line tools do when their reader stops early: no message, the
    status a shell reports for a tool stopped by SIGPIPE (128 + 13)."""
    # What is still buffered for the closed pipe goes nowhere, instead of failing again at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    if sys.__stdout__ is not None:
        os.dup2(devnull, sys.__stdout__.fileno())
    os.close(devnull)
    sys.exit(141)


class _Terminated(BaseException):
    """SIGTERM, raised where the program is, so that what it started (workers) is stopped on
    the way out; a BaseException, so no `except Exception` takes it for a draft's error."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise _Terminated


def _run(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Fail closed: any error is one line on stderr and exit 2, never a traceback."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return func(*args, **kwargs)
    except PhiguardError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted")
    except _Terminated:
        _fail("terminated")
    except Exception as exc:  # a bug must still fail closed, never pass a file silently
        if isinstance(exc, BrokenPipeError) and _stdout_reader_gone():
            _end_quietly()  # `phiguard rules | head`: the reader has all it wanted
        if os.environ.get("PHIGUARD_DEBUG"):
            raise
        first_line = str(exc).splitlines()[0] if str(exc) else ""
        _fail(f"internal error ({type(exc).__name__}): {first_line} "
              "(set PHIGUARD_DEBUG=1 for details)")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="phiguard")
def cli() -> None:
    """Lint healthcare social-media drafts for PHI and policy problems before publishing."""


def _fail_closed(command: click.Command) -> click.Command:
    """The command, and each subcommand of a group, run through _run: any error is one line on
    standard error and exit 2."""
    callback = command.callback
    if callback is not None:

        @functools.wraps(callback)
        def run(*args: Any, **kwargs: Any) -> Any:
            return _run(callback, *args, **kwargs)

        command.callback = run
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            _fail_closed(subcommand)
    return command


for _command in (check, baseline, init, redact, list_rules, explain, test_rules, server, web):
    cli.add_command(_fail_closed(_command))


def main() -> None:
    try:
        cli()
    finally:
        # Output still buffered when a command returns or exits is written here, where a reader
        # that has gone ends the run quietly, not at interpreter exit with a warning.
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            if not _stdout_reader_gone():
                raise
            _end_quietly()
