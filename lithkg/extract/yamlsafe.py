"""Bounded YAML: the one loader for curated-claims files and document front matter.

A safe loader (no Python objects) that leaves dates as text (lithkg checks them itself, with a clear message) and
bounds what a few bytes of YAML can make lithkg do, while the YAML is composed, before anything is built from it:

- collections nest at most :data:`MAX_DEPTH` levels;
- the document holds at most :data:`MAX_NODES` values and :data:`MAX_CHARS` characters of text once its aliases
  are expanded (the "billion laughs" file of nested aliases and ``<<`` merges is refused after a few hundred
  thousand values, not after filling the memory; whatever later reads the data whole, or prints it, reads no
  more), and an alias may not refer to the collection it is in;
- a text (scalar) is at most ``max_scalar`` characters, where the reader sets one;
- a number too long to convert cheaply (over :data:`lithkg.model.MAX_NUMBER_TEXT` characters) stays text, for the
  reader's own range check (:func:`lithkg.model.check_number`) to refuse with the file and line.

Every refusal is a :class:`YamlLimitError` with the mark of the offending node.
"""
from __future__ import annotations

import yaml

from ..model import MAX_NUMBER_TEXT

MAX_DEPTH = 32          # nested collections
MAX_NODES = 250_000     # values (scalars and collections), counted after alias expansion
MAX_CHARS = 8 * 1024 * 1024  # characters of all texts (scalars), counted after alias expansion

# What PyYAML raises when it cannot construct a tagged value (``!!timestamp x``, ``!!int abc``, ...)
YAML_VALUE_ERRORS = (ValueError, TypeError, AttributeError, KeyError, IndexError)


class YamlLimitError(yaml.YAMLError):
    """A bound of this module was reached at ``mark`` (a yaml Mark: 0-based line)."""

    def __init__(self, message: str, hint: str, mark, *, expansion: bool = False):
        self.expansion = expansion  # the bound on values or characters once aliases are expanded
        self.message = message
        self.hint = hint
        self.problem_mark = mark
        super().__init__(message)


class TextDateLoader(yaml.SafeLoader):
    """A safe YAML loader that leaves dates as text and enforces the bounds above (``max_scalar``: None)."""

    max_scalar: int | None = None

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._nodes = self._chars = 0
        self._sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (values, characters) once expanded

    def _count(self, nodes: int, chars: int, mark) -> None:
        self._nodes += nodes
        self._chars += chars
        if self._nodes > MAX_NODES:
            raise YamlLimitError(f"the YAML holds more than {MAX_NODES:,} values once its aliases are expanded",
                                 "split the file, or use fewer aliases", mark, expansion=True)
        if self._chars > MAX_CHARS:
            raise YamlLimitError(f"the YAML holds more than {MAX_CHARS:,} characters of text once its aliases are"
                                 " expanded", "split the file, or use fewer aliases", mark, expansion=True)

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = self.anchors.get(event.anchor)
            if node is not None:  # (an undefined alias: PyYAML's own error)
                size = self._sizes.get(id(node))
                if size is None:
                    raise YamlLimitError("a YAML alias refers to the collection it is in", "remove the alias",
                                         event.start_mark)
                self._count(*size, event.start_mark)
            return super().compose_node(parent, index)
        event = self.peek_event()
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if self._depth >= MAX_DEPTH:
                raise YamlLimitError(f"the YAML nests more than {MAX_DEPTH} levels deep",
                                     "write it with fewer nested levels", event.start_mark)
        elif isinstance(event, yaml.ScalarEvent) and self.max_scalar is not None \
                and len(event.value) > self.max_scalar:
            raise YamlLimitError(f"a text of {len(event.value):,} characters is over the limit of "
                                 f"{self.max_scalar:,}", "shorten it", event.start_mark)
        self._count(1, len(event.value) if isinstance(event, yaml.ScalarEvent) else 0, event.start_mark)
        self._depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if isinstance(node, yaml.ScalarNode):
            self._sizes[id(node)] = (1, len(node.value))
        else:
            children = node.value if isinstance(node, yaml.SequenceNode) else [c for kv in node.value for c in kv]
            sizes = [self._sizes[id(child)] for child in children]
            self._sizes[id(node)] = (1 + sum(n for n, _ in sizes), sum(c for _, c in sizes))
        return node

    def construct_yaml_int(self, node):
        if len(node.value) > MAX_NUMBER_TEXT:  # kept as text: the reader's range check refuses it with its line
            return self.construct_scalar(node)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node):
        if len(node.value) > MAX_NUMBER_TEXT:
            return self.construct_scalar(node)
        return super().construct_yaml_float(node)


TextDateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
TextDateLoader.yaml_constructors = dict(yaml.SafeLoader.yaml_constructors)
TextDateLoader.add_constructor("tag:yaml.org,2002:int", TextDateLoader.construct_yaml_int)
TextDateLoader.add_constructor("tag:yaml.org,2002:float", TextDateLoader.construct_yaml_float)


def load(text: str, loader: type[TextDateLoader] = TextDateLoader):
    """The data of one YAML document and its root node (None, None for an empty one), composed once.
    Raises :class:`YamlLimitError`, yaml.YAMLError, RecursionError or one of :data:`YAML_VALUE_ERRORS`."""
    instance = loader(text)
    try:
        node = instance.get_single_node()
        return (instance.construct_document(node) if node is not None else None), node
    finally:
        instance.dispose()
