#!/usr/bin/env python3
"""Marks one version requirement of an ELF64 shared library as weak (VER_FLG_WEAK).

The dynamic loader refuses to load a library whose .gnu.version_r names a version the providing library
lacks, unless that entry is weak; symbols are still looked up, so a definition elsewhere satisfies them.
Usage: weaken_version_need.py LIBRARY VERSION  (exit 0 if marked or already weak, 1 if the version is absent)."""
import struct
import sys

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def section_headers(data):
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise SystemExit("not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    for i in range(shnum):
        yield struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)


def c_string(data, offset):
    return data[offset:data.index(b"\0", offset)].decode()


def weaken(data, version):
    headers = list(section_headers(data))
    for _, sh_type, _, _, offset, _, link, count, _, _ in headers:
        if sh_type != SHT_GNU_VERNEED:
            continue
        strtab = headers[link][4]
        need = offset
        for _ in range(count):
            _, aux_count, _, aux, next_need = struct.unpack_from("<HHIII", data, need)
            entry = need + aux
            for _ in range(aux_count):
                _, flags, _, name, next_aux = struct.unpack_from("<IHHII", data, entry)
                if c_string(data, strtab + name) == version:
                    struct.pack_into("<H", data, entry + 4, flags | VER_FLG_WEAK)
                    return True
                entry += next_aux
            need += next_need
    return False


def main():
    path, version = sys.argv[1], sys.argv[2]
    with open(path, "rb") as f:
        data = bytearray(f.read())
    if not weaken(data, version):
        print(f"{path}: no requirement for {version}", file=sys.stderr)
        return 1
    with open(path, "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
