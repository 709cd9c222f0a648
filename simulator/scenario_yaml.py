"""Reading a scenario's YAML as nodes, so every error can say where it is.

The text is composed with PyYAML's *safe* loader (``yaml.compose`` with ``SafeLoader``: no
Python tags, no object construction) and then walked node by node. Each :class:`Node` knows
its key path (``rules[2].match.prefix``) and its position in the file, and its typed readers
(``string()``, ``integer()``, ``duration()``, ``mapping(...)``) fail with a
:class:`ScenarioError` that names the file, line, key path and what would be valid.

>>> doc = read_yaml("version: 1\\nseed: seven\\n", "demo.yaml")
>>> doc.mapping({"version", "seed"})["seed"].integer()
Traceback (most recent call last):
...
simulator.scenario_yaml.ScenarioError: demo.yaml:2:7: seed: expected an integer, got 'seven'
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import yaml

from simulator.timefmt import (
    DurationFormatError,
    InstantFormatError,
    Millis,
    parse_duration,
    parse_instant,
)

T = TypeVar("T")

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + kind for kind in ("str", "int", "float", "bool", "null"))
_TIMESTAMP = _TAG + "timestamp"
_MERGE = _TAG + "merge"
_PLAIN_TAGS = frozenset(
    _TAG + kind for kind in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a scenario, and where."""

    source: str
    line: int | None
    """1-based; None when the scenario did not come from text (``scenario_from_dict``)."""
    column: int | None
    path: str
    """Key path such as ``rules[2].match.prefix`` (empty: the document itself)."""
    message: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}:{self.column}"
        return f"{where}: {self.path or '(document)'}: {self.message}"


class ScenarioError(ValueError):
    """A scenario that cannot be loaded. ``str()`` has one line per problem, each naming the
    file, line, column and key path; ``problems`` has them as data."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    @property
    def first(self) -> Problem:
        return self.problems[0]

    @property
    def source(self) -> str:
        return self.first.source

    @property
    def line(self) -> int | None:
        return self.first.line

    @property
    def path(self) -> str:
        return self.first.path

    @classmethod
    def single(cls, source: str, message: str, path: str = "") -> ScenarioError:
        """An error that is about the whole document (or a file that cannot be read)."""
        return cls([Problem(source, None, None, path, message)])


def suggest(word: str, valid: Collection[str], cutoff: float = 0.6) -> str:
    """``"; did you mean 'prefix'?"`` when something in ``valid`` is close to ``word``."""
    close = difflib.get_close_matches(word, list(valid), n=1, cutoff=cutoff)
    return f"; did you mean {close[0]!r}?" if close else ""


def one_of(valid: Collection[str]) -> str:
    return ", ".join(sorted(valid))


@dataclass(slots=True)
class Context:
    """What every node of one document shares: its source name and the problems found."""

    source: str
    problems: list[Problem] = field(default_factory=list)

    def attempt(self, parse: Callable[[], T]) -> T | None:
        """Run ``parse``; on a :class:`ScenarioError` record its problems and return None, so
        the loader can go on and report everything wrong in one go."""
        try:
            return parse()
        except ScenarioError as exc:
            self.problems.extend(exc.problems)
            return None

    def check(self) -> None:
        """Raise everything found, in the order of the file."""
        if self.problems:
            raise ScenarioError(sorted(self.problems, key=lambda p: (p.line or 0, p.column or 0)))


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    assert isinstance(node, yaml.ScalarNode)
    if node.tag == _NULL:
        return "nothing (null)"
    return repr(node.value)


class Node:
    """A YAML node with its key path, read through typed accessors that fail helpfully."""

    __slots__ = ("node", "path", "ctx")

    def __init__(self, node: yaml.Node, path: str, ctx: Context) -> None:
        self.node = node
        self.path = path
        self.ctx = ctx

    # -- where ---------------------------------------------------------------------------------
    @property
    def line(self) -> int | None:
        mark = self.node.start_mark
        return None if mark is None else mark.line + 1

    @property
    def column(self) -> int | None:
        mark = self.node.start_mark
        return None if mark is None else mark.column + 1

    def error(self, message: str, path: str | None = None) -> ScenarioError:
        """An error located at this node (``path`` overrides the key path, e.g. for a key
        that is missing from this mapping)."""
        return ScenarioError(
            [
                Problem(
                    self.ctx.source,
                    self.line,
                    self.column,
                    self.path if path is None else path,
                    message,
                )
            ]
        )

    def child_path(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    # -- kinds ---------------------------------------------------------------------------------
    @property
    def is_null(self) -> bool:
        return isinstance(self.node, yaml.ScalarNode) and self.node.tag == _NULL

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.node, yaml.MappingNode)

    @property
    def is_sequence(self) -> bool:
        return isinstance(self.node, yaml.SequenceNode)

    @property
    def tag(self) -> str:
        return str(self.node.tag)

    def _plain(self) -> None:
        """Refuse explicit tags other than YAML's own (``!!python/object``, ``!custom``)."""
        if self.node.tag not in _PLAIN_TAGS:
            raise self.error(
                f"the tag {self.node.tag!r} is not allowed: a scenario is plain YAML "
                "(strings, numbers, booleans, lists and mappings)"
            )

    def _scalar(self, expected: str) -> yaml.ScalarNode:
        self._plain()
        if not isinstance(self.node, yaml.ScalarNode) or self.node.tag == _NULL:
            raise self.error(f"expected {expected}, got {_describe(self.node)}")
        return self.node

    def mapping(self, allowed: Collection[str], required: Collection[str] = ()) -> dict[str, Node]:
        """The mapping's entries by key (YAML merge keys ``<<: *anchor`` resolved). Unknown,
        duplicate and missing keys are errors."""
        self._plain()
        if not isinstance(self.node, yaml.MappingNode):
            raise self.error(
                f"expected a mapping with keys {one_of(allowed)}, got {_describe(self.node)}"
            )
        entries: dict[str, Node] = {}
        for name, (key_node, value_node) in self._pairs(self.node).items():
            path = self.child_path(name)
            if name not in allowed:
                raise Node(key_node, path, self.ctx).error(
                    f"unknown key {name!r}{suggest(name, allowed)} (valid here: {one_of(allowed)})"
                )
            entries[name] = Node(value_node, path, self.ctx)
        for name in required:
            if name not in entries:
                raise self.error(f"required key {name!r} is missing", self.child_path(name))
        return entries

    def _pairs(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Key name -> (key node, value node). Keys written in the mapping win over merged
        ones; of several merged mappings, the first wins (as YAML's merge key says)."""
        explicit: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        merged: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                sources = (
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                for source in sources:
                    if not isinstance(source, yaml.MappingNode):
                        raise Node(source, self.path, self.ctx).error(
                            "a merge key (<<) takes a mapping or a list of mappings"
                        )
                    for name, pair in self._pairs(source).items():
                        merged.setdefault(name, pair)
                continue
            key = Node(key_node, self.path, self.ctx)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _NULL:
                raise key.error(f"keys must be names, got {_describe(key_node)}")
            name = str(key_node.value)
            if name in explicit:
                raise key.error(f"key {name!r} is given twice", self.child_path(name))
            explicit[name] = (key_node, value_node)
        return {**merged, **explicit}

    def items(self) -> list[Node]:
        """The entries of a list."""
        self._plain()
        if not isinstance(self.node, yaml.SequenceNode):
            raise self.error(f"expected a list, got {_describe(self.node)}")
        return [Node(item, self.child_path(i), self.ctx) for i, item in enumerate(self.node.value)]

    def one_or_many(self) -> list[Node]:
        """A list, or a single scalar standing for a list of one."""
        return self.items() if self.is_sequence else [self]

    # -- scalars -------------------------------------------------------------------------------
    def string(self, what: str = "a string") -> str:
        """A string. Unquoted numbers and YAML 1.1 booleans (``yes``, ``on``) are read as the
        text written (``to: +41793026727`` is ``"+41793026727"``, ``text: YES`` is
        ``"YES"``), which is what a scenario means by them."""
        node = self._scalar(what)
        value = str(node.value)
        if not value:
            raise self.error(f"expected {what}, got an empty string")
        return value

    def text(self) -> str:
        """Like :meth:`string`, but an empty string is allowed."""
        return str(self._scalar("a string").value)

    def integer(self, minimum: int | None = None, maximum: int | None = None) -> int:
        node = self._scalar("an integer")
        if node.tag != _INT:
            raise self.error(f"expected an integer, got {node.value!r}")
        value = _CONSTRUCTOR.construct_yaml_int(node)
        assert isinstance(value, int)
        self._bounds(value, minimum, maximum)
        return value

    def number(self, minimum: float | None = None, maximum: float | None = None) -> float:
        node = self._scalar("a number")
        if node.tag not in (_INT, _FLOAT):
            raise self.error(f"expected a number, got {node.value!r}")
        value = float(_scalar_value(node))
        self._bounds(value, minimum, maximum)
        return value

    def _bounds(self, value: float, minimum: float | None, maximum: float | None) -> None:
        if minimum is not None and value < minimum:
            raise self.error(f"must be at least {minimum:g}, got {value:g}")
        if maximum is not None and value > maximum:
            raise self.error(f"must be at most {maximum:g}, got {value:g}")

    def boolean(self) -> bool:
        node = self._scalar("true or false")
        if node.tag != _BOOL:
            raise self.error(f"expected true or false, got {node.value!r}")
        return bool(_CONSTRUCTOR.construct_yaml_bool(node))

    def duration(self) -> Millis:
        """``"3s"``, ``"2m"``, ``"1h30m"``, ``"250ms"``, ``"PT15M"`` or a number of seconds."""
        node = self._scalar("a duration such as '3s'")
        try:
            if node.tag in (_INT, _FLOAT):
                return parse_duration(float(_scalar_value(node)))
            return parse_duration(str(node.value))
        except DurationFormatError as exc:
            raise self.error(str(exc)) from None

    def instant(self) -> Millis:
        node = self._scalar("a date-time such as 2026-01-01T09:00:00Z")
        if node.tag not in (_STR, _TIMESTAMP):
            raise self.error(
                f"expected a date-time such as 2026-01-01T09:00:00Z, got {node.value!r}"
            )
        try:
            return parse_instant(str(node.value))
        except InstantFormatError as exc:
            raise self.error(str(exc)) from None

    def regex(self) -> re.Pattern[str]:
        pattern = self.text()
        try:
            return re.compile(pattern)
        except re.error as exc:
            at = "" if exc.pos is None else f" at position {exc.pos}"
            raise self.error(f"invalid regular expression {pattern!r}: {exc.msg}{at}") from None

    def choice(self, valid: Collection[str], *, case_sensitive: bool = False) -> str:
        """One of ``valid`` (matched without regard to case unless asked); the canonical
        spelling is returned."""
        value = self.string()
        for option in valid:
            if value == option or (not case_sensitive and value.lower() == option.lower()):
                return option
        raise self.error(f"{value!r} is not one of {one_of(valid)}{suggest(value, valid)}")


class _Constructor(yaml.constructor.SafeConstructor):
    """Builds scalar values (ints in any YAML base, floats, booleans) from nodes."""


_CONSTRUCTOR = _Constructor()


def _scalar_value(node: yaml.ScalarNode) -> float:
    """An int or float scalar's value (construct_yaml_* do not cache, unlike
    construct_object, so one constructor serves every document)."""
    if node.tag == _INT:
        return float(_CONSTRUCTOR.construct_yaml_int(node))
    return float(_CONSTRUCTOR.construct_yaml_float(node))


MAX_TEXT_CHARS = 4 * 1024 * 1024
"""The longest scenario text read (the control plane's request bodies are as long)."""
MAX_NODES = 100_000
"""How many YAML nodes a scenario may amount to once every alias (``*name``) is counted as
the copy it stands for: far more than any real scenario, far less than an alias bomb."""


def read_yaml(text: str, source: str) -> Node:
    """Compose ``text`` into a node tree with the safe loader, refusing what is too long,
    nested too deeply, an alias bomb (or a recursive alias), or not text."""
    ctx = Context(source)
    if len(text) > MAX_TEXT_CHARS:
        raise ScenarioError.single(
            source,
            f"the scenario is {len(text)} characters long; at most {MAX_TEXT_CHARS} are read",
        )
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise ScenarioError.single(source, "not valid YAML: nested too deeply") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        column = None if mark is None else mark.column + 1
        problem = " ".join(part for part in (exc.context, exc.problem) if part) or str(exc)
        message = f"not valid YAML: {problem}"
        raise ScenarioError([Problem(source, line, column, "", message)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(source, None, None, "", f"not valid YAML: {exc}")]) from None
    if root is None:
        raise ScenarioError(
            [Problem(source, 1, 1, "", "the scenario is empty; it needs at least 'version: 1'")]
        )
    _check_tree(root, source)
    return Node(root, "", ctx)


def _check_tree(root: yaml.Node, source: str) -> None:
    """Count every node as often as aliases repeat it (each distinct node is visited once,
    so this is linear in the text), and look at every scalar once.

    >>> levels = ["&l0 [x, x, x, x, x, x, x, x, x, x]"] + [
    ...     f"&l{k} [{', '.join([f'*l{k - 1}'] * 10)}]" for k in range(1, 6)]
    >>> read_yaml("[" + ", ".join(levels) + "]", "bomb.yaml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    simulator.scenario_yaml.ScenarioError: bomb.yaml:1:...: the scenario amounts to more than ...
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if isinstance(node, yaml.ScalarNode):
            if key not in sizes:
                try:
                    str(node.value).encode("utf-8")
                except UnicodeEncodeError:
                    raise _at(node, source, _SURROGATE) from None
                sizes[key] = 1
            continue
        children: list[yaml.Node] = (
            [part for pair in node.value for part in pair]
            if isinstance(node, yaml.MappingNode)
            else list(node.value)
        )
        if finished:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[key] > MAX_NODES:
                raise _at(node, source, _BOMB)
            continue
        if key in sizes:
            continue
        open_nodes.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in open_nodes:
                raise _at(child, source, "an alias refers to a node that contains it (a loop)")
            if id(child) not in sizes:
                stack.append((child, False))


_SURROGATE = "holds an unpaired UTF-16 surrogate (a \\uD800-\\uDFFF escape): not text"
_BOMB = (
    f"the scenario amounts to more than {MAX_NODES} values once its aliases (*name) are "
    "expanded; that is an alias bomb, not a scenario"
)


def _at(node: yaml.Node, source: str, message: str) -> ScenarioError:
    mark = node.start_mark
    line = None if mark is None else mark.line + 1
    column = None if mark is None else mark.column + 1
    return ScenarioError([Problem(source, line, column, "", message)])


def node_from_data(data: object, source: str) -> Node:
    """A node tree for already-parsed data (a dict), for :func:`scenario_from_dict`. Such
    nodes have no line numbers; errors still name the key path."""
    representer = yaml.representer.SafeRepresenter(default_flow_style=False, sort_keys=False)
    try:
        root = representer.represent_data(_plain(data))
    except yaml.representer.RepresenterError as exc:
        raise ScenarioError.single(source, f"cannot read this data: {exc}") from None
    return Node(root, "", Context(source))


def _plain(data: object) -> object:
    if isinstance(data, tuple | list):
        return [_plain(item) for item in data]
    if isinstance(data, dict):
        return {key: _plain(value) for key, value in data.items()}
    return data
