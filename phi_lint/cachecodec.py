"""The cache's data format: what a file contributed to a scan, as plain JSON values.

A cache file is data, never code: reading one builds only the types registered here, each from
a JSON array `[tag, field, field, ...]` whose fields are checked against the type each field is
declared to hold (exact `str`, `int`, `bool`; tuples restored as tuples; numbers bounded; free
JSON nested at most MAX_DEPTH deep). Anything else raises `Invalid`, and the caller treats the
whole cache file as missing. Writing checks the same declarations, so a value the reader would
refuse is never written (`TypeError`: that file is simply not cached).

Adding a field to one of these dataclasses means adding it here too (a test compares the
declarations with the dataclasses' fields).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from operator import attrgetter
from typing import Any, NamedTuple

from phi_lint.inference.model import Inference
from phi_lint.models import Notification, Sighting, Span
from phi_lint.outcome import FileOutcome
from phi_lint.pagegraph.model import Edge
from phi_lint.suppress import Directive

INT_LIMIT = 2**63  # line numbers, sizes, mtimes: anything beyond is not something phi-lint wrote
MAX_DEPTH = 48  # free JSON (a sighting's details); a deeper one is not cached: that file is read again


class Invalid(ValueError):
    """A cached value that is not what phi-lint writes."""


# -- field types ---------------------------------------------------------------------------


class Field(NamedTuple):
    """How one field is written (encode raises TypeError) and read back (decode raises
    Invalid); `exact` is the one type a primitive field holds (checked in bulk for speed)."""

    encode: Callable
    decode: Callable
    exact: type | None = None


def _bounded(value) -> bool:
    return -INT_LIMIT < value < INT_LIMIT


def _exact(kind: type) -> Field:
    name = kind.__name__

    def encode(value):
        if type(value) is not kind or (kind is int and not _bounded(value)):
            raise TypeError(f"expected {name}, got {type(value).__name__}")
        return value

    def decode(value):
        if type(value) is not kind or (kind is int and not _bounded(value)):
            raise Invalid(f"expected {name}, got {type(value).__name__}")
        return value

    return Field(encode, decode, kind)


STR, BOOL, INT = _exact(str), _exact(bool), _exact(int)  # int: bounded by INT_LIMIT


class _Exact:
    """Checks a row of primitives: each value exactly of its type (bool is not int), ints
    within INT_LIMIT."""

    def __init__(self, kinds: list[type]):
        self.kinds = kinds
        self.ints = [i for i, kind in enumerate(kinds) if kind is int]

    def check(self, values: list) -> None:
        if list(map(type, values)) != self.kinds:
            raise Invalid("a value of the wrong type")
        for i in self.ints:
            if not -INT_LIMIT < values[i] < INT_LIMIT:
                raise Invalid("a number out of range")


def optional(field: Field) -> Field:
    inner_encode, inner_decode = field.encode, field.decode
    return Field(lambda v: None if v is None else inner_encode(v), lambda v: None if v is None else inner_decode(v))


def _sequence(field: Field, kind: type[list] | type[tuple]) -> Field:
    inner_encode, inner_decode = field.encode, field.decode

    def encode(value):
        if type(value) is not kind:
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return [inner_encode(item) for item in value]

    def decode(value):
        if type(value) is not list:
            raise Invalid(f"expected an array for a {kind.__name__}")
        if not value:
            return [] if kind is list else ()
        items = [inner_decode(item) for item in value]
        return items if kind is list else kind(items)

    return Field(encode, decode)


def list_of(field: Field) -> Field:
    return _sequence(field, list)


def tuple_of(field: Field) -> Field:
    return _sequence(field, tuple)


def fixed_tuple(*fields: Field) -> Field:
    """A tuple of a known length, each position a primitive of its own type (e.g. (source,
    name, line))."""
    kinds = [f.exact for f in fields if f.exact is not None]
    assert len(kinds) == len(fields), "fixed tuples hold primitives"
    check = _Exact(kinds).check
    encoders = [f.encode for f in fields]
    size = len(fields)

    def encode(value):
        if type(value) is not tuple or len(value) != size:
            raise TypeError(f"expected a {size}-tuple")
        return [enc(item) for enc, item in zip(encoders, value)]

    def decode(value):
        if type(value) is not list or len(value) != size:
            raise Invalid(f"expected an array of {size}")
        check(value)
        return tuple(value)

    return Field(encode, decode)


def _free_encode(value, depth: int = 0):
    """JSON-like data (a sighting's details); dicts and tuples are wrapped, so that a list, a
    tuple and a dict come back as what they were."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return value
    if depth >= MAX_DEPTH:
        raise TypeError("nested too deeply to cache")
    if kind is int:
        return INT.encode(value)
    if kind is float:
        if not math.isfinite(value):
            raise TypeError("not a finite number")
        return value
    if kind is list:
        return [_free_encode(item, depth + 1) for item in value]
    if kind is tuple:
        return {"t": [_free_encode(item, depth + 1) for item in value]}
    if kind is dict:
        if not all(type(key) is str for key in value):
            raise TypeError("a mapping with keys that are not strings")
        return {"m": {key: _free_encode(item, depth + 1) for key, item in value.items()}}
    raise TypeError(f"{kind.__name__} is not cached")


def _free_decode(value, depth: int = 0):
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return value
    if depth >= MAX_DEPTH:
        raise Invalid("nested too deeply")
    if kind is int:
        return INT.decode(value)
    if kind is float:
        if not math.isfinite(value):
            raise Invalid("not a finite number")
        return value
    if kind is list:
        return [_free_decode(item, depth + 1) for item in value]
    if kind is dict and len(value) == 1:
        if type(value.get("t")) is list:
            return tuple([_free_decode(item, depth + 1) for item in value["t"]])
        if type(value.get("m")) is dict:
            return {key: _free_decode(item, depth + 1) for key, item in value["m"].items()}
    raise Invalid("unexpected value in free data")


def _free_dict_encode(value):
    if type(value) is not dict:
        raise TypeError("expected a dict")
    return _free_encode(value)


def _free_dict_decode(value):
    if type(value) is not dict or "m" not in value:
        raise Invalid("expected a mapping")
    return _free_decode(value)


FREE_DICT = Field(_free_dict_encode, _free_dict_decode)


# -- records -------------------------------------------------------------------------------


class Record:
    """A registered dataclass: a short tag and the type of each field, in field order.

    Written as `[tag, field, ...]`. Fields declared sparse (lists most files leave empty) are
    left out of that row: those that differ from their default follow in a mapping
    `{name: value}`, itself left out when empty.
    """

    def __init__(self, tag: str, cls: type, fields: tuple[tuple[str, Field], ...], sparse: tuple[str, ...] = ()):
        self.tag, self.cls = tag, cls
        self.names = tuple(name for name, _ in fields)
        self.fields = dict(fields)
        declared = {f.name: f for f in dataclasses.fields(cls)}
        self._defaults = {}
        for name in sparse:
            spec = declared[name]
            if spec.default is not dataclasses.MISSING:
                self._defaults[name] = spec.default
            else:
                assert spec.default_factory is not dataclasses.MISSING, f"sparse field {name} has no default"
                self._defaults[name] = spec.default_factory()
        self.required = tuple(name for name in self.names if name not in self._defaults)
        # defaults a built object shares (None, (), False) and those it needs its own of ([])
        mutable = {name: d for name, d in self._defaults.items() if isinstance(d, (list, dict, set))}
        assert not any(mutable.values()), "mutable defaults are empty"
        self._shared_defaults = {n: d for n, d in self._defaults.items() if n not in mutable}
        self._made_defaults = tuple(mutable)
        self._makers = tuple(type(default) for default in mutable.values())
        self._get = attrgetter(*self.required)
        self._encoders = tuple(self.fields[name].encode for name in self.required)
        self._decoders = tuple(self.fields[name].decode for name in self.required)
        kinds = [kind for name in self.required if (kind := self.fields[name].exact) is not None]
        self._exact = _Exact(kinds).check if len(kinds) == len(self.required) else None
        self._length = len(self.required) + 1
        # built without __init__ (a third of the time): these dataclasses compute nothing in it
        self._direct = not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__")
        self.encode, self.decode = self._encoder(), self._decoder()

    def _encoder(self):
        """encode(value), with everything it looks up bound once (it runs for every record)."""
        cls, tag, name, encoders = self.cls, self.tag, self.cls.__name__, self._encoders
        get, single = self._get, len(self.required) == 1
        sparse = [(field, default, type(default), self.fields[field].encode) for field, default in self._defaults.items()]

        def encode(value):
            if type(value) is not cls:
                raise TypeError(f"expected {name}, got {type(value).__name__}")
            values = (get(value),) if single else get(value)
            out = [tag, *[enc(item) for enc, item in zip(encoders, values)]]
            extra = {}
            for field, default, kind, enc in sparse:
                item = getattr(value, field)
                if type(item) is not kind or item != default:
                    extra[field] = enc(item)
            if extra:
                out.append(extra)
            return out

        return encode

    def _decoder(self):
        """decode(value), with everything it looks up bound once (it runs for every record)."""
        cls, tag, name, length, exact, direct = self.cls, self.tag, self.cls.__name__, self._length, self._exact, self._direct
        decoders, required, shared = self._decoders, self.required, self._shared_defaults
        made = tuple(zip(self._made_defaults, self._makers))
        sparse, given = bool(self._defaults), self._given
        new = object.__new__

        def decode(value):
            if type(value) is not list or not value or value[0] != tag:
                raise Invalid(f"expected a {name} record")
            size = len(value)
            if size == length:
                extra = None
            elif sparse and size == length + 1 and type(value[-1]) is dict:
                extra = value[-1]
            else:
                raise Invalid(f"a {name} record of the wrong length")
            values = value[1:length]
            try:
                if exact is not None:
                    exact(values)
                else:
                    values = [dec(item) for dec, item in zip(decoders, values)]
                if not direct:
                    return cls(*values, **given(extra or {}))
                built: Any = new(cls)  # any dataclass of the table
                fields = built.__dict__
                fields.update(zip(required, values))
                if sparse:
                    fields.update(shared)
                    for field, make in made:
                        fields[field] = make()
                    if extra:
                        fields.update(given(extra))
                return built
            except Invalid as exc:
                raise Invalid(f"{name}: {exc}") from None

        return decode

    def _given(self, extra: dict) -> dict:
        given = {}
        for name, item in extra.items():
            if name not in self._defaults:
                raise Invalid(f"unknown field {str(name)[:40]!r}")
            given[name] = self.fields[name].decode(item)
        return given

    @property
    def field(self) -> Field:
        return Field(self.encode, self.decode)


REGISTRY: dict[str, Record] = {}


def register(tag: str, cls: type, *fields: tuple[str, Field], sparse: tuple[str, ...] = ()) -> Record:
    record = Record(tag, cls, fields, sparse)
    REGISTRY[tag] = record
    return record


SPAN = register("Sp", Span, ("line", INT), ("column", INT), ("end_line", INT), ("end_column", INT))
NOTIFICATION = register("No", Notification, ("path", STR), ("message", STR), ("level", STR), ("code", STR))
SIGHTING = register(
    "Si", Sighting,
    ("vendor_id", STR), ("path", STR), ("span", SPAN.field), ("kind", STR), ("snippet", STR),
    ("account_id", optional(STR)), ("capabilities", tuple_of(STR)), ("signature", STR),
    ("lines", tuple_of(INT)), ("details", optional(FREE_DICT)),
)
EDGE = register("Ed", Edge, ("source", STR), ("target", STR), ("kind", STR), ("line", INT), ("detail", STR))
INFERENCE = register(
    "In", Inference, ("page", STR), ("label", STR), ("text", STR), ("path", STR), ("line", INT), ("weak", BOOL),
    ("own_guard", BOOL), ("by_name", BOOL),
)
DIRECTIVE = register(
    "Di", Directive,
    ("path", STR), ("line", INT), ("column", INT), ("rules", tuple_of(STR)), ("reason", STR),
    ("whole_file", BOOL), ("text", STR), ("used", BOOL), ("bad_rules", tuple_of(STR)),
)
INFERENCES = list_of(INFERENCE.field)
OUTCOME = register(
    "Fo", FileOutcome,
    ("rel", STR), ("kind", STR),
    ("notifications", list_of(NOTIFICATION.field)),
    ("analysis_notices", list_of(NOTIFICATION.field)),
    ("sightings", list_of(SIGHTING.field)),
    ("edges", list_of(EDGE.field)),
    ("inferences", INFERENCES),
    ("missing", list_of(fixed_tuple(STR, STR, INT))),  # (source, name, line) of unresolved targets
    ("tags", list_of(fixed_tuple(STR, INT))),
    ("directives", list_of(DIRECTIVE.field)),
    ("containers", list_of(STR)),
    ("page", BOOL),
    ("page_inferences", optional(INFERENCES)),
    ("hints", tuple_of(STR)),
    ("scanned", BOOL),
    ("skipped", BOOL),
    sparse=("notifications", "analysis_notices", "sightings", "edges", "inferences", "missing", "tags", "directives",
            "containers", "page_inferences", "hints"),
)
