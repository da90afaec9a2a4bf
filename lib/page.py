"""Read the page, undo the PDF's layout, and map every normalised offset back to the raw file.

The raw text (``seeds/000_c4b6ae83c6418815.txt``) breaks lines inside sentences, between a number
and its unit (``约 6`` / ``万片``) and inside words hyphenated with U+2043 (``FP⁃`` / ``GA``); it
also pads some numbers with spaces (``20 多家``). The normalised text:

* drops every line break, except one after a sentence-final mark (。！？, possibly followed by a
  closing quote), which is kept as ``\\n`` so sentences stay apart;
* drops ``⁃`` at the end of a line together with the break (``FP⁃`` + ``GA`` is ``FPGA``);
* drops spaces next to a non-ASCII character (``20 多家`` is ``20多家``) and folds any other run
  of spaces to one (none occurs on this page).

Nothing else changes: full-width punctuation and digits stay as printed. ``Page.offsets[i]`` is
the raw offset of normalised character ``i``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import DataError
from .paths import ROOT, SEED_PATH


def shown_path(path: str | Path) -> str:
    """A path as a message should show it: relative to the project when inside it."""
    p = Path(path).resolve()
    return str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(path)


HYPHEN = "\u2043"
SENTENCE_END = "。！？"
CLOSING = "”’」』"
SENTENCE_SPLIT = re.compile(r"(?<=[。！？；])(?![”’」』])|(?<=[。！？][”’」』])|\n")


def _is_ascii(ch: str) -> bool:
    return ch != "" and ord(ch) < 128 and not ch.isspace()


LAYOUT = re.compile(f"({HYPHEN}[ \\t\\r\u3000]*\\n\\s*)|(\\s+)")  # a hyphenated break, or space


def normalise(raw: str) -> tuple[str, list[int]]:
    """Return the normalised text and, for each of its characters, its offset in ``raw``.

    Runs of printed characters are copied whole; only the layout between them (a word
    hyphenated across lines, line breaks, padding spaces) is decided one run at a time."""
    out: list[str] = []
    offsets: list[int] = []
    prev2, prev = "", ""  # the last two characters written

    def write(text: str, start: int) -> None:
        nonlocal prev2, prev
        if not text:
            return
        out.append(text)
        offsets.extend(range(start, start + len(text)) if len(text) > 1 else (start,))
        prev2, prev = (text[-2], text[-1]) if len(text) > 1 else (prev, text)

    pos, n = 0, len(raw)
    for m in LAYOUT.finditer(raw):
        write(raw[pos : m.start()], pos)
        pos = m.end()
        if m.group(1):  # word hyphenated across lines: drop the mark and the break
            continue
        run, nxt = m.group(2), raw[m.end()] if m.end() < n else ""
        if "\n" in run:
            ends_sentence = prev in SENTENCE_END or (
                prev in CLOSING and prev2 != "" and prev2 in SENTENCE_END
            )
            if ends_sentence and nxt:
                write("\n", m.start() + run.index("\n"))
        elif _is_ascii(prev) and _is_ascii(nxt):
            write(" ", m.start())
    write(raw[pos:], pos)
    return "".join(out), offsets


@dataclass(frozen=True)
class Location:
    """Where a quote lies: in the normalised text and in the raw file."""

    start: int  # normalised offset of the first character
    end: int  # normalised offset after the last character
    raw_spans: tuple[tuple[int, int], ...]  # raw (start, end) pieces, one per printed line
    lines: tuple[int, ...]  # 1-based raw line numbers the quote is printed on

    @property
    def raw_start(self) -> int:
        return self.raw_spans[0][0]

    @property
    def raw_end(self) -> int:
        return self.raw_spans[-1][1]


@dataclass
class Page:
    """The page: raw text, normalised text, and the offset map between them."""

    raw: str
    path: Path
    text: str = field(init=False)
    offsets: list[int] = field(init=False, repr=False)
    _line_starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.text, self.offsets = normalise(self.raw)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.raw)]

    def line_of(self, raw_offset: int) -> int:
        """1-based raw line number of a raw offset."""
        lo, hi = 0, len(self._line_starts)
        while lo + 1 < hi:
            mid = (lo + hi) // 2
            if self._line_starts[mid] <= raw_offset:
                lo = mid
            else:
                hi = mid
        return lo + 1

    def span(self, start: int, end: int) -> Location:
        """The Location of normalised text[start:end]."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(
                f"span {start}:{end} is outside the normalised text (0:{len(self.text)})"
            )
        pieces: list[list[int]] = []
        for k in range(start, end):
            raw_k = self.offsets[k]
            if self.text[k] == "\n":
                continue
            if pieces and "\n" not in self.raw[pieces[-1][1] : raw_k]:
                pieces[-1][1] = raw_k + 1
            else:
                pieces.append([raw_k, raw_k + 1])
        if not pieces:  # a span of only kept line breaks
            pieces = [[self.offsets[start], self.offsets[start] + 1]]
        spans = tuple((a, b) for a, b in pieces)
        lines = tuple(sorted({self.line_of(a) for a, _ in spans}))
        return Location(start, end, spans, lines)

    def find_all(self, quote: str) -> list[Location]:
        """Every place ``quote`` occurs in the normalised text (overlaps included)."""
        if not quote:
            raise DataError("an empty quote cannot be located; expected a passage of the page")
        found, k = [], self.text.find(quote)
        while k != -1:
            found.append(self.span(k, k + len(quote)))
            k = self.text.find(quote, k + 1)
        return found

    def locate(self, quote: str) -> Location:
        """The one place ``quote`` occurs; DataError if it occurs nowhere or more than once."""
        found = self.find_all(quote)
        if not found:
            raise DataError(
                f"quote '{quote}' does not occur in the normalised page "
                f"({self.path.name}); expected an exact passage of it"
            )
        if len(found) > 1:
            lines = ", ".join(str(loc.lines[0]) for loc in found)
            raise DataError(
                f"quote '{quote}' occurs {len(found)} times in the page "
                f"(raw lines {lines}); expected one place: lengthen the quote"
            )
        return found[0]

    def sentence_at(self, offset: int) -> str:
        """The sentence of the normalised text around a normalised offset."""
        bounds = [0] + [m.end() for m in SENTENCE_SPLIT.finditer(self.text)] + [len(self.text)]
        for a, b in zip(bounds, bounds[1:]):
            if a <= offset < b:
                return self.text[a:b].strip()
        return ""

    def context(self, quote: str) -> str:
        """The sentence around a quote (the whole run of sentences if it spans several)."""
        loc = self.locate(quote)
        first = self.sentence_at(loc.start)
        last = self.sentence_at(loc.end - 1)
        if first == last:
            return first
        a = self.text.find(first)
        b = self.text.find(last, a) + len(last)
        return self.text[a:b]

    def raw_excerpt(self, loc: Location) -> str:
        """The raw text of a location, line breaks and all."""
        return self.raw[loc.raw_start : loc.raw_end]


def read_page(path: str | Path | None = None) -> Page:
    """Read a page file (default: the seed page) as a Page."""
    p = Path(path) if path is not None else SEED_PATH
    try:
        raw = p.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise DataError(
            f"page file not found; expected the extracted text of the page "
            f"(default {SEED_PATH.relative_to(ROOT)})",
            path=str(p),
        ) from None
    except UnicodeDecodeError as exc:
        raise DataError(
            f"byte {exc.start} is not UTF-8; expected UTF-8 text", path=str(p)
        ) from None
    return Page(raw=raw, path=p)


@lru_cache(maxsize=1)
def load_page() -> Page:
    """The seed page, read once per process."""
    return read_page(SEED_PATH)
