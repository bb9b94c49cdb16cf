"""Read and validate the catalogue's content files (``catalogue/content/*.yaml``) into the
frozen dataclasses of :mod:`ivp.catalogue.schema`.

Every problem is reported with file and line: a missing or unknown attribute, an empty
list where the handbook attribute needs content or an explicit
``{niet_in_handreiking: …}`` marker, a malformed code or identifier, a duplicate, a
raakvlak to an unknown theme. All problems of a load are collected and raised together as
one :class:`CatalogueError`. Plain Python: no Django.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ivp.catalogue import schema as s

CONTENT_DIR = Path(__file__).resolve().parent / "content"
MANIFEST = "catalogus.yaml"

# ---------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    bestand: str
    regel: int
    bericht: str

    def __str__(self) -> str:
        return f"{self.bestand}:{self.regel}: {self.bericht}"


class CatalogueError(Exception):
    """The content files are not valid; ``problems`` lists each problem with file and
    line."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        n = len(self.problems)
        head = f"catalogue content has {n} problem{'s' if n != 1 else ''}:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


# ---------------------------------------------------------------------------------------
# YAML with line numbers
# ---------------------------------------------------------------------------------------


class YMap(dict):
    """A YAML mapping that remembers its own line and the line of each key."""

    line: int
    key_lines: dict[str, int]


class YList(list):
    """A YAML sequence that remembers its own line and the line of each item."""

    line: int
    item_lines: list[int]


def _line(node: Node) -> int:
    return node.start_mark.line + 1


class _Reader:
    """Reads one YAML file into YMap/YList/scalars and collects problems for that file."""

    def __init__(self, path: Path, name: str, problems: list[Problem]):
        self.path = path
        self.name = name
        self.problems = problems

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.name, line, message))

    def read(self) -> Any:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.problem(0, "file not found")
            return None
        except UnicodeDecodeError as error:
            self.problem(0, f"not UTF-8: {error}")
            return None
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                self.problem(1, "the file is empty")
                return None
            return self._build(loader, node)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else 0
            self.problem(line, f"YAML syntax error: {error.problem or error}")
            return None
        finally:
            loader.dispose()

    def _build(self, loader: yaml.SafeLoader, node: Node) -> Any:
        if isinstance(node, MappingNode):
            result = YMap()
            result.line = _line(node)
            result.key_lines = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    self.problem(_line(key_node), "a key must be a plain name")
                    continue
                key = loader.construct_object(key_node)
                if key == "<<":
                    self.problem(_line(key_node), "merge keys (<<) are not allowed")
                    continue
                key = str(key)
                if key in result:
                    self.problem(
                        _line(key_node),
                        f"duplicate key '{key}' (first on line {result.key_lines[key]})",
                    )
                    continue
                result[key] = self._build(loader, value_node)
                result.key_lines[key] = _line(key_node)
            return result
        if isinstance(node, SequenceNode):
            result = YList()
            result.line = _line(node)
            result.item_lines = []
            for item in node.value:
                result.append(self._build(loader, item))
                result.item_lines.append(_line(item))
            return result
        return loader.construct_object(node)


# ---------------------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------------------


class _Marker:
    """An attribute written as ``{niet_in_handreiking: <reason>}``."""

    def __init__(self, reason: str):
        self.reason = reason


class _Checker:
    def __init__(self, reader: _Reader):
        self.r = reader

    def keys(
        self,
        m: YMap,
        required: Iterable[str],
        optional: Iterable[str] = (),
        what: str = "",
    ) -> bool:
        required = tuple(required)
        allowed = set(required) | set(optional)
        ok = True
        for key in m:
            if key not in allowed:
                self.r.problem(
                    m.key_lines[key],
                    f"unknown attribute '{key}'{what} (allowed: {', '.join(sorted(allowed))})",
                )
                ok = False
        for key in required:
            if key not in m:
                self.r.problem(m.line, f"attribute '{key}' is missing{what}")
                ok = False
        return ok

    def map(self, value: Any, line: int, what: str) -> YMap | None:
        if not isinstance(value, YMap):
            self.r.problem(line, f"{what} must be a mapping (key: value)")
            return None
        return value

    def list(self, value: Any, line: int, what: str) -> YList | None:
        if not isinstance(value, YList):
            self.r.problem(line, f"{what} must be a list")
            return None
        return value

    def text(self, value: Any, line: int, what: str) -> str | None:
        if not isinstance(value, str):
            hint = ""
            if isinstance(value, int | float) and not isinstance(value, bool):
                hint = ' (write codes in quotes, e.g. "3.1")'
            self.r.problem(line, f"{what} must be text, not {type(value).__name__}{hint}")
            return None
        text = " ".join(value.split())
        if not text:
            self.r.problem(line, f"{what} is empty")
            return None
        return text

    def url(self, value: Any, line: int, what: str) -> str | None:
        text = self.text(value, line, what)
        if text is not None and not text.startswith(("https://", "http://")):
            self.r.problem(line, f"{what} must start with https:// or http://: {text!r}")
            return None
        return text

    def marker(self, value: Any, line: int, name: str, *, per_aspect: bool) -> _Marker | None:
        """``value`` is a marker: return it if valid (else report and return a marker so
        the caller does not report again); not a marker: None."""
        if not (isinstance(value, YMap) and s.MARKER_KEY in value):
            return None
        if len(value) != 1:
            self.r.problem(line, f"'{name}': a {s.MARKER_KEY} marker has no other keys")
        reason = value[s.MARKER_KEY]
        if reason not in s.REASONS:
            self.r.problem(
                value.key_lines[s.MARKER_KEY],
                f"'{name}': unknown reason {reason!r} (one of: {', '.join(s.REASONS)})",
            )
            return _Marker("leeg")
        if reason == "per_aspect" and not per_aspect:
            self.r.problem(
                value.key_lines[s.MARKER_KEY],
                f"'{name}': 'per_aspect' is only allowed for attributes that field 1 gives "
                f"per aspect ({', '.join(sorted(s.PER_ASPECT_ATTRIBUTES))}) of a field "
                "that has aspects",
            )
        return _Marker(reason)

    def texts(self, value: Any, line: int, name: str, *, allow_empty: bool) -> tuple[str, ...]:
        items = self.list(value, line, f"'{name}'")
        if items is None:
            return ()
        if not items and not allow_empty:
            self.r.problem(
                line,
                f"'{name}' is an empty list; write {{{s.MARKER_KEY}: leeg}} if the "
                "handbook gives nothing",
            )
        result = []
        seen: dict[str, int] = {}
        for item, item_line in zip(items, items.item_lines, strict=True):
            text = self.text(item, item_line, f"an item of '{name}'")
            if text is None:
                continue
            if text in seen:
                self.r.problem(item_line, f"'{name}' repeats {text!r} (line {seen[text]})")
                continue
            seen[text] = item_line
            result.append(text)
        return tuple(result)

    def items(
        self,
        value: Any,
        line: int,
        name: str,
        keys: dict[str, tuple[str, ...]],
        build: Callable[[YMap], Any],
    ) -> tuple[Any, ...]:
        items = self.list(value, line, f"'{name}'")
        if items is None:
            return ()
        if not items:
            self.r.problem(
                line,
                f"'{name}' is an empty list; write {{{s.MARKER_KEY}: leeg}} if the "
                "handbook gives nothing",
            )
        result = []
        for item, item_line in zip(items, items.item_lines, strict=True):
            m = self.map(item, item_line, f"an item of '{name}'")
            if m is None:
                continue
            if not self.keys(m, keys["required"], keys["optional"], f" in an item of '{name}'"):
                continue
            built = build(m)
            if built is not None:
                result.append(built)
        return tuple(result)


# ---------------------------------------------------------------------------------------
# Reading the parts
# ---------------------------------------------------------------------------------------


@dataclass
class _Pending:
    """What a field file contributes, with the lines needed for cross-file checks."""

    veld: s.Veiligheidsveld
    reader: _Reader
    raakvlak_lines: dict[str, list[int]]  # theme code → line of each raakvlak
    id_lines: dict[str, int]  # measure/indicator id → line
    code_lines: dict[str, int]  # theme/aspect code → line


class _FieldFile:
    """Reads one ``veld-N.yaml``."""

    def __init__(self, reader: _Reader):
        self.r = reader
        self.c = _Checker(reader)
        self.raakvlak_lines: dict[str, list[int]] = {}
        self.id_lines: dict[str, int] = {}
        self.code_lines: dict[str, int] = {}
        #: every theme code written in the file, valid or not (for cross-file checks)
        self.declared: set[str] = set()

    def read(self, data: Any) -> tuple[s.Veiligheidsveld | None, frozenset[str]]:
        top = self.c.map(data, 1, "the file")
        if top is None:
            return None, frozenset()
        self.c.keys(top, ("veld", "themas", "aanpakaspecten"), ("ingetrokken_ids",))
        if "veld" not in top:
            return None, frozenset()
        veld_map = self.c.map(top["veld"], top.key_lines["veld"], "'veld'")
        if veld_map is None:
            return None, frozenset()
        self.c.keys(veld_map, s.VELD_ATTRIBUTES, (), " of 'veld'")
        code = self._code(veld_map, s.VELD_CODE, "field code", '"1" … "9"')
        titel = self.c.text(veld_map.get("titel"), self._kl(veld_map, "titel"), "'titel'")
        uitleg = self.c.text(veld_map.get("uitleg"), self._kl(veld_map, "uitleg"), "'uitleg'")
        retired = self._retired(top)

        aspect_items = None
        if "aanpakaspecten" in top:
            aspect_items = self.c.list(
                top["aanpakaspecten"], top.key_lines["aanpakaspecten"], "'aanpakaspecten'"
            )
        has_aspects = bool(aspect_items)

        themas: list[s.Thema] = []
        theme_items = None
        if "themas" in top:
            theme_items = self.c.list(top["themas"], top.key_lines["themas"], "'themas'")
        if theme_items is not None:
            if not theme_items:
                self.r.problem(theme_items.line, "'themas' is empty: a field has themes")
            for item, line in zip(theme_items, theme_items.item_lines, strict=True):
                m = self.c.map(item, line, "a theme")
                if m is not None and code is not None:
                    thema = self._thema(m, code, has_aspects)
                    if thema is not None:
                        themas.append(thema)
        aspecten: list[s.Aanpakaspect] = []
        if aspect_items:
            for item, line in zip(aspect_items, aspect_items.item_lines, strict=True):
                m = self.c.map(item, line, "an aspect of approach")
                if m is not None and code is not None:
                    aspect = self._aspect(m, code)
                    if aspect is not None:
                        aspecten.append(aspect)
        if code is None or titel is None or uitleg is None:
            return None, retired
        veld = s.Veiligheidsveld(
            code=code,
            titel=titel,
            uitleg=uitleg,
            themas=tuple(themas),
            aanpakaspecten=tuple(aspecten),
            herkomst=s.Herkomst(self.r.name, veld_map.line),
        )
        return veld, retired

    # -- helpers ---------------------------------------------------------------------

    @staticmethod
    def _kl(m: YMap, key: str) -> int:
        return m.key_lines.get(key, m.line)

    def _code(self, m: YMap, pattern, what: str, example: str) -> str | None:
        if "code" not in m:
            return None
        value = m["code"]
        self.declared.add(str(value))
        line = self._kl(m, "code")
        text = self.c.text(value, line, what)
        if text is None:
            return None
        if not pattern.match(text):
            self.r.problem(line, f"{what} {text!r} is not valid (expected {example})")
            return None
        return text

    def _retired(self, top: YMap) -> frozenset[str]:
        if "ingetrokken_ids" not in top:
            return frozenset()
        items = self.c.texts(
            top["ingetrokken_ids"],
            self._kl(top, "ingetrokken_ids"),
            "ingetrokken_ids",
            allow_empty=True,
        )
        for item in items:
            if not s.ITEM_ID.match(item):
                self.r.problem(
                    self._kl(top, "ingetrokken_ids"), f"retired id {item!r} is not an id"
                )
        return frozenset(items)

    def _attributes(
        self,
        m: YMap,
        specs: tuple[s.AttributeSpec, ...],
        owner: str,
        *,
        per_aspect_allowed: bool,
    ) -> tuple[dict[str, Any], dict[str, str]]:
        values: dict[str, Any] = {}
        markers: dict[str, str] = {}
        for spec in specs:
            if spec.name in ("code", "titel") or spec.name not in m:
                continue
            value = m[spec.name]
            line = m.key_lines[spec.name]
            if spec.handbook:
                marker = self.c.marker(
                    value,
                    line,
                    spec.name,
                    per_aspect=per_aspect_allowed and spec.name in s.PER_ASPECT_ATTRIBUTES,
                )
                if marker is not None:
                    markers[spec.name] = marker.reason
                    values[spec.name] = _empty(spec.kind)
                    continue
            values[spec.name] = self._value(spec, value, line, owner)
        return values, markers

    def _value(self, spec: s.AttributeSpec, value: Any, line: int, owner: str) -> Any:
        name = spec.name
        if spec.kind == "text":
            return self.c.text(value, line, f"'{name}'")
        if spec.kind == "texts":
            return self.c.texts(value, line, name, allow_empty=False)
        if spec.kind == "texts_or_empty":
            return self.c.texts(value, line, name, allow_empty=True)
        if spec.kind == "partners":
            return self._partners(value, line)
        if spec.kind == "maatregelen":
            return self.c.items(
                value, line, name, s.MAATREGEL_KEYS, lambda m: self._maatregel(m, owner)
            )
        if spec.kind == "indicatoren":
            return self.c.items(
                value, line, name, s.INDICATOR_KEYS, lambda m: self._indicator(m, owner)
            )
        if spec.kind == "instrumenten":
            return self.c.items(value, line, name, s.INSTRUMENT_KEYS, self._instrument)
        if spec.kind == "codes":
            return self._codes(value, line, owner)
        raise AssertionError(f"unknown kind {spec.kind}")  # pragma: no cover

    def _partners(self, value: Any, line: int) -> s.Partners:
        m = self.c.map(value, line, "'partners'")
        if m is None:
            return s.Partners()
        self.c.keys(m, s.PARTNER_KEYS, (), " of 'partners'")
        found = {
            key: self.c.texts(m[key], m.key_lines[key], f"partners.{key}", allow_empty=False)
            for key in s.PARTNER_KEYS
            if key in m
        }
        return s.Partners(**found)

    def _item_id(self, m: YMap, owner: str, kind: str) -> str | None:
        line = self._kl(m, "id")
        text = self.c.text(m["id"], line, "'id'")
        if text is None:
            return None
        pattern = s.measure_id_pattern(owner) if kind == "m" else s.indicator_id_pattern(owner)
        if not pattern.match(text):
            example = f"{owner}-{kind}01"
            self.r.problem(
                line, f"id {text!r} does not belong to {owner} (expected e.g. {example})"
            )
            return None
        if text in self.id_lines:
            self.r.problem(line, f"duplicate id {text!r} (first on line {self.id_lines[text]})")
            return None
        self.id_lines[text] = line
        return text

    def _optional_text(self, m: YMap, key: str) -> str | None:
        if key not in m:
            return None
        return self.c.text(m[key], self._kl(m, key), f"'{key}'")

    def _maatregel(self, m: YMap, owner: str) -> s.Maatregel | None:
        item_id = self._item_id(m, owner, "m")
        tekst = self.c.text(m["tekst"], self._kl(m, "tekst"), "'tekst'")
        url = self.c.url(m["url"], self._kl(m, "url"), "'url'") if "url" in m else None
        if item_id is None or tekst is None:
            return None
        return s.Maatregel(
            id=item_id,
            tekst=tekst,
            groep=self._optional_text(m, "groep"),
            toelichting=self._optional_text(m, "toelichting"),
            url=url,
        )

    def _indicator(self, m: YMap, owner: str) -> s.Indicator | None:
        item_id = self._item_id(m, owner, "i")
        tekst = self.c.text(m["tekst"], self._kl(m, "tekst"), "'tekst'")
        if item_id is None or tekst is None:
            return None
        return s.Indicator(id=item_id, tekst=tekst, bron=self._optional_text(m, "bron"))

    def _instrument(self, m: YMap) -> s.Instrument | None:
        naam = self.c.text(m["naam"], self._kl(m, "naam"), "'naam'")
        url = self.c.url(m["url"], self._kl(m, "url"), "'url'") if "url" in m else None
        if naam is None:
            return None
        return s.Instrument(naam=naam, url=url)

    def _codes(self, value: Any, line: int, owner: str) -> tuple[str, ...]:
        items = self.c.list(value, line, "'raakvlakken'")
        if items is None:
            return ()
        if not items:
            self.r.problem(
                line,
                f"'raakvlakken' is an empty list; write {{{s.MARKER_KEY}: leeg}} if the "
                "handbook gives nothing",
            )
        codes: list[str] = []
        lines: list[int] = []
        for item, item_line in zip(items, items.item_lines, strict=True):
            code = self.c.text(item, item_line, "a raakvlak")
            if code is None:
                continue
            if not s.THEMA_CODE.match(code):
                self.r.problem(item_line, f'raakvlak {code!r} is not a theme code like "3.1"')
                continue
            if code == owner:
                self.r.problem(item_line, f"theme {owner} names itself as raakvlak")
                continue
            if code in codes:
                self.r.problem(item_line, f"raakvlak {code} is listed twice")
                continue
            codes.append(code)
            lines.append(item_line)
        self.raakvlak_lines[owner] = lines
        return tuple(codes)

    def _thema(self, m: YMap, veld_code: str, has_aspects: bool) -> s.Thema | None:
        names = [spec.name for spec in s.THEMA_ATTRIBUTES]
        self.c.keys(m, names, (), " of a theme")
        code = self._code(m, s.THEMA_CODE, "theme code", '"3.1"')
        if code is None:
            return None
        if code.split(".")[0] != veld_code:
            self.r.problem(self._kl(m, "code"), f"theme {code} is not in field {veld_code}")
        if code in self.code_lines:
            self.r.problem(
                self._kl(m, "code"), f"duplicate theme {code} (line {self.code_lines[code]})"
            )
            return None
        self.code_lines[code] = self._kl(m, "code")
        titel = self.c.text(m.get("titel"), self._kl(m, "titel"), "'titel'")
        values, markers = self._attributes(
            m, s.THEMA_ATTRIBUTES, code, per_aspect_allowed=has_aspects
        )
        if titel is None or any(spec.name not in m for spec in s.THEMA_ATTRIBUTES):
            return None
        if any(values.get(spec.name) is None for spec in s.THEMA_ATTRIBUTES[3:]):
            return None
        return s.Thema(
            code=code,
            titel=titel,
            veld_code=veld_code,
            niet_in_handreiking=MappingProxyType(markers),
            herkomst=s.Herkomst(self.r.name, m.line),
            **values,
        )

    def _aspect(self, m: YMap, veld_code: str) -> s.Aanpakaspect | None:
        names = [spec.name for spec in s.ASPECT_ATTRIBUTES]
        self.c.keys(m, names, (), " of an aspect of approach")
        code = self._code(m, s.ASPECT_CODE, "aspect code", '"A1.1"')
        if code is None:
            return None
        if code[1:].split(".")[0] != veld_code:
            self.r.problem(self._kl(m, "code"), f"aspect {code} is not in field {veld_code}")
        if code in self.code_lines:
            self.r.problem(
                self._kl(m, "code"), f"duplicate aspect {code} (line {self.code_lines[code]})"
            )
            return None
        self.code_lines[code] = self._kl(m, "code")
        titel = self.c.text(m.get("titel"), self._kl(m, "titel"), "'titel'")
        values, markers = self._attributes(m, s.ASPECT_ATTRIBUTES, code, per_aspect_allowed=False)
        if titel is None or any(spec.name not in m for spec in s.ASPECT_ATTRIBUTES):
            return None
        if any(values.get(spec.name) is None for spec in s.ASPECT_ATTRIBUTES[2:]):
            return None
        return s.Aanpakaspect(
            code=code,
            titel=titel,
            veld_code=veld_code,
            niet_in_handreiking=MappingProxyType(markers),
            herkomst=s.Herkomst(self.r.name, m.line),
            **values,
        )


def _empty(kind: str) -> Any:
    if kind == "partners":
        return s.Partners()
    if kind == "text":
        return ""
    return ()


class _StrategicFile:
    """Reads ``strategische-themas.yaml``."""

    def __init__(self, reader: _Reader):
        self.r = reader
        self.c = _Checker(reader)
        self.code_lines: dict[str, list[int]] = {}  # strategic theme code → lines of codes

    def read(self, data: Any) -> list[s.StrategischThema]:
        top = self.c.map(data, 1, "the file")
        if top is None:
            return []
        self.c.keys(top, ("strategische_themas",))
        items = self.c.list(
            top.get("strategische_themas"),
            top.key_lines.get("strategische_themas", top.line),
            "'strategische_themas'",
        )
        result: list[s.StrategischThema] = []
        seen: dict[str, int] = {}
        for item, line in zip(items or [], (items.item_lines if items else []), strict=True):
            m = self.c.map(item, line, "a strategic theme")
            if m is None:
                continue
            st = self._one(m)
            if st is None:
                continue
            if st.code in seen:
                self.r.problem(line, f"duplicate strategic theme {st.code} (line {seen[st.code]})")
                continue
            seen[st.code] = line
            result.append(st)
        return result

    def _one(self, m: YMap) -> s.StrategischThema | None:
        names = [spec.name for spec in s.STRATEGISCH_ATTRIBUTES]
        self.c.keys(m, names, (), " of a strategic theme")
        kl = m.key_lines
        code = self.c.text(m.get("code"), kl.get("code", m.line), "'code'")
        if code is not None and not s.STRATEGISCH_CODE.match(code):
            self.r.problem(kl["code"], f"strategic theme code {code!r} must be a lowercase slug")
            code = None
        titel = self.c.text(m.get("titel"), kl.get("titel", m.line), "'titel'")
        values: dict[str, Any] = {}
        markers: dict[str, str] = {}
        for spec in s.STRATEGISCH_ATTRIBUTES:
            if spec.name in ("code", "titel") or spec.name not in m:
                continue
            value, line = m[spec.name], kl[spec.name]
            if spec.handbook:
                marker = self.c.marker(value, line, spec.name, per_aspect=False)
                if marker is not None:
                    markers[spec.name] = marker.reason
                    values[spec.name] = _empty(spec.kind)
                    continue
            values[spec.name] = self._value(spec, value, line, code or "?")
        if (
            code is None
            or titel is None
            or any(sp.name not in m for sp in s.STRATEGISCH_ATTRIBUTES)
        ):
            return None
        if any(values.get(sp.name) is None for sp in s.STRATEGISCH_ATTRIBUTES[2:]):
            return None
        return s.StrategischThema(
            code=code,
            titel=titel,
            niet_in_handreiking=MappingProxyType(markers),
            herkomst=s.Herkomst(self.r.name, m.line),
            **values,
        )

    def _value(self, spec: s.AttributeSpec, value: Any, line: int, code: str) -> Any:
        name = spec.name
        if spec.kind == "text":
            return self.c.text(value, line, f"'{name}'")
        if spec.kind in ("texts", "texts_or_empty"):
            return self.c.texts(value, line, name, allow_empty=spec.kind == "texts_or_empty")
        if spec.kind == "vormen":
            return self.c.items(value, line, name, s.VORM_KEYS, self._vorm)
        if spec.kind == "instrumenten":
            return self.c.items(value, line, name, s.INSTRUMENT_KEYS, self._instrument)
        if spec.kind == "verwijzingen":
            return self.c.items(value, line, name, s.VERWIJZING_KEYS, lambda m: self._ref(m, code))
        if spec.kind == "ivp_plekken":
            return self.c.items(value, line, name, s.IVP_PLEK_KEYS, self._plek)
        raise AssertionError(f"unknown kind {spec.kind}")  # pragma: no cover

    def _vorm(self, m: YMap) -> s.Vorm | None:
        naam = self.c.text(m["naam"], m.key_lines["naam"], "'naam'")
        toelichting = self.c.text(m["toelichting"], m.key_lines["toelichting"], "'toelichting'")
        if naam is None or toelichting is None:
            return None
        return s.Vorm(naam=naam, toelichting=toelichting)

    def _instrument(self, m: YMap) -> s.Instrument | None:
        naam = self.c.text(m["naam"], m.key_lines["naam"], "'naam'")
        url = self.c.url(m["url"], m.key_lines["url"], "'url'") if "url" in m else None
        return s.Instrument(naam=naam, url=url) if naam is not None else None

    def _ref(self, m: YMap, owner: str) -> s.ThemaVerwijzing | None:
        omschrijving = self.c.text(m["omschrijving"], m.key_lines["omschrijving"], "'omschrijving'")
        items = self.c.list(m["codes"], m.key_lines["codes"], "'codes'")
        codes: list[str] = []
        lines = self.code_lines.setdefault(owner, [])
        for item, line in zip(items or [], (items.item_lines if items else []), strict=True):
            code = self.c.text(item, line, "a theme code")
            if code is None:
                continue
            if not s.THEMA_CODE.match(code):
                self.r.problem(line, f'{code!r} is not a theme code like "3.1"')
                continue
            codes.append(code)
            lines.append(line)
        if items is not None and not items:
            self.r.problem(m.key_lines["codes"], "'codes' is empty")
        if omschrijving is None:
            return None
        return s.ThemaVerwijzing(omschrijving=omschrijving, codes=tuple(codes))

    def _plek(self, m: YMap) -> s.IvpPlek | None:
        line = m.key_lines["hoofdstukken"]
        items = self.c.list(m["hoofdstukken"], line, "'hoofdstukken'")
        chapters: list[int] = []
        for item, item_line in zip(items or [], (items.item_lines if items else []), strict=True):
            if (
                not isinstance(item, int)
                or isinstance(item, bool)
                or item not in s.IVP_HOOFDSTUKKEN
            ):
                self.r.problem(item_line, f"{item!r} is not a chapter of the IVP (1 … 7)")
                continue
            chapters.append(item)
        if items is not None and not items:
            self.r.problem(line, "'hoofdstukken' is empty")
        toelichting = self.c.text(m["toelichting"], m.key_lines["toelichting"], "'toelichting'")
        if toelichting is None:
            return None
        return s.IvpPlek(hoofdstukken=tuple(chapters), toelichting=toelichting)


# ---------------------------------------------------------------------------------------
# The whole catalogue
# ---------------------------------------------------------------------------------------


def load_catalogue(directory: Path | str | None = None) -> s.Catalogus:
    """Read and validate the content folder (default: the shipped content) and return the
    catalogue. Raises :class:`CatalogueError` listing every problem with file and line."""
    folder = Path(directory) if directory is not None else CONTENT_DIR
    problems: list[Problem] = []

    manifest_reader = _Reader(folder / MANIFEST, MANIFEST, problems)
    manifest = _read_manifest(manifest_reader)
    if manifest is None:
        raise CatalogueError(problems)
    versie, bron, veld_files, strategic_file = manifest

    pending: list[_Pending] = []
    retired: set[str] = set()
    declared: set[str] = set()
    complete = True  # every field file could be read (else unknown-code checks are skipped)
    for name in veld_files:
        reader = _Reader(folder / name, name, problems)
        data = reader.read()
        if data is None:
            complete = False
            continue
        ff = _FieldFile(reader)
        veld, retired_here = ff.read(data)
        retired |= retired_here
        declared |= ff.declared
        if veld is None:
            complete = False
            continue
        pending.append(_Pending(veld, reader, ff.raakvlak_lines, ff.id_lines, ff.code_lines))

    strategic: list[s.StrategischThema] = []
    st_reader = _Reader(folder / strategic_file, strategic_file, problems)
    st_data = st_reader.read()
    sf = _StrategicFile(st_reader)
    if st_data is not None:
        strategic = sf.read(st_data)

    _cross_checks(pending, retired, declared if complete else None, strategic, sf, st_reader)
    if problems:
        raise CatalogueError(problems)
    return s.Catalogus(
        versie=versie,
        bron=bron,
        velden=tuple(p.veld for p in pending),
        strategische_themas=tuple(strategic),
        ingetrokken_ids=frozenset(retired),
    )


def _read_manifest(reader: _Reader) -> tuple[str, s.Bron, list[str], str] | None:
    data = reader.read()
    c = _Checker(reader)
    top = c.map(data, 1, "the manifest") if data is not None else None
    if top is None:
        return None
    if not c.keys(top, ("versie", "bron", "velden", "strategische_themas")):
        return None
    versie = c.text(top["versie"], top.key_lines["versie"], "'versie'")
    bron_map = c.map(top["bron"], top.key_lines["bron"], "'bron'")
    bron = None
    if bron_map is not None and c.keys(
        bron_map, ("titel", "uitgever", "datum"), ("url",), " of 'bron'"
    ):
        titel = c.text(bron_map["titel"], bron_map.key_lines["titel"], "'titel'")
        uitgever = c.text(bron_map["uitgever"], bron_map.key_lines["uitgever"], "'uitgever'")
        datum = c.text(bron_map["datum"], bron_map.key_lines["datum"], "'datum'")
        url = (
            c.url(bron_map["url"], bron_map.key_lines["url"], "'url'")
            if "url" in bron_map
            else None
        )
        if titel and uitgever and datum:
            bron = s.Bron(titel=titel, uitgever=uitgever, datum=datum, url=url)
    velden = c.texts(top["velden"], top.key_lines["velden"], "velden", allow_empty=False)
    strategic = c.text(
        top["strategische_themas"], top.key_lines["strategische_themas"], "'strategische_themas'"
    )
    if versie is None or bron is None or not velden or strategic is None:
        return None
    return versie, bron, list(velden), strategic


def _cross_checks(
    pending: list[_Pending],
    retired: set[str],
    theme_codes: set[str] | None,
    strategic: list[s.StrategischThema],
    sf: _StrategicFile,
    st_reader: _Reader,
) -> None:
    """Checks across files. ``theme_codes``: every theme code written in the field files,
    or None when a field file could not be read (then links cannot be checked)."""
    # Field codes and theme/aspect codes are unique across files.
    veld_seen: dict[str, str] = {}
    code_seen: dict[str, str] = {}
    id_seen: dict[str, str] = {}
    for p in pending:
        if p.veld.code in veld_seen:
            p.reader.problem(
                p.veld.herkomst.regel if p.veld.herkomst else 0,
                f"field {p.veld.code} is also defined in {veld_seen[p.veld.code]}",
            )
        veld_seen.setdefault(p.veld.code, p.reader.name)
        for code, line in p.code_lines.items():
            if code in code_seen:
                p.reader.problem(line, f"{code} is also defined in {code_seen[code]}")
            code_seen.setdefault(code, f"{p.reader.name}:{line}")
        for item_id, line in p.id_lines.items():
            if item_id in id_seen:
                p.reader.problem(line, f"id {item_id} is also used in {id_seen[item_id]}")
            id_seen.setdefault(item_id, f"{p.reader.name}:{line}")
            if item_id in retired:
                p.reader.problem(
                    line, f"id {item_id} is retired (ingetrokken_ids) and may not be reused"
                )

    if theme_codes is None:
        return
    for p in pending:
        for thema in p.veld.themas:
            lines = p.raakvlak_lines.get(thema.code, [])
            for code, line in zip(thema.raakvlakken, lines, strict=False):
                if code not in theme_codes:
                    p.reader.problem(
                        line, f"raakvlak {code} of theme {thema.code} is not a known theme"
                    )
    for st in strategic:
        lines = sf.code_lines.get(st.code, [])
        all_codes = [c for ref in st.themas for c in ref.codes]
        for code, line in zip(all_codes, lines, strict=False):
            if code not in theme_codes:
                st_reader.problem(
                    line, f"theme {code} of strategic theme {st.code} is not a known theme"
                )


@functools.cache
def shipped_catalogue() -> s.Catalogus:
    """The catalogue shipped with ivp (read once per process)."""
    return load_catalogue(CONTENT_DIR)
