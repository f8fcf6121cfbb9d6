"""Read the modules out of an xl/vbaProject.bin: which there are, of which kind, and the
exact bytes of each one's source.

A vbaProject.bin is an OLE compound file (MS-CFB) holding, under VBA/, a `dir` stream that
lists the modules and one stream per module whose source is compressed (MS-OVBA 2.4.1) from
the module's text offset on. Only reading is needed (the golden comparison and
`stale_macro_parts`): LibreOffice writes the file. The tests check this reader against
oletools.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from xlsrc.model.errors import WorkbookFileError

_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_NO_STREAM = 0xFFFFFFFF


@dataclass(frozen=True)
class VbaModule:
    name: str
    kind: str  # "standard", or "document/class" (the dir stream does not tell them apart)
    source: bytes


def read_vba_modules(data: bytes) -> dict[str, VbaModule]:
    """Module name -> module, in the dir stream's order."""
    try:
        cfb = _Compound(data)
        entries = _parse_dir(decompress(cfb.stream("VBA/dir")))
        out = {}
        for name, stream, offset, kind in entries:
            raw = cfb.stream(f"VBA/{stream}")
            out[name] = VbaModule(name, kind, decompress(raw[offset:]))
        return out
    except (IndexError, KeyError, struct.error, ValueError) as exc:
        raise WorkbookFileError(
            f"not a readable VBA project ({type(exc).__name__}: {exc})"
        ) from None


class _Compound:
    """Just enough of MS-CFB to read streams by path."""

    def __init__(self, data: bytes) -> None:
        if data[:8] != _SIGNATURE:
            raise ValueError("no compound file signature")
        self.data = data
        self.sector = 1 << struct.unpack_from("<H", data, 0x1E)[0]
        self.mini_sector = 1 << struct.unpack_from("<H", data, 0x20)[0]
        n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
        self.cutoff, first_minifat, _, first_difat, n_difat = struct.unpack_from(
            "<IIIII", data, 0x38
        )
        fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
        sid = first_difat
        for _ in range(n_difat):
            per = self.sector // 4 - 1
            values = struct.unpack_from(f"<{per + 1}I", data, self._offset(sid))
            fat_sectors += values[:per]
            sid = values[per]
        self.fat = [
            v
            for s in fat_sectors[:n_fat]
            for v in struct.unpack_from(f"<{self.sector // 4}I", data, self._offset(s))
        ]
        directory = self._chain_bytes(first_dir)
        self.entries = [
            self._entry(directory[i : i + 128]) for i in range(0, len(directory) - 127, 128)
        ]
        root = self.entries[0]
        self.mini_stream = self._chain_bytes(root["start"])[: root["size"]]
        minifat = self._chain_bytes(first_minifat) if first_minifat < _FREE - 1 else b""
        self.minifat = list(struct.unpack(f"<{len(minifat) // 4}I", minifat))

    def _offset(self, sid: int) -> int:
        return (sid + 1) * self.sector

    def _chain(self, start: int, table: list[int]) -> list[int]:
        out: list[int] = []
        sid = start
        while sid != _END_OF_CHAIN:
            if sid >= len(table) or len(out) > len(table):
                raise ValueError("broken sector chain")
            out.append(sid)
            sid = table[sid]
        return out

    def _chain_bytes(self, start: int) -> bytes:
        return b"".join(
            self.data[self._offset(s) : self._offset(s) + self.sector]
            for s in self._chain(start, self.fat)
        )

    @staticmethod
    def _entry(raw: bytes) -> dict:
        name_len = struct.unpack_from("<H", raw, 64)[0]
        return {
            "name": raw[: max(name_len - 2, 0)].decode("utf-16-le"),
            "type": raw[66],
            "left": struct.unpack_from("<I", raw, 68)[0],
            "right": struct.unpack_from("<I", raw, 72)[0],
            "child": struct.unpack_from("<I", raw, 76)[0],
            "start": struct.unpack_from("<I", raw, 116)[0],
            "size": struct.unpack_from("<Q", raw, 120)[0] & 0xFFFFFFFF,
        }

    def _children(self, index: int) -> dict[str, int]:
        out: dict[str, int] = {}
        todo = [self.entries[index]["child"]]
        while todo:
            i = todo.pop()
            if i == _NO_STREAM or i >= len(self.entries) or len(out) > len(self.entries):
                continue
            entry = self.entries[i]
            out[entry["name"].upper()] = i
            todo += [entry["left"], entry["right"]]
        return out

    def stream(self, path: str) -> bytes:
        index = 0
        for part in path.split("/"):
            index = self._children(index)[part.upper()]
        entry = self.entries[index]
        if entry["type"] != 2:
            raise ValueError(f"{path} is not a stream")
        if entry["size"] < self.cutoff:
            step = self.mini_sector
            chunks = (
                self.mini_stream[s * step : (s + 1) * step]
                for s in self._chain(entry["start"], self.minifat)
            )
        else:
            step = self.sector
            chunks = (
                self.data[self._offset(s) : self._offset(s) + step]
                for s in self._chain(entry["start"], self.fat)
            )
        return b"".join(chunks)[: entry["size"]]


def decompress(data: bytes) -> bytes:
    """MS-OVBA 2.4.1.3.1: decompress a CompressedContainer."""
    if not data or data[0] != 1:
        raise ValueError("not a compressed VBA container")
    out = bytearray()
    pos = 1
    while pos < len(data):
        header = struct.unpack_from("<H", data, pos)[0]
        end = min(len(data), pos + 2 + (header & 0x0FFF) + 1)
        pos += 2
        chunk_start = len(out)
        if not header & 0x8000:  # stored raw: 4096 bytes
            out += data[pos : pos + 4096]
            pos += 4096
            continue
        while pos < end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if not flags >> bit & 1:
                    out.append(data[pos])
                    pos += 1
                    continue
                token = struct.unpack_from("<H", data, pos)[0]
                pos += 2
                bits = max((len(out) - chunk_start - 1).bit_length(), 4)
                offset = (token >> (16 - bits)) + 1
                for _ in range((token & (0xFFFF >> bits)) + 3):
                    out.append(out[-offset])
    return bytes(out)


def _parse_dir(data: bytes) -> list[tuple[str, str, int, str]]:
    """(module name, stream name, text offset, kind) for every module in a dir stream."""
    modules: list[dict] = []
    pos = 0
    while pos + 6 <= len(data):
        rec_id, size = struct.unpack_from("<HI", data, pos)
        pos += 6
        if rec_id == 0x0009:  # PROJECTVERSION: its size field says 4, it holds 6 bytes
            size = 6
        body = data[pos : pos + size]
        pos += size
        if rec_id == 0x0019:  # MODULENAME starts a module
            modules.append({"name": body.decode("latin-1"), "kind": "standard", "offset": 0})
        elif rec_id == 0x001A:
            modules[-1]["stream"] = body.decode("latin-1")
        elif rec_id == 0x0031:
            modules[-1]["offset"] = struct.unpack("<I", body)[0]
        elif rec_id == 0x0022:
            modules[-1]["kind"] = "document/class"
        elif rec_id == 0x0010:  # end of the dir stream
            break
    return [(m["name"], m.get("stream", m["name"]), m["offset"], m["kind"]) for m in modules]
