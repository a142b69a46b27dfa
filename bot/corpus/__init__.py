"""The review corpus: documents, sentences, the importer, and the sample corpus shipped with it."""

from importlib.resources import files
from pathlib import Path

# Package data (pyproject's package-data), so a non-editable install finds it too.
SAMPLE_CORPUS = Path(str(files(__name__) / "sample"))
