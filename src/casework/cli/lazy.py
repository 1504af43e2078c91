"""A command group whose commands are imported when one runs, not when the command line
starts: each command's module loads what its signature names (the model, enums) and typer
reads every signature it is given, so a group built from all of them would pay for all of
them on every run (~0.1 s before any work).

A registry names each command: "module:function" (a command) or "module:app" (a typer
sub-app, a group such as `user`), with its one-line help, which `--help` lists without
importing anything.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from importlib import import_module
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command_from_info, get_group
from typer.models import CommandInfo

PACKAGE = "casework.cli"


class Entry:
    """One command of the registry: where it is, and its one-line help."""

    __slots__ = ("help", "target")

    def __init__(self, target: str, help: str) -> None:
        self.target = target  # "module:name", the module relative to casework.cli
        self.help = help


def load(name: str, entry: Entry, markup_mode: Any) -> Any:
    """The click command `entry` names, as typer would have built it from the function (or
    the sub-app)."""
    module, _, attribute = entry.target.partition(":")
    found = getattr(import_module(f"{PACKAGE}.{module}"), attribute)
    if isinstance(found, typer.Typer):
        group = get_group(found)
        group.name = name
        return group
    return get_command_from_info(
        CommandInfo(name=name, callback=found),
        pretty_exceptions_short=True,
        rich_markup_mode=markup_mode,
    )


class Commands(MutableMapping[str, Any]):
    """The group's commands by name, in the registry's order: a command is loaded when it is
    looked up (to run it, or its --help); while the group lists its commands for --help, a
    command not loaded yet is a stand-in holding the registry's help."""

    def __init__(self, registry: Mapping[str, Entry], markup_mode: Any) -> None:
        self.registry = registry
        self.markup_mode = markup_mode
        self.loaded: dict[str, Any] = {}
        self.listing = False

    def __getitem__(self, name: str) -> Any:
        if name in self.loaded:
            return self.loaded[name]
        entry = self.registry[name]  # KeyError: no such command
        if self.listing:
            return TyperCommand(name=name, help=entry.help)
        command = self.loaded[name] = load(name, entry, self.markup_mode)
        return command

    def __setitem__(self, name: str, command: Any) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("the command line's commands are fixed by its registry")

    def __iter__(self) -> Iterator[str]:
        yield from self.registry
        yield from (name for name in self.loaded if name not in self.registry)

    def __len__(self) -> int:
        return len(self.registry) + sum(1 for name in self.loaded if name not in self.registry)

    def __contains__(self, name: object) -> bool:
        return name in self.registry or name in self.loaded


class LazyGroup(TyperGroup):
    """A typer group whose commands come from `registry` (set by a subclass)."""

    registry: Mapping[str, Entry] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        commands = Commands(self.registry, self.rich_markup_mode)
        commands.loaded.update(self.commands)  # any defined the usual way
        self.commands = commands

    def format_help(self, ctx: Any, formatter: Any) -> None:
        assert isinstance(self.commands, Commands)
        self.commands.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.commands.listing = False
