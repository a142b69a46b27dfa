"""A corpus of hostile import inputs: each case is a few files and the field it must be named by.

Used by the importer's tests (tests/db/test_hostile_import.py) and by `python -m bench.hostile`.
Every case must end in one line naming its file and the field; nothing may be stored.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

GOOD_HEADER = {"show": "Harbor Nights", "season": "1", "episode": "2", "source": "Test Desk"}
BODY = "Mara finds the ledger under the floorboards. Then the lights go out.\n\nRating: 8/10\n"
TOML = 'title = "Harbor Nights"\n\n[[seasons]]\nnumber = 1\nepisodes = 10\n'


@dataclass(frozen=True, slots=True)
class HostileCase:
    """Files to import together; the bad one is `bad` and must be named with `field`."""

    name: str
    files: dict[str, bytes]
    bad: str
    field: str


def review(body: str = BODY, **fields: str) -> bytes:
    """A review file with the good header, `fields` replacing or adding raw YAML values."""
    header = {**GOOD_HEADER, **fields}
    lines = "".join(f"{key}: {value}\n" for key, value in header.items())
    return f"---\n{lines}---\n{body}".encode()


def _alias_bomb() -> bytes:
    """A "billion laughs" of 358 bytes, every key a real header field.

    Eight levels of nine aliases: `show` stands for 9**8 strings once expanded. PyYAML builds
    it cheaply (aliases share one list), but anything that prints or walks `show` runs out of
    memory; the loader must refuse it before that.
    """
    names = ("author", "source", "aired", "rating", "episode", "season", "title", "show")
    lines = ["author: &a [" + ",".join(['"lol"'] * 9) + "]"]
    for depth in range(1, len(names)):
        anchor, previous = "abcdefgh"[depth], "abcdefgh"[depth - 1]
        lines.append(f"{names[depth]}: &{anchor} [" + ",".join([f"*{previous}"] * 9) + "]")
    return ("---\n" + "\n".join(lines) + "\n---\nBody.\n").encode()


def _case(name: str, content: bytes, field: str, *, file: str = "bad.md") -> HostileCase:
    return HostileCase(name, {file: content}, file, field)


def _catalogue(name: str, text: str, field: str) -> HostileCase:
    return _case(name, text.encode(), field, file="harbor/show.toml")


def explicit_cases() -> list[HostileCase]:
    """Every hand-written case: refused while parsing, then refused while storing."""
    return [*parse_cases(), *store_cases()]


def parse_cases() -> list[HostileCase]:
    """Cases refused file by file while parsing: what the issue found, and their neighbours."""
    long = "x" * 400
    cases = [
        _case("impossible date", review(aired="2025-02-30"), "aired"),
        _case("month 13", review(aired="2025-13-01"), "aired"),
        _case("superscript season", review(season="'²'"), "season"),
        _case("bare superscript season", review(season="²"), "season"),
        _case("arabic-indic episode", review(episode="٣"), "episode"),
        _case("huge season", review(season="9" * 30), "season"),
        _case("5000-digit episode", review(episode="9" * 5000), "episode"),
        _case("negative episode", review(episode="-1"), "episode"),
        _case("fractional season", review(season="1.5"), "season"),
        _case("boolean season", review(season="true"), "season"),
        _case("over-long title", review(title=long), "title"),
        _case("over-long source", review(source=long), "source"),
        _case("over-long author", review(author=long), "author"),
        _case("over-long show", review(show=long), "show"),
        _case("NUL in the body", review(body="Mara \x00 runs."), "file"),
        _case("NUL escaped in a title", review(title='"a\\0b"'), "title"),
        _case("lone surrogate in a source", review(source='"\\ud800"'), "source"),
        _case("huge rating", review(rating="1e309"), "rating"),
        _case("huge body rating", review(body="Good. Rating: " + "9" * 400 + "/10"), "rating"),
        _case("not UTF-8", review().replace(b"Mara", b"M\xffra"), "file"),
        _case("latin-1 header", "---\nshow: Caf\xe9\n---\nx\n".encode("latin-1"), "file"),
        _case("billion laughs", _alias_bomb(), "author"),
        _case("scalar alias", review(show="&s Harbor Nights", title="*s"), "title"),
        _case("nested list", review(show="[" * 3000 + "]" * 3000), "show"),
        _case("mapping value", review(title="{a: b}"), "title"),
        _case(
            "repeated key", review().replace(b"season: 1\n", b"season: 1\nseason: 2\n"), "season"
        ),
        _case("empty file", b"", "file"),
        _case("only whitespace", b" \n\n\t\n", "file"),
        _case("binary garbage", bytes(range(256)) * 8, "file"),
        _case("binary with NUL, valid UTF-8", b"abc\x00\x01\x02def" * 100, "file"),
        _case("header never closes", b"---\nshow: X\nseason: 1\n\nbody", "header"),
        _case("oversized header", b"---\n" + b"# filler\n" * 1200 + b"---\nBody.\n", "header"),
        _case("oversized file", review(body="Mara runs. " * 20_000), "file"),
        _case("unknown field", review(sauce="hot"), "header"),
        _catalogue("seasons = 5", 'title = "Harbor Nights"\nseasons = 5\n', "seasons"),
        _catalogue(
            "episodes = 20000",
            TOML.replace("episodes = 10", "episodes = 20000"),
            "season 1 episodes",
        ),
        _catalogue(
            "huge season number",
            TOML.replace("number = 1", "number = 99999999999"),
            "season number",
        ),
        _catalogue("huge year", "year = 99999999999999\n" + TOML, "year"),
        _catalogue("over-long show title", f'title = "{long}"\n', "title"),
        _catalogue(
            "over-long episode title",
            TOML.replace("episodes = 10", f'episodes = ["{"t" * 400}"]'),
            "season 1 episodes",
        ),
        _catalogue("NUL in an alias", 'aliases = ["a\\u0000b"]\n' + TOML, "aliases"),
        _catalogue(
            "too many aliases",
            TOML.replace("[[seasons]]", "aliases = [" + ",".join(['"a"'] * 60) + "]\n[[seasons]]"),
            "aliases",
        ),
        _catalogue("deeply nested TOML", "x = " + "[" * 20_000 + "]" * 20_000 + "\n", "file"),
        _case(
            "show.toml not UTF-8",
            'title = "Caf\xe9"\n'.encode("latin-1"),
            "file",
            file="harbor/show.toml",
        ),
        _catalogue(
            "199 seasons",
            'title = "H"\n'
            + "".join(f"[[seasons]]\nnumber = {n}\nepisodes = 1\n" for n in range(1, 200)),
            "seasons",
        ),
        _catalogue(
            "over-long premise",
            TOML.replace("[[seasons]]", f'premise = "{"p" * 5000}"\n[[seasons]]'),
            "premise",
        ),
        _catalogue(
            "season number twice", TOML + "[[seasons]]\nnumber = 1\nepisodes = 2\n", "seasons"
        ),
    ]
    return cases


def store_cases() -> list[HostileCase]:
    """Cases the parser accepts file by file, refused when they are stored together."""
    same = review()
    return [
        HostileCase("duplicate episodes", {"a.md": same, "b.md": same}, "b.md", "source"),
        HostileCase(
            "episode past a catalogued season",
            {"harbor/show.toml": TOML.encode(), "bad.md": review(episode="11")},
            "bad.md",
            "episode",
        ),
        HostileCase(
            "too many sentences", {"bad.md": review(body="Mara runs. " * 6_000)}, "bad.md", "body"
        ),
    ]


def write_case(case: HostileCase, folder: Path) -> Path:
    """Write the case's files under `folder`; return the bad file's path."""
    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return folder / case.bad


def _number_garbage(rng: random.Random) -> str:
    pieces = ["²", "٣", "۴", "-", "0", "1e9", "x", "1.5", "9" * rng.randint(4, 6000), " "]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(1, 4))).strip() or "0"


def _generated(rng: random.Random, index: int) -> HostileCase:
    """One malformed file, mutated from a good one at random (reproducible from the seed)."""
    kind = index % 10
    name = f"generated {index:04d}"
    if kind == 0:
        field = rng.choice(["season", "episode"])
        return _case(name, review(**{field: repr(_number_garbage(rng))}), field)
    if kind == 1:
        year, month, day = rng.randint(1, 9999), rng.randint(13, 99), rng.randint(1, 28)
        if rng.random() < 0.5:
            month, day = 2, rng.choice([30, 31])
        return _case(name, review(aired=f"{year:04d}-{month:02d}-{day:02d}"), "aired")
    if kind == 2:
        field = rng.choice(["title", "source", "author", "show"])
        return _case(name, review(**{field: "w" * rng.randint(301, 6000)}), field)
    if kind == 3:
        body = BODY[: rng.randint(0, len(BODY))] + "\x00" + BODY
        return _case(name, review(body=body), "file")
    if kind == 4:
        raw = review()
        cut = rng.randint(0, len(raw))
        return _case(name, raw[:cut] + bytes([rng.randint(0x80, 0xBF)]) + raw[cut:], "file")
    if kind == 5:
        field = rng.choice(["title", "source", "author"])
        return _case(name, review(show="&s Harbor Nights", **{field: "*s"}), field)
    if kind == 6:
        depth = rng.randint(1, 5000)
        field = rng.choice(["title", "source", "author"])
        return _case(name, review(**{field: "[" * depth + "]" * depth}), field)
    if kind == 7:
        garbage = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 4000)))
        return _case(name, b"\xff" + garbage, "file")
    if kind == 8:
        return _case(name, review(rating=f"{rng.randint(11, 10**9)}/10"), "rating")
    episodes = rng.choice([rng.randint(501, 10**6), -rng.randint(1, 10**6), 0])
    return _catalogue(name, TOML.replace("episodes = 10", f"episodes = {episodes}"), "episodes")


def generated_cases(count: int, seed: int = 18) -> list[HostileCase]:
    """`count` malformed files, each a random mutation of a good one (ten kinds in turn)."""
    rng = random.Random(seed)
    return [_generated(rng, index) for index in range(count)]
