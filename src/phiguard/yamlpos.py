"""Safe YAML with positions: every loaded value can be traced to its line and column."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .models import LINE_END, PhiguardError, ReadError, SourceMap

MAX_NODES = 200_000  # alias bombs expand past this long before memory suffers
MAX_DEPTH = 100  # no draft, rule or configuration is nested this deep
# libyaml's parser when present (15x faster on the rule files); its marks count characters
# like the pure-Python one, so every position stays the same.
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CODE_TAGS = ("tag:yaml.org,2002:python/", "!python/", "!!python/")
_MERGE_TAG = "tag:yaml.org,2002:merge"
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def compose(text: str, shown: str, error: type[PhiguardError] = ReadError,
            line_offset: int = 0) -> yaml.Node | None:
    """Parse one YAML document into nodes that keep their marks (no objects built)."""
    try:
        loader = _PARSER(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise error(f"invalid YAML: {problem}", shown, line) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", shown) from None
    except RecursionError:
        raise error("YAML is nested too deeply to read", shown) from None
    if node is not None:
        _check_nodes(node, shown, error, line_offset)
    return node


def construct(node: yaml.Node | None, shown: str,
              error: type[PhiguardError] = ReadError) -> Any:
    """Build plain Python values from safe nodes (no tags that run code)."""
    if node is None:
        return None
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise error(f"invalid YAML: {exc.problem}", shown, line) from None
    except RecursionError:
        raise error("YAML is nested too deeply to read", shown) from None
    finally:
        loader.dispose()


def _check_nodes(root: yaml.Node, shown: str, error: type[PhiguardError],
                 line_offset: int = 0) -> None:
    """Refuse alias bombs (by node count) and tags that would construct program objects."""
    seen = 0
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        seen += 1
        if depth > MAX_DEPTH:
            raise error(f"YAML is nested too deeply to read (over {MAX_DEPTH} levels)", shown,
                        node.start_mark.line + 1 + line_offset)
        if seen > MAX_NODES:
            raise error(f"YAML document is too large or expands too far (over {MAX_NODES} "
                        "nodes; aliases count each time they are used)", shown)
        if isinstance(node, yaml.ScalarNode) and _SURROGATE.search(node.value):
            raise error("a string holds a lone UTF-16 surrogate (an invalid \\u escape), "
                        "which is no character", shown, node.start_mark.line + 1 + line_offset)
        if node.tag.startswith(_CODE_TAGS):
            raise error(f"invalid YAML: tag {node.tag.removeprefix('tag:yaml.org,2002:')!r} "
                        "would build program objects and is refused", shown,
                        node.start_mark.line + 1 + line_offset)
        if isinstance(node, yaml.MappingNode):
            _check_unique_keys(node, shown, error, line_offset)
            for key, value in node.value:
                stack.extend(((key, depth + 1), (value, depth + 1)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)


def _check_unique_keys(node: yaml.MappingNode, shown: str, error: type[PhiguardError],
                       line_offset: int) -> None:
    """A key given twice would silently lose its first value (two `text:` keys: the first
    text is never checked; two `expires:`: which one counts?). The key itself is not named:
    in a draft it could be anything, even a name."""
    first_line: dict[tuple[str, str], int] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == _MERGE_TAG:
            continue
        line = key.start_mark.line + 1 + line_offset
        if (key.tag, key.value) in first_line:
            raise error(f"duplicate key: the same key is also on line "
                        f"{first_line[key.tag, key.value]}; only one value would be read",
                        shown, line)
        first_line[key.tag, key.value] = line


def node_line(node: yaml.Node | None, path: list[Any]) -> int | None:
    """The line of the value at ``path`` inside a YAML node tree (best effort)."""
    current = node
    for step in path:
        if isinstance(current, yaml.MappingNode):
            nxt = next((v for k, v in current.value if k.value == step), None)
        elif isinstance(current, yaml.SequenceNode) and isinstance(step, int):
            nxt = current.value[step] if step < len(current.value) else None
        else:
            nxt = None
        if nxt is None:
            break
        current = nxt
    return current.start_mark.line + 1 if current is not None else None


def validate(data: Any, node: yaml.Node | None, schema: dict[str, Any], shown: str,
             error: type[PhiguardError], echo_keys: bool = True) -> None:
    """Check ``data`` against a JSON Schema; the deepest problem, with its line, on failure.
    The message names the path and what was expected, never the value (it may be PHI);
    ``echo_keys=False`` keeps an unknown key's name out too (schema_errors.py)."""
    import jsonschema

    from .schema_errors import describe_problem

    problems = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if not problems:
        return
    deepest = max(problems, key=lambda e: len(list(e.absolute_path)))
    best = jsonschema.exceptions.best_match([deepest]) or deepest
    path = list(best.absolute_path)
    message, at = describe_problem(best, echo_keys)
    raise error(message, shown, node_line(node, path + at))


def read_own_file(path: Path, error: type[PhiguardError]) -> str:
    """The text of one of phiguard's own files (rules, config, registry), or ``error`` saying
    why not, without quoting the file."""
    try:
        return path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise error("file not found", str(path)) from None
    except UnicodeDecodeError:
        raise error("cannot read: not valid UTF-8", str(path)) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror or type(exc).__name__}", str(path)) from None


def load_file(path: Path, schema: dict[str, Any],
              error: type[PhiguardError]) -> tuple[Any, yaml.Node | None]:
    """Read, parse and validate a YAML file of phiguard's own (rules, config, registry)."""
    shown = str(path)
    node = compose(read_own_file(path, error), shown, error=error)
    data = construct(node, shown, error=error)
    data = {} if data is None else data  # an empty file is an empty mapping
    validate(data, node, schema, shown, error)
    return data, node


def is_text(node: yaml.Node | None) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str"


def scalar_map(node: yaml.ScalarNode, source: str, base: int) -> SourceMap:
    """Where each character of a string scalar stands in ``source`` (offset by ``base``)."""
    start, end = node.start_mark.index, node.end_mark.index
    raw = source[base + start: base + end]
    offset = base + start
    if node.style in ('"', "'") and raw[:1] in "\"'":
        raw, offset = raw[1:], offset + 1
    elif node.style in ("|", ">"):
        header_end = LINE_END.search(raw)  # the `|` or `>` header line ends at CR too
        if header_end:
            raw, offset = raw[header_end.end():], offset + header_end.end()
    return SourceMap.aligned(node.value, raw, offset)


class LocStr(str):
    """A string loaded from a file that remembers where each character came from."""

    smap: SourceMap
    line: int

    @classmethod
    def at(cls, value: str, smap: SourceMap, line: int) -> LocStr:
        made = cls(value)
        made.smap = smap
        made.line = line
        return made


class LocDict(dict[Any, Any]):
    """A mapping loaded from a file that remembers the line it starts on."""

    line: int


def located(node: yaml.Node | None, source: str, base: int = 0, line_offset: int = 0) -> Any:
    """Plain values from nodes, with every string a LocStr pointing into ``source``."""
    if node is None:
        return None
    loader = yaml.SafeLoader("")
    try:
        return _located(node, source, base, line_offset, loader)
    finally:
        loader.dispose()


def _located(node: yaml.Node, source: str, base: int, line_offset: int,
             loader: yaml.SafeLoader) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = LocDict()
        out.line = node.start_mark.line + 1 + line_offset
        for key, value in node.value:
            k = _located(key, source, base, line_offset, loader)
            out[k if isinstance(k, (str, int, float, bool)) or k is None else str(k)] = (
                _located(value, source, base, line_offset, loader))
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_located(v, source, base, line_offset, loader) for v in node.value]
    assert isinstance(node, yaml.ScalarNode)  # a composed node is a mapping, sequence or scalar
    if is_text(node) or (isinstance(node, yaml.ScalarNode) and not _known(node, loader)):
        # A scalar with a tag of some other tool (`text: !secret "..."`) is still the words
        # in the file: read as text, built into nothing (program tags were refused earlier).
        return LocStr.at(node.value, scalar_map(node, source, base),
                         node.start_mark.line + 1 + line_offset)
    try:
        value = loader.construct_object(node, deep=True)
        if not (isinstance(value, int) and value.bit_length() > _MAX_INT_BITS):
            return value
    except yaml.constructor.ConstructorError:
        return node.value  # an unknown tag: keep the text, build nothing from it
    except (ValueError, OverflowError):  # 2027-02-30, or more digits than int() converts
        pass
    # The words in the file, for the field's own check to refuse with this line; a huge
    # (hexadecimal) int would fail later, wherever it is turned into text.
    return LocStr.at(node.value, scalar_map(node, source, base),
                     node.start_mark.line + 1 + line_offset)


# Python refuses to print an int of more than 4,300 decimal digits (about 14,000 bits).
_MAX_INT_BITS = 14_000


def _known(node: yaml.ScalarNode, loader: yaml.SafeLoader) -> bool:
    """Whether the safe loader builds a value for this scalar's tag (int, date, binary...)."""
    return node.tag in loader.yaml_constructors
