"""How a show's model is saved: a pickle of it without its sentence texts, then their block.

Layout: a head (a magic tag, the pickle's length, the sentences' count and their block's
size), the pickle of `(engine fingerprint, model)` without the model's sentences and concept
ids, then the block of sentences (`sentences.py`). Read from a file, the block is mapped
(`mapped.py`), not read: a thousand shows' texts stay off the heap. The model's strings that
other shows' models also hold (labels, names) are made one object each.
"""

from __future__ import annotations

import copy
import pickle
import struct
import sys
from typing import BinaryIO

from bot.guard.engine.mapped import MappedTail
from bot.guard.engine.model import ShowModel
from bot.guard.engine.sentences import NO_SENTENCES, Sentences

MAGIC = b"CHSM"
_HEAD = struct.Struct("<4sQQQ")  # the tag, the pickle's length, the sentences' count and size


def piece_bytes(fingerprint: str, model: ShowModel) -> bytes:
    """The saved form of a model built by engine code of this fingerprint."""
    bare = copy.copy(model)
    bare.sentences, bare.ids = NO_SENTENCES, {}  # `ids` is made again from `labels`
    state = pickle.dumps((fingerprint, bare), pickle.HIGHEST_PROTOCOL)
    block = model.sentences.block()
    return _HEAD.pack(MAGIC, len(state), len(model.sentences), len(block)) + state + block


def read_piece_file(handle: BinaryIO) -> tuple[object, ShowModel | None]:
    """The fingerprint and model saved in an open file, its texts mapped (None: no model).

    Nothing of the texts is read here: reading a page of a mapped file makes the kernel map
    its neighbours too, all counted as the process's memory.
    """
    size, count, length = _sizes(handle.read(_HEAD.size))
    state = pickle.load(handle)
    try:
        tail = MappedTail(handle, _HEAD.size + size)
        if len(tail) != length:
            raise ValueError("a saved show model cut short")
        sentences = Sentences(tail, count)
    except OSError:  # a file system that cannot map: the texts are read into memory
        handle.seek(_HEAD.size + size)
        sentences = Sentences.from_block(handle.read())
    return _with_sentences(state, sentences)


def parse_piece(data: bytes) -> tuple[object, ShowModel | None]:
    """The fingerprint and model in `piece_bytes`' output, its texts held in memory."""
    size, _, _ = _sizes(data[: _HEAD.size])
    state = pickle.loads(data[_HEAD.size : _HEAD.size + size])
    return _with_sentences(state, Sentences.from_block(data[_HEAD.size + size :]))


def _sizes(head: bytes) -> tuple[int, int, int]:
    if len(head) != _HEAD.size or head[:4] != MAGIC:
        raise ValueError("not a saved show model")
    _magic, size, count, length = _HEAD.unpack(head)
    return int(size), int(count), int(length)


def _with_sentences(state: object, sentences: Sentences) -> tuple[object, ShowModel | None]:
    if not isinstance(state, tuple) or len(state) != 2 or not isinstance(state[1], ShowModel):
        return None, None
    fingerprint, model = state
    model.sentences = sentences
    share_strings(model)
    return fingerprint, model


def share_strings(model: ShowModel) -> None:
    """Make the model's labels and names the interpreter's shared copies (`sys.intern`).

    A loaded model's strings are its own; the same label or name in other shows' models (a
    common word, a common first name) is then one object for all of them. `ids` is made again.
    """
    labels = [sys.intern(label) for label in model.labels]
    model.labels = labels
    model.ids = {label: concept for concept, label in enumerate(labels)}
    model.names = frozenset(sys.intern(name) for name in model.names)
    model.roles = {sys.intern(name): roles for name, roles in model.roles.items()}
