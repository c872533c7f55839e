"""The one CSV reader of the app: encoding, separator, and rows that are never lost silently.

Both the importer (:mod:`heimatruhr_geo.io`) and ``assign`` (:mod:`heimatruhr_geo.tables`)
read CSV through :func:`read_csv_text`. Its rules:

- **Encoding, per file.** A byte-order mark decides (UTF-8, UTF-16 LE/BE). Otherwise a
  file that is valid UTF-8 is UTF-8. A file in which some lines are valid UTF-8 with
  non-ASCII characters and others are not is still UTF-8: the lines that do not decode are
  reported by number (never stored as mojibake). A file with no valid UTF-8 at all is a
  legacy single-byte file: its encoding is detected with ``charset-normalizer`` (Windows-1252
  when in doubt) and named in a note.
- **Separator:** the one of ``,`` ``;`` tab ``|`` that occurs most often in the header (a
  header with none of them is one column).
- **Quotes.** A quoted field may span lines. A record that spans lines and then has the
  wrong number of fields started with an unterminated quote: its first line is reported
  and reading resumes on the next line, so the rows after it are not swallowed.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer

from heimatruhr_geo.errors import InputError

SEPARATORS = (",", ";", "\t", "|")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LEGACY_FALLBACK = "cp1252"
_ENCODING_NAMES = {
    "cp1252": "Windows-1252 (Latin-1)",
    "latin_1": "ISO-8859-1 (Latin-1)",
    "iso8859_15": "ISO-8859-15 (Latin-9)",
}


@dataclass(frozen=True)
class LineProblem:
    """One input line that gives no row: its 1-based line number, what is wrong, what is allowed."""

    line: int
    field: str
    value: str
    allowed: str


@dataclass
class CsvText:
    """A decoded CSV file: header, separator, encoding, and its rows on demand.

    Attributes
    ----------
    header
        The column names as written (not normalized).
    delimiter, encoding
        What :func:`read_csv_text` found.
    lines, header_index
        The decoded lines (index 0 is line 1; undecodable lines are empty) and the index of
        the header line.
    notes
        One-line remarks for the user (e.g. the legacy encoding that was used).
    problems
        Lines that give no row; filled while :meth:`rows` is iterated (undecodable lines
        are known at once).
    """

    header: list[str]
    delimiter: str
    encoding: str
    lines: list[str]
    header_index: int = 0
    notes: list[str] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Yield ``(line number of the row's first line, cells)`` for every non-blank row.

        A row whose cell count differs from the header's is yielded as it is (the caller
        reports it); only an unterminated quote is reported here, and reading resumes on
        the line after the one that opened it.
        """
        feed = _Lines(self.lines, start=self.header_index + 1)
        reader = csv.reader(feed, delimiter=self.delimiter)
        width = len(self.header)
        while True:
            start = feed.pos
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self.problems.append(LineProblem(start + 1, "row", str(exc), "valid CSV"))
                feed.pos = start + 1
                reader = csv.reader(feed, delimiter=self.delimiter)
                continue
            if feed.pos - start > 1 and len(cells) != width:
                self.problems.append(
                    LineProblem(
                        start + 1,
                        "row",
                        _shorten(self.lines[start]),
                        "quotes closed on the same row (an unterminated quote joined the "
                        f"lines {start + 1}–{feed.pos}; the lines after it were read again)",
                    )
                )
                feed.pos = start + 1
                reader = csv.reader(feed, delimiter=self.delimiter)
                continue
            if any(cell.strip() for cell in cells):
                yield start + 1, cells


class _Lines:
    """An iterator over lines whose position can be set back (for re-reading after a bad quote)."""

    def __init__(self, lines: list[str], start: int) -> None:
        self.lines = lines
        self.pos = start  # index into lines of the next line to hand out

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        line = self.lines[self.pos]
        self.pos += 1
        return line


def read_csv_text(path: Path) -> CsvText:
    """Decode a CSV file and find its header and separator (rows are read lazily).

    Raises
    ------
    InputError
        If the file cannot be read, is binary or holds no text.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    lines, encoding, notes, problems = _decode_lines(data, Path(path).name)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise InputError(f"{Path(path).name}: not a readable CSV file: it holds no text")
    header_line = lines[first]
    # A header without any separator is a file of one column.
    delimiter = max(SEPARATORS, key=header_line.count)
    header = next(csv.reader([header_line], delimiter=delimiter))
    return CsvText(header, delimiter, encoding, lines, first, notes, problems)


def _decode_lines(data: bytes, name: str) -> tuple[list[str], str, list[str], list[LineProblem]]:
    """Return the file's lines (index 0 is line 1), its encoding, notes and undecodable lines."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _split(data.decode(encoding)), encoding, [], []
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name}: starts with a {encoding.upper()} byte-order mark but byte "
                    f"{exc.start} is not {encoding.upper()}"
                ) from exc
    if b"\x00" in data[:4096]:
        raise InputError(
            f"{name}: is a binary file, not CSV text (UTF-16 is accepted with a byte-order mark)"
        )
    try:
        return _split(data.decode("utf-8")), "utf-8", [], []
    except UnicodeDecodeError:
        pass
    raw_lines = data.split(b"\n")
    decoded: list[str] = []
    bad: list[int] = []
    utf8_non_ascii = 0
    for number, raw in enumerate(raw_lines, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(number)
            decoded.append("")
            continue
        utf8_non_ascii += not raw.isascii()
        decoded.append(text + "\n")
    if utf8_non_ascii:
        problems = [
            LineProblem(
                n,
                "encoding",
                _shorten(raw_lines[n - 1].decode("utf-8", errors="backslashreplace")),
                "UTF-8 text like the rest of the file (save this row as UTF-8)",
            )
            for n in bad
        ]
        return decoded, "utf-8", [], problems
    encoding = _legacy_encoding(data)
    note = f"the file is not UTF-8; read it as {_ENCODING_NAMES.get(encoding, encoding)}"
    return _split(data.decode(encoding, errors="replace")), encoding, [note], []


def _legacy_encoding(data: bytes) -> str:
    best = charset_normalizer.from_bytes(data, cp_isolation=["cp1252", "latin_1", "iso8859_15"])
    guess = best.best()
    return guess.encoding if guess is not None else _LEGACY_FALLBACK


def _split(text: str) -> list[str]:
    return [line + "\n" for line in text.split("\n")]


def _shorten(text: str, limit: int = 80) -> str:
    text = text.rstrip("\r\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"
