"""Every command-line option says what it does (issue 21 part 6): `run_sim.py COMMAND --help` is the manual."""
from __future__ import annotations

import argparse

import run_sim


def test_every_command_and_option_has_help_text():
    parser = run_sim.parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == set(run_sim.COMMANDS)
    described = {c.dest for c in commands._choices_actions if c.help}
    assert described == set(run_sim.COMMANDS), "a command without a one-line description"
    missing = [(name, action.dest) for name, sub in commands.choices.items() for action in sub._actions
               if not isinstance(action, argparse._HelpAction) and not action.help]
    assert not missing, f"options without help text: {missing}"
