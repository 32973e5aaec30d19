"""Write synthetic La Strada catalogues (record pages, CSV or JSON Lines) for benchmarks.

Records are drawn from the pools in catalogue_pool.toml, deterministically for a seed, and
written as they are made, so memory stays flat at any N. Standard library only.

    python bench/generate.py 100000 --format csv --out bench/out/cat.csv --seed 1
    python bench/generate.py 1000 --format pages --out bench/out/pages --bad-rate 0.01 \\
        --manifest bench/out/bad.csv

Pages are named by position (000001.txt, ...), CSV has the header of tests/data/good/catalogue.csv,
JSON Lines the same keys. --bad-rate gives that share of records one problem of tests/data/bad;
the manifest lists them: where (file, row or line), document_number, problem, expected
(held back / published with warnings / published) and detail.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import csv
import itertools
import random
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import IO, Any, ClassVar, Protocol

FIELDS = (
    "document_number",
    "date",
    "title",
    "author_publisher",
    "availability",
    "document_types",
    "keywords",
    "summary",
)
LABELS = dict(
    zip(
        FIELDS,
        (
            "Document number",
            "Date",
            "Title",
            "Author/publisher",
            "Availability",
            "Document type(s)",
            "Keywords",
            "Summary",
        ),
        strict=True,
    )
)
DEFAULT_POOL = Path(__file__).with_name("catalogue_pool.toml")
# Field values are drawn once into pools of these sizes, then records pick from them: this keeps
# the generator fast (a record is a handful of random() calls) while the combinations stay unique.
POOL_SIZES = {
    "paragraph": 4096,
    "date": 8192,
    "title": 8192,
    "author_publisher": 4096,
    "availability": 4096,
    "document_types": 1024,
    "keywords": 8192,
    "summary": 8192,
    "foreign": 2048,
}


@dataclass(slots=True)
class Synthetic:
    """One generated record: raw field strings as a cataloger typed them."""

    fields: dict[str, str]  # keys from FIELDS; an absent key is an absent label
    header: str | None = None  # the page's header line when it is not the title
    extra: list[tuple[str, str]] = field(default_factory=list)  # labels outside the schema


class Weighted:
    """Weighted choice with precomputed cumulative weights (one random() per pick)."""

    def __init__(self, items: dict[str, float] | Sequence[tuple[str, float]]) -> None:
        pairs = list(items.items()) if isinstance(items, dict) else list(items)
        self.items = [name for name, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> str:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.total)]

    def sample(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.items, cum_weights=self.cumulative, k=k)


def count_picker(weights: Sequence[float]) -> Weighted:
    """A Weighted over "1", "2", ... for weights given as a list."""
    return Weighted([(str(i + 1), w) for i, w in enumerate(weights)])


class _Fill(dict[str, str]):
    """format_map mapping that draws a value only for the placeholders a template uses."""

    def __init__(self, draw: Callable[[str, dict[str, str]], str]) -> None:
        super().__init__()
        self.draw = draw

    def __missing__(self, key: str) -> str:
        value = self.draw(key.lower(), self)
        if key[:1].isupper():
            value = value[:1].upper() + value[1:]
        self[key] = value
        return value


class FieldPools:
    """Draws every field's values from catalogue_pool.toml, once, into pools."""

    def __init__(self, pool: dict[str, Any], rng: random.Random) -> None:
        self.pool, self.rng = pool, rng
        weights, titles = pool["weights"], pool["titles"]
        self.years = (pool["years"]["first"], pool["years"]["last"])
        self.placeholders: dict[str, list[str]] = {
            "country": titles["countries"],
            "region": titles["regions"],
            "topic": titles["topics"],
            "topic2": titles["topics2"],
            "genre": titles["genres"],
            "group": titles["groups"],
            "sector": titles["sectors"],
            "quote": titles["quotes"],
            "city": titles["cities"],
            "org_short": titles["org_short"],
            "org": pool["agents"]["organisations"],
            "org2": pool["agents"]["organisations"],
            "ordinal": pool["summary"]["ordinals"],
        }
        self.slugs = [slugify(topic) for topic in titles["topics"]]
        self.paragraph_count = count_picker(weights["paragraphs"])
        self.agent_count = count_picker(weights["agents"])
        self.doctype_count = count_picker(weights["doctypes"])
        self.date_form = Weighted(weights["dates"])
        self.availability_kind = Weighted(weights["availability"])
        self.doctype_names = Weighted(pool["doctypes"])
        self.keywords = Weighted(pool["keywords"])
        self.variants: dict[str, list[str]] = pool["keyword_variants"]
        self.unknown: list[str] = pool["unknown_keywords"]["items"]

    def build(self) -> dict[str, list[str]]:
        """Values for each field but the number; non-English titles and summaries are appended,
        the j-th title after the English ones going with the j-th summary after the English ones."""
        paragraphs = [self.paragraph() for _ in range(POOL_SIZES["paragraph"])]
        makers: dict[str, Callable[[], str]] = {
            "date": self.date,
            "title": lambda: self.fill(self.one(self.pool["titles"]["templates"])),
            "author_publisher": self.agents,
            "availability": self.availability,
            "document_types": self.doctypes,
            "keywords": self.keyword_list,
            "summary": lambda: "\n\n".join(self.rng.choices(paragraphs, k=int(self.paragraph_count.pick(self.rng)))),
        }
        built = {name: [make() for _ in range(POOL_SIZES[name])] for name, make in makers.items()}
        foreign = [self.foreign() for _ in range(POOL_SIZES["foreign"])]
        built["title"] += [title for title, _ in foreign]
        built["summary"] += [summary for _, summary in foreign]
        return built

    def foreign(self) -> tuple[str, str]:
        """A title and its summary in one of the catalogue's other languages."""
        language = self.one(list(self.pool["languages"].values()))
        title = self.one(language["titles"])
        if self.rng.random() < 0.4:
            title = f"{title} {self.between(*self.years)}"
        paragraphs = language["paragraphs"]
        return title, "\n\n".join(paragraphs[: self.between(1, len(paragraphs))])

    def one(self, values: Sequence[str]) -> str:
        return values[int(self.rng.random() * len(values))]

    def between(self, low: int, high: int) -> int:
        return low + int(self.rng.random() * (high - low + 1))

    def draw(self, key: str, seen: dict[str, str]) -> str:
        values = self.placeholders.get(key)
        if values is not None:
            return self.one(values)
        first, last = self.years
        if key == "year":
            return str(self.between(first, last - 1))
        if key == "year2":
            since = int(seen.get("year", seen.get("Year", first)))
            return str(min(last, since + self.between(1, 5)))
        if key == "number":
            return str(self.between(12, 3000))
        if key == "number2":
            return str(int(seen.get("number", "12")) + self.between(10, 2000))
        if key == "percent":
            return str(self.between(2, 60))
        raise KeyError(f"catalogue_pool.toml uses an unknown placeholder {{{key}}}")

    def fill(self, template: str) -> str:
        return template.format_map(_Fill(self.draw))

    def paragraph(self) -> str:
        summary = self.pool["summary"]
        chosen = self.rng.sample(summary["sentences"], self.between(5, 8))
        if self.rng.random() < summary["rare_sentence_rate"]:
            chosen.append(self.one(summary["rare_sentences"]))
        return " ".join(self.fill(sentence) for sentence in chosen)

    def date(self) -> str:
        form = self.date_form.pick(self.rng)
        year, month, day = self.between(*self.years), self.between(1, 12), self.between(1, 28)
        if form == "year":
            return str(year)
        if form == "iso":
            return f"{year}-{month:02d}-{day:02d}"
        if form == "month_year":
            return f"{self.pool['months'][month - 1]} {year}"
        if form == "dotted":
            return f"{day:02d}.{month:02d}.{year}"
        if form == "range":
            return f"{year - self.between(1, 2)}-{year}"
        return "n.d."

    def agents(self) -> str:
        agents, share = self.pool["agents"], self.pool["weights"]["person"]
        count = int(self.agent_count.pick(self.rng))
        names = [
            self.one(agents["persons"] if self.rng.random() < share else agents["organisations"]) for _ in range(count)
        ]
        return "; ".join(dict.fromkeys(names))

    def availability(self) -> str:
        kind = self.availability_kind.pick(self.rng)
        if kind == "link":
            return str(self.pool["link_text"])
        if kind == "office":
            return str(self.pool["office_text"])
        template = self.one(self.pool["availability"]["url_templates"])
        number, slug, year = self.between(1000, 999999), self.one(self.slugs), self.between(*self.years)
        return template.format(number=number, slug=slug, year=year)

    def doctypes(self) -> str:
        count = int(self.doctype_count.pick(self.rng))
        return ", ".join(dict.fromkeys(self.doctype_names.sample(self.rng, count))) + ","

    def keyword_list(self) -> str:
        weights = self.pool["weights"]
        clean, variant = weights["keyword_clean"], weights["keyword_clean"] + weights["keyword_variant"]
        items = []
        for keyword in dict.fromkeys(self.keywords.sample(self.rng, self.between(3, 10))):
            roll = self.rng.random()
            if roll < clean:
                items.append(keyword)
            elif roll < variant:
                items.append(self.variant(keyword))
            elif roll < variant + (1 - variant) / 2:
                items.append(self.one(self.unknown))
            else:
                items.append(typo(keyword, self.rng))
        text = ", ".join(items)
        return text + "," if self.rng.random() < weights["keyword_trailing_comma"] else text

    def variant(self, keyword: str) -> str:
        options = list(self.variants.get(keyword, ()))
        options += [keyword.capitalize(), keyword.upper() if len(keyword) < 6 else keyword.title()]
        options += [keyword.replace(uk, us) for uk, us in self.pool["us_spelling"].items() if uk in keyword]
        if " " in keyword:
            options.append(keyword.replace(" ", "  ", 1))
        options.append(keyword + " ")
        return self.one(options)


class CatalogueMaker:
    """Makes clean synthetic records, deterministically for a seed.

    A record is drawn as a tuple of indexes into the value pools (one per field after the
    number, in FIELDS order); writers turn those straight into bytes.
    """

    def __init__(self, pool: dict[str, Any], seed: int, first_number: int) -> None:
        self.rng = random.Random(seed)
        self.first_number = first_number
        self.non_english = pool["weights"]["non_english"]
        self.values = FieldPools(pool, random.Random(seed * 7919 + 17)).build()
        self.sizes = [len(self.values[name]) for name in FIELDS[1:]]
        self.english_titles, self.english_summaries = POOL_SIZES["title"], POOL_SIZES["summary"]
        self.foreign = POOL_SIZES["foreign"]

    def draw(self) -> tuple[int, ...]:
        random_ = self.rng.random
        date, _, agents, availability, types, keywords, _ = self.sizes
        if random_() < self.non_english:
            text = int(random_() * self.foreign)
            title_index, summary_index = self.english_titles + text, self.english_summaries + text
        else:
            title_index = int(random_() * self.english_titles)
            summary_index = int(random_() * self.english_summaries)
        return (
            int(random_() * date),
            title_index,
            int(random_() * agents),
            int(random_() * availability),
            int(random_() * types),
            int(random_() * keywords),
            summary_index,
        )

    def number(self, index: int) -> str:
        return str(self.first_number + index)

    def record(self, index: int, picks: tuple[int, ...]) -> Synthetic:
        fields = {"document_number": self.number(index)}
        fields.update((name, self.values[name][i]) for name, i in zip(FIELDS[1:], picks, strict=True))
        return Synthetic(fields)


def typo(word: str, rng: random.Random) -> str:
    """A cataloger's slip: two letters swapped, one dropped or one doubled."""
    if len(word) < 4:
        return word + word[-1]
    i = rng.randint(1, len(word) - 2)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind < 0.7:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def slugify(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


# -- bad records: one problem each, named as in tests/data/bad ---------------------------
class BadRecords:
    """Gives a record exactly one problem, with the values in the pool's [bad] table.

    Each problem is a method `_<name>(rec, previous_number)` that changes the record and says
    what it changed, for the manifest.
    """

    # problems only some layouts can express: a CSV has no column for an extra label, and only
    # a page has a header line apart from its Title value
    ONLY: ClassVar[dict[str, set[str]]] = {"title_only_in_header": {"pages"}, "unknown_label": {"pages", "jsonl"}}
    NUMBER_PROBLEMS = ("missing_number", "non_numeric_number", "duplicate_number")

    def __init__(self, bad: dict[str, Any], fmt: str, rng: random.Random) -> None:
        self.bad, self.rng = bad, rng
        self.expected: dict[str, str] = bad["expected"]
        self.names = [name for name in self.expected if fmt in self.ONLY.get(name, {fmt})]
        unknown = [name for name in self.names if not hasattr(self, f"_{name}")]
        if unknown:
            raise KeyError(f"catalogue_pool.toml [bad.expected] names unknown problems: {', '.join(unknown)}")
        length = bad["long_keyword_length"]
        self.long_keyword = (bad["long_keyword"] * length)[:length].strip()

    def pick(self, previous: str | None) -> str:
        name = self.names[int(self.rng.random() * len(self.names))]
        return "missing_number" if name == "duplicate_number" and previous is None else name

    def apply(self, name: str, rec: Synthetic, previous: str | None) -> str:
        change: Callable[[Synthetic, str | None], str] = getattr(self, f"_{name}")
        return change(rec, previous)

    def one(self, key: str) -> Any:
        values = self.bad[key]
        return values[int(self.rng.random() * len(values))]

    @staticmethod
    def _set(rec: Synthetic, key: str, value: str) -> str:
        rec.fields[key] = value
        return f"{LABELS[key]}: {value[:60] + '...' if len(value) > 60 else value}"

    def _missing_number(self, rec: Synthetic, previous: str | None) -> str:
        del rec.fields["document_number"]
        return "no Document number"

    def _non_numeric_number(self, rec: Synthetic, previous: str | None) -> str:
        return self._set(rec, "document_number", rec.fields["document_number"] + self.one("non_numeric_suffixes"))

    def _duplicate_number(self, rec: Synthetic, previous: str | None) -> str:
        return self._set(rec, "document_number", str(previous))

    def _missing_title(self, rec: Synthetic, previous: str | None) -> str:
        rec.header = ""
        del rec.fields["title"]
        return "no Title, empty header line"

    def _title_only_in_header(self, rec: Synthetic, previous: str | None) -> str:
        rec.header = rec.fields.pop("title")
        return "no Title label; the title is in the header line"

    def _invalid_date(self, rec: Synthetic, previous: str | None) -> str:
        return self._set(rec, "date", self.one("invalid_dates"))

    def _future_date(self, rec: Synthetic, previous: str | None) -> str:
        return self._set(rec, "date", self.one("future_dates"))

    def _unknown_label(self, rec: Synthetic, previous: str | None) -> str:
        label, value = self.one("unknown_labels")
        rec.extra.append((label, value))
        return f"{label}: {value}"

    def _unknown_doctype(self, rec: Synthetic, previous: str | None) -> str:
        return self._set(rec, "document_types", f"{rec.fields['document_types']} {self.one('unknown_doctypes')},")

    def _keyword_url(self, rec: Synthetic, previous: str | None) -> str:
        return self._set(rec, "keywords", f"{rec.fields['keywords']}, {self.one('keyword_urls')}")

    def _keyword_too_long(self, rec: Synthetic, previous: str | None) -> str:
        rec.fields["keywords"] += ", " + self.long_keyword
        return f"Keywords: one of {len(self.long_keyword)} characters"

    def _control_characters(self, rec: Synthetic, previous: str | None) -> str:
        title, summary = rec.fields["title"], rec.fields["summary"]
        rec.fields["title"] = title[: len(title) // 2] + "\x0b" + title[len(title) // 2 :]
        rec.fields["summary"] = summary[:20] + "\x01" + summary[20:]
        return "U+000B in Title, U+0001 in Summary"

    def _markup_in_title(self, rec: Synthetic, previous: str | None) -> str:
        return self._set(rec, "title", self.bad["markup"] + rec.fields["title"])

    def _javascript_link(self, rec: Synthetic, previous: str | None) -> str:
        return self._set(rec, "availability", self.one("javascript_links"))

    def _relative_link(self, rec: Synthetic, previous: str | None) -> str:
        return self._set(rec, "availability", self.one("relative_links"))

    def _url_with_spaces(self, rec: Synthetic, previous: str | None) -> str:
        return self._set(rec, "availability", self.one("urls_with_spaces"))

    def _summary_paragraph_equals_label(self, rec: Synthetic, previous: str | None) -> str:
        paragraphs = rec.fields["summary"].split("\n\n")
        labels = list(LABELS.values())[1:]
        label = labels[int(self.rng.random() * len(labels))]
        paragraphs.insert(1 + int(self.rng.random() * len(paragraphs)), label)
        rec.fields["summary"] = "\n\n".join(paragraphs)
        return f"Summary: a paragraph that is just {label!r}"

    def _no_keywords(self, rec: Synthetic, previous: str | None) -> str:
        del rec.fields["keywords"]
        return "no Keywords"

    def _no_summary(self, rec: Synthetic, previous: str | None) -> str:
        return self._set(rec, "summary", "")


# -- writers --------------------------------------------------------------------------------
class Writer(Protocol):
    def write(self, index: int, rec: Synthetic) -> None: ...
    def write_clean(self, index: int, picks: tuple[int, ...]) -> None: ...  # the fast path
    def where(self, index: int) -> str: ...  # file, row or line of a record, for the manifest


def render_page(rec: Synthetic, site_header: str) -> str:
    """The catalogue's page layout; like the real pages, no final newline."""
    fields = rec.fields
    header = rec.header if rec.header is not None else fields.get("title", "")
    lines = [site_header, "", header, ""]
    for key in FIELDS:
        if key in fields:
            lines += (LABELS[key], fields[key])
        if key == "author_publisher":
            for label, value in rec.extra:
                lines += (label, value)
    return "\n".join(lines)


class PagesWriter:
    """One page file a record, named by its position, zero-padded."""

    def __init__(self, out: Path, maker: CatalogueMaker, total: int, site_header: str) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.out, self.maker, self.site_header = out, maker, site_header
        self.width = max(6, len(str(total)))

    def where(self, index: int) -> str:
        return f"{index + 1:0{self.width}d}.txt"

    def write(self, index: int, rec: Synthetic) -> None:
        (self.out / self.where(index)).write_bytes(render_page(rec, self.site_header).encode("utf-8"))

    def write_clean(self, index: int, picks: tuple[int, ...]) -> None:
        self.write(index, self.maker.record(index, picks))


def csv_field(value: str) -> str:
    """RFC 4180 quoting; csv.writer is far slower on long summaries."""
    if '"' in value or "," in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def encoded_pools(maker: CatalogueMaker, encode: Callable[[str], str]) -> list[list[bytes]]:
    return [[encode(value).encode("utf-8") for value in maker.values[name]] for name in FIELDS[1:]]


def open_output(out: Path, stack: contextlib.ExitStack) -> IO[bytes]:
    """The file for csv/jsonl output (or stdout for "-"), closed when the stack unwinds."""
    if str(out) == "-":
        return sys.stdout.buffer
    out.parent.mkdir(parents=True, exist_ok=True)
    return stack.enter_context(open(out, "wb", buffering=1 << 20))


class CsvWriter:
    """RFC 4180, UTF-8, a header row of the catalogue's column names."""

    def __init__(self, stream: IO[bytes], maker: CatalogueMaker, line_ending: str) -> None:
        self.stream, self.maker, self.line_ending = stream, maker, line_ending.encode()
        self.pools = encoded_pools(maker, csv_field)
        stream.write(",".join(FIELDS).encode() + self.line_ending)

    def where(self, index: int) -> str:
        return f"row {index + 2}"

    def write(self, index: int, rec: Synthetic) -> None:
        cells = [csv_field(rec.fields.get(key, "")) for key in FIELDS]
        self.stream.write(",".join(cells).encode("utf-8") + self.line_ending)

    def write_clean(self, index: int, picks: tuple[int, ...]) -> None:
        d, t, a, v, y, k, s = self.pools
        pd, pt, pa, pv, py, pk, ps = picks
        number = self.maker.number(index).encode()
        self.stream.write(b",".join((number, d[pd], t[pt], a[pa], v[pv], y[py], k[pk], s[ps])) + self.line_ending)


class JsonLinesWriter:
    """One object a line, byte-identical to json.dumps(fields, ensure_ascii=False)."""

    def __init__(self, stream: IO[bytes], maker: CatalogueMaker) -> None:
        self.stream, self.maker = stream, maker
        # each pooled value is stored with its key in front, so a clean line is one join
        self.pools = [
            [f', "{name}": '.encode() + value for value in values]
            for name, values in zip(FIELDS[1:], encoded_pools(maker, encode_basestring), strict=True)
        ]

    def where(self, index: int) -> str:
        return f"line {index + 1}"

    def write(self, index: int, rec: Synthetic) -> None:
        members = {**rec.fields, **{label.lower(): value for label, value in rec.extra}}
        line = ", ".join(f"{encode_basestring(key)}: {encode_basestring(value)}" for key, value in members.items())
        self.stream.write(("{" + line + "}\n").encode("utf-8"))

    def write_clean(self, index: int, picks: tuple[int, ...]) -> None:
        d, t, a, v, y, k, s = self.pools
        pd, pt, pa, pv, py, pk, ps = picks
        number = b'{"document_number": "' + self.maker.number(index).encode() + b'"'
        self.stream.write(b"".join((number, d[pd], t[pt], a[pa], v[pv], y[py], k[pk], s[ps], b"}\n")))


def make_writer(
    args: argparse.Namespace, maker: CatalogueMaker, site_header: str, stack: contextlib.ExitStack
) -> Writer:
    if args.format == "pages":
        return PagesWriter(args.out, maker, args.count, site_header)
    if args.format == "csv":
        return CsvWriter(open_output(args.out, stack), maker, "\r\n" if args.crlf else "\n")
    return JsonLinesWriter(open_output(args.out, stack), maker)


# -- driver ---------------------------------------------------------------------------------
def generate(args: argparse.Namespace) -> None:
    with open(args.pool, "rb") as fh:
        pool = tomllib.load(fh)
    maker = CatalogueMaker(pool, args.seed, args.first_number)
    bad = BadRecords(pool["bad"], args.format, random.Random(args.seed * 104729 + 3))
    with contextlib.ExitStack() as stack:
        writer = make_writer(args, maker, pool["site_header"], stack)
        manifest = None
        if args.manifest:
            manifest = csv.writer(stack.enter_context(open(args.manifest, "w", encoding="utf-8", newline="")))
            manifest.writerow(["where", "document_number", "problem", "expected", "detail"])
        bad_rate, draw, write_clean = args.bad_rate, maker.draw, writer.write_clean
        previous: int | None = None  # index of the last record with a sound number, for duplicate_number
        for index in range(args.count):
            picks = draw()
            # a separate random stream decides, so --bad-rate leaves the good records unchanged
            if not bad_rate or bad.rng.random() >= bad_rate:
                write_clean(index, picks)
                previous = index
                continue
            rec = maker.record(index, picks)
            name = bad.pick(previous)
            detail = bad.apply(name, rec, None if previous is None else maker.number(previous))
            writer.write(index, rec)
            if name == "duplicate_number" and previous is not None:
                detail += f" (also {writer.where(previous)})"
            if manifest:
                number = rec.fields.get("document_number", "")
                manifest.writerow([writer.where(index), number, name, bad.expected[name], detail])
            if name not in bad.NUMBER_PROBLEMS:
                previous = index


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, metavar="N", help="number of records to write")
    parser.add_argument("--format", choices=("pages", "csv", "jsonl"), default="pages")
    parser.add_argument("--out", type=Path, required=True, help="directory for pages; file (or -) for csv/jsonl")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same catalogue (default 1)")
    parser.add_argument("--bad-rate", type=float, default=0.0, help="fraction of records with one problem")
    parser.add_argument("--manifest", type=Path, help="CSV listing each bad record, its problem and expected outcome")
    parser.add_argument("--first-number", type=int, default=100001, help="document number of the first record")
    parser.add_argument("--crlf", action="store_true", help="CSV rows end with CRLF (RFC 4180) instead of LF")
    parser.add_argument("--pool", type=Path, default=DEFAULT_POOL, help="pool file (default: catalogue_pool.toml)")
    parser.add_argument("--quiet", action="store_true", help="do not print the speed to stderr")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error(f"N must be 0 or more, not {args.count}")
    if not 0.0 <= args.bad_rate <= 1.0:
        parser.error(f"--bad-rate must be between 0 and 1, not {args.bad_rate}")
    if args.format == "pages" and str(args.out) == "-":
        parser.error("--format pages writes a directory; give --out DIR")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    start = time.perf_counter()
    generate(args)
    seconds = time.perf_counter() - start
    if not args.quiet:
        rate = args.count / seconds if seconds else float("inf")
        print(f"wrote {args.count} records ({args.format}) in {seconds:.2f} s: {rate:,.0f} records/s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
