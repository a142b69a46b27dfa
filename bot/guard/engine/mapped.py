"""A read-only memory map of a file's tail that keeps no file descriptor open.

Python 3.11's `mmap.mmap` keeps a duplicate of the file's descriptor for as long as the map
lives: a map per show would hold a thousand descriptors open at a thousand shows. This maps with
the C library's `mmap` directly; the map outlives the closed file (and its deletion: a file
replaced by another process stays readable here). Read pages are in the page cache, counted in
the process's resident memory only once read, and the kernel may drop them again.
"""

from __future__ import annotations

import ctypes
import mmap
import os
import weakref
from typing import BinaryIO


def _libc() -> ctypes.CDLL | None:
    """The C library's mmap and munmap (None where there is no such library: Windows)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.mmap.restype = ctypes.c_void_p
        libc.mmap.argtypes = (
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_int64,
        )
        libc.munmap.restype = ctypes.c_int
        libc.munmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t)
    except (OSError, TypeError, AttributeError):
        return None
    return libc


_LIBC = _libc()
_FAILED = ctypes.c_void_p(-1).value


class MappedTail:
    """The bytes of a file from `offset` to its end, mapped; sliced like bytes (copies out)."""

    __slots__ = ("__weakref__", "_address", "_size")

    def __init__(self, handle: BinaryIO, offset: int) -> None:
        """Map the file open in `handle` from `offset` (raises OSError when it cannot be)."""
        if _LIBC is None or not hasattr(mmap, "PROT_READ"):
            raise OSError("this platform maps no files here")
        fd = handle.fileno()
        size = os.fstat(fd).st_size - offset
        if offset < 0 or size <= 0:
            raise OSError(f"nothing to map at {offset}")
        start = offset - offset % mmap.ALLOCATIONGRANULARITY
        length = size + offset - start
        address = _LIBC.mmap(None, length, mmap.PROT_READ, mmap.MAP_SHARED, fd, start)
        if address is None or address == _FAILED:
            error = ctypes.get_errno()
            raise OSError(error, f"mmap failed: {os.strerror(error)}")
        unmap = weakref.finalize(self, _LIBC.munmap, address, length)
        unmap.atexit = False  # the process's end unmaps it; a thread may still be reading
        self._address = address + offset - start
        self._size = size

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, span: slice, /) -> bytes:
        begin, end, step = span.indices(self._size)
        if step != 1:
            raise ValueError("only contiguous slices of a mapped file")
        return ctypes.string_at(self._address + begin, max(end - begin, 0))
