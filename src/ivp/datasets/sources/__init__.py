"""Parsers for the files and responses ivp reads. Plain Python, no Django.

Every parser returns a :class:`ParseResult`: the datasets and series it found, the records
(one figure each: series, region, period, value, status, line) and the problems. When there
is a problem, there are no records: a file is read completely or not at all, and every
problem carries its line number and column so that the user can fix them in one go.

Values that CBS withholds (empty cells, ``null`` in the API, ``.`` or ``x`` in StatLine) are
kept as records with value ``None``: "not published" is a fact, not a zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from ivp.datasets.periods import Status

# Where a figure came from, for the dataset record.
HERKOMST_BUNDLED = "meegeleverd"
HERKOMST_API = "cbs-api"
HERKOMST_UPLOAD = "bestand"


@dataclass(frozen=True)
class DatasetSpec:
    """A source table: a CBS/politie table, a survey, a municipal registration."""

    key: str  # e.g. "47018NED", or a slug of the source name for own registrations
    titel: str
    bron: str = ""  # publisher, e.g. "CBS / Politie"
    tabel_id: str = ""  # CBS identifier, e.g. "47018NED"
    url: str = ""
    licentie: str = ""
    attributie: str = ""
    toelichting: str = ""


class SeriesKind:
    MISDRIJVEN = "misdrijven"
    OVERLAST = "overlast"
    BEVOLKING = "bevolking"
    WONINGEN = "woningen"
    INDICATOR = "indicator"


@dataclass(frozen=True)
class SeriesSpec:
    """One measured quantity within a dataset, e.g. soort misdrijf 1.1.1 of 47018NED."""

    dataset: str  # DatasetSpec.key
    code: str  # unique within the dataset, e.g. "1.1.1", "E35", "inwoners"
    naam: str
    soort: str = SeriesKind.INDICATOR
    eenheid: str = "aantal"
    soort_misdrijf: str = ""  # 'soort misdrijf' code when the series is one
    incident_code: str = ""  # police incident code (BVH maatschappelijke klasse), e.g. E35
    onderwerp: str = ""  # CBS topic key, e.g. GeregistreerdeMisdrijven_1
    toelichting: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.dataset, self.code)


class Record(NamedTuple):
    """One figure. ``series`` indexes :attr:`ParseResult.series`."""

    series: int
    regio: str
    periode: str
    waarde: float | None
    status: str
    line: int


@dataclass(frozen=True)
class Problem:
    """A problem with the input, where it is: line number (1 = first line of the file) and
    column (header name or letter). Messages are Dutch: users read them."""

    line: int | None
    column: str | None
    message: str
    value: str | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"regel {self.line}")
        if self.column:
            where.append(f"kolom ‘{self.column}’")
        prefix = ", ".join(where)
        value = f" (waarde: ‘{self.value}’)" if self.value not in (None, "") else ""
        return f"{prefix}: {self.message}{value}" if prefix else f"{self.message}{value}"

    def as_dict(self) -> dict:
        return {
            "regel": self.line,
            "kolom": self.column,
            "melding": self.message,
            "waarde": self.value,
        }


MAX_PROBLEMS = 1000  # stop collecting after this many; the report says so


@dataclass
class ParseResult:
    format: str
    datasets: dict[str, DatasetSpec] = field(default_factory=dict)
    series: list[SeriesSpec] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    truncated_problems: bool = False
    _series_index: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add_dataset(self, spec: DatasetSpec) -> DatasetSpec:
        return self.datasets.setdefault(spec.key, spec)

    def series_index(self, spec: SeriesSpec) -> int:
        """Index of ``spec`` in :attr:`series`, adding it the first time."""
        index = self._series_index.get(spec.key)
        if index is None:
            index = len(self.series)
            self.series.append(spec)
            self._series_index[spec.key] = index
        return index

    def problem(
        self, line: int | None, column: str | None, message: str, value: str | None = None
    ) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.truncated_problems = True
            return
        self.problems.append(Problem(line, column, message, value))

    def add(
        self,
        series: int,
        regio: str,
        periode: str,
        waarde: float | None,
        status: str | Status,
        line: int,
    ) -> None:
        self.records.append(Record(series, regio, periode, waarde, str(status), line))

    def finish(self) -> ParseResult:
        """Enforce all or nothing: no records when there is any problem; one figure per
        (series, region, period) — a second one in the same file is a problem; no negative
        count; no NUL character (databases refuse it, and no real file has one)."""
        for spec in self.series:
            if any("\x00" in text for text in (spec.dataset, spec.code, spec.naam)):
                self.problem(None, None, "het bestand bevat een NUL-teken in een naam of code")
                break
        for record in self.records:
            if record.waarde is None:
                continue
            if record.waarde != record.waarde or record.waarde in (float("inf"), float("-inf")):
                self.problem(record.line, None, "geen eindig getal", str(record.waarde))
            elif record.waarde < 0 and _is_count(self.series[record.series]):
                spec = self.series[record.series]
                self.problem(
                    record.line,
                    None,
                    f"een aantal kan niet negatief zijn ({spec.naam})",
                    f"{record.waarde:g}",
                )
            if len(self.problems) >= MAX_PROBLEMS:
                break
        if not self.problems:
            seen: dict[tuple[int, str, str], int] = {}
            for record in self.records:
                key = (record.series, record.regio, record.periode)
                first = seen.setdefault(key, record.line)
                if first != record.line:
                    spec = self.series[record.series]
                    self.problem(
                        record.line,
                        None,
                        f"dubbele waarde voor {spec.naam}, {record.regio}, {record.periode}; "
                        f"die staat al op regel {first}",
                    )
        if self.problems:
            self.records = []
        return self


def _is_count(spec: SeriesSpec) -> bool:
    return spec.eenheid in ("aantal", "") or spec.soort in (
        SeriesKind.MISDRIJVEN,
        SeriesKind.OVERLAST,
        SeriesKind.BEVOLKING,
        SeriesKind.WONINGEN,
    )


class ImportFormatError(ValueError):
    """The input is not in a format ivp can read at all."""


UNEXPECTED = (
    TypeError,
    ValueError,
    KeyError,
    AttributeError,
    IndexError,
    OverflowError,
    RecursionError,
    UnicodeError,
)


def guarded(parser):
    """Let a parser raise only its own errors: anything unexpected in the input (a list
    where a code belongs, JSON nested a thousand deep, a number too large) becomes an
    :class:`ImportFormatError` with a Dutch message instead of a crash."""
    import functools

    own: tuple[type[BaseException], ...] = (ImportFormatError,)

    @functools.wraps(parser)
    def wrapper(*args, **kwargs):
        from ivp.datasets.sources.tabular import NotANumber, TableReadError

        try:
            return parser(*args, **kwargs)
        except (*own, TableReadError, NotANumber):
            raise
        except RecursionError as error:
            raise ImportFormatError("het bestand is te diep genest om te lezen") from error
        except UNEXPECTED as error:
            raise ImportFormatError(
                "het bestand heeft een onverwachte inhoud en is niet gelezen "
                f"({type(error).__name__})"
            ) from error

    return wrapper
