"""Find and read corpus files: what to import from a folder, each file read within its cap."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from bot.catalog.specs import ShowSpec, parse_show_toml
from bot.corpus.documents import DocumentOverrides, ParsedDocument, parse_document
from bot.corpus.limits import LIMITS
from bot.errors import CliffhangerError, CorpusError

DOCUMENT_SUFFIXES = (".md", ".markdown", ".txt")
CATALOGUE_NAME = "show.toml"
IGNORED_NAMES = ("readme.md", "readme.txt", "license.md", "license.txt")


class CorpusImportError(CorpusError):
    """One or more files could not be imported; nothing was stored."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        self.path = self.line = self.field = None  # each problem names its own
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        CliffhangerError.__init__(self, problems[0] + more)


def collect_files(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """Catalogue files and review files under the given files and folders (recursively)."""
    try:
        catalogues, documents = _collect(paths)
    except OSError as error:
        problem = f"{error.filename}: file: cannot be read ({error.strerror})"
        raise CorpusImportError([problem]) from None
    if len(catalogues) + len(documents) > LIMITS.files:
        raise CorpusImportError([f"{paths[0]}: files: more than {LIMITS.files} files to import"])
    return catalogues, documents


def _collect(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    catalogues: list[Path] = []
    documents: list[Path] = []
    for path in paths:
        if not path.exists():
            raise CorpusImportError([f"{path}: no such file or folder"])
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in candidates:
            if any(part.startswith(".") for part in file.parts[-2:]):
                continue
            if file.name == CATALOGUE_NAME:
                catalogues.append(file)
            elif file.suffix.lower() in DOCUMENT_SUFFIXES and (
                not path.is_dir() or file.name.lower() not in IGNORED_NAMES
            ):
                documents.append(file)
    return catalogues, documents


def parse_files(
    catalogues: Sequence[Path],
    documents: Sequence[Path],
    overrides: DocumentOverrides | None,
    on_file: Callable[[], None] | None = None,
) -> tuple[list[ShowSpec], list[ParsedDocument]]:
    """Parse every file, gathering all problems (one per file) before giving up."""
    _check_total_size([*catalogues, *documents])
    problems: list[str] = []
    specs: list[ShowSpec] = []
    parsed: list[ParsedDocument] = []
    for path in catalogues:
        try:
            specs.append(parse_show_toml(_read(path, LIMITS.catalogue_bytes), str(path)))
        except CorpusError as error:
            problems.append(str(error))
    for path in documents:
        try:
            raw = _read(path, LIMITS.document_bytes)
            parsed.append(parse_document(raw, str(path), overrides))
        except CorpusError as error:
            problems.append(str(error))
        if on_file:
            on_file()
    if problems:
        raise CorpusImportError(problems)
    return specs, parsed


def _read(path: Path, limit: int) -> bytes:
    """A file's bytes, never reading more than `limit` (and one) into memory."""
    try:
        if path.stat().st_size > limit:
            raise CorpusError(
                f"file is larger than {limit // 1000} kB", path=str(path), field="file"
            )
        with path.open("rb") as handle:
            return handle.read(limit + 1)
    except OSError as error:
        raise CorpusError(
            f"file cannot be read ({error.strerror})", path=str(path), field="file"
        ) from None


def _check_total_size(paths: Sequence[Path]) -> None:
    total = 0
    for path in paths:
        total += path.stat().st_size if path.is_file() else 0
        if total > LIMITS.import_bytes:
            raise CorpusImportError(
                [f"{path}: files: the import is larger than {LIMITS.import_bytes // 10**6} MB"]
            )
