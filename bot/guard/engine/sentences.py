"""A show's corpus sentences as one block of bytes, read one sentence at a time.

Only evidence quotes a sentence, so the texts need not sit on the heap: the block is a
`(count + 1)`-offset table followed by the UTF-8 texts, held as bytes or mapped from the file
that saved it (`mapped.py`), where the kernel keeps it in its page cache until a quote reads it.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from typing import Any, Protocol

_COUNT = struct.Struct("<I")
_SPAN = struct.Struct("<II")


class Block(Protocol):
    """Bytes, or a mapped file region read like them."""

    def __len__(self) -> int: ...

    def __getitem__(self, span: slice, /) -> bytes: ...


class Sentences:
    """Sentence texts by unit: `block` is `sentence_block(texts)`'s layout, of `count` texts.

    Made from a mapped file, nothing is read until a text is: the count comes with the block.
    """

    __slots__ = ("_block", "_count", "_texts_at")

    def __init__(self, block: Block, count: int) -> None:
        texts_at = _COUNT.size * (count + 2)
        if count < 0 or texts_at > len(block):
            raise ValueError("not a block of sentences")
        self._block, self._count, self._texts_at = block, count, texts_at

    @classmethod
    def from_block(cls, block: bytes) -> Sentences:
        """The sentences of a block held in memory (checked whole)."""
        count = _COUNT.unpack_from(block)[0] if len(block) >= _COUNT.size else -1
        sentences = cls(block, count)
        (end,) = _COUNT.unpack_from(block, _COUNT.size * (count + 1))
        if sentences._texts_at + end != len(block):
            raise ValueError("not a block of sentences")
        return sentences

    @classmethod
    def of(cls, texts: Iterable[str]) -> Sentences:
        """These texts, held in memory."""
        return cls.from_block(sentence_block(texts))

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, unit: int) -> str:
        if not 0 <= unit < self._count:
            raise IndexError(unit)
        at = _COUNT.size * (unit + 1)
        begin, end = _SPAN.unpack(self._block[at : at + _SPAN.size])
        return self._block[self._texts_at + begin : self._texts_at + end].decode()

    def block(self) -> bytes:
        """The whole block, as `sentence_block` made it (what a file saves)."""
        return bytes(self._block[0 : len(self._block)])

    def __reduce__(self) -> tuple[Any, ...]:
        return (Sentences.from_block, (self.block(),))

    def __copy__(self) -> Sentences:
        return self  # never changed after it is made

    def __deepcopy__(self, memo: dict[int, object]) -> Sentences:
        return self

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sentences) and self.block() == other.block()

    def __hash__(self) -> int:
        return hash(self.block())


def sentence_block(texts: Iterable[str]) -> bytes:
    """The block of these texts: their count, where each begins (and the end), then the texts."""
    encoded = [text.encode() for text in texts]
    offsets = [0]
    for text in encoded:
        offsets.append(offsets[-1] + len(text))
    table = struct.pack(f"<{len(offsets) + 1}I", len(encoded), *offsets)
    return table + b"".join(encoded)


NO_SENTENCES = Sentences.of(())
