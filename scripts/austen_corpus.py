#!/usr/bin/python3
"""The training lab's corpus (design-lab.md section 3): Jane Austen's six novels as plain text, taken from
Debian's r-cran-janeaustenr without installing R. `apt-get download` + `dpkg -x` give the package's files;
the novels sit in an R lazy-load database (data/Rdata.rdb, indexed by Rdata.rdx): each object is a 4-byte
big-endian length and a zlib stream of R's XDR serialization (R Internals, "Serialization Formats"). This
reader inflates each blob, walks the serialized object and collects its character strings (one novel =
one character vector of lines). Output: the six novels in name order, lines joined by '\n', UTF-8.
Written into the build output by CMake (never committed). Not here: tokenisation (src/core/include/attnrank/lab/corpus.h).

usage: austen_corpus.py OUTPUT [--deb FILE.deb | --dir EXTRACTED_ROOT]
exit 0 with OUTPUT written; exit 2 with a message naming the package when it cannot be had.
"""
import gzip
import os
import struct
import subprocess
import sys
import tempfile
import zlib

PACKAGE = "r-cran-janeaustenr"
DATA_DIR = "usr/lib/R/site-library/janeaustenr/data"


class Reader:
    """R's XDR serialization (format 2 or 3), the subset a data package uses."""

    def __init__(self, data):
        self.data, self.pos, self.refs, self.strings = data, 0, [], []

    def int(self):
        (value,) = struct.unpack_from(">i", self.data, self.pos)
        self.pos += 4
        return value

    def skip(self, count):
        self.pos += count

    def length(self):
        n = self.int()
        if n == -1:  # long vector: two ints
            hi, lo = self.int(), self.int()
            n = (hi << 32) + (lo & 0xFFFFFFFF)
        return n

    def header(self):
        if self.data[:2] != b"X\n":
            raise ValueError("not an XDR serialization")
        self.pos = 2
        version = self.int()
        self.int(), self.int()  # writer's and minimal reader's R versions
        if version == 3:
            self.skip(self.int())  # native encoding name

    def string_vector(self):  # InStringVec: a 0, a length, then items
        self.int()
        return [self.item() for _ in range(self.int())]

    def item(self):
        flags = self.int()
        kind = flags & 0xFF
        has_attr, has_tag = flags & (1 << 9), flags & (1 << 10)
        if kind in (254, 253, 252, 251, 250, 242, 241):  # NILVALUE, GLOBALENV, ..., EMPTYENV, BASEENV
            return None
        if kind == 255:  # REFSXP
            index = flags >> 8
            return self.refs[(index if index else self.int()) - 1]
        if kind in (249, 248, 247):  # NAMESPACESXP, PACKAGESXP, PERSISTSXP
            value = self.string_vector()
            self.refs.append(value)
            return value
        if kind == 1:  # SYMSXP
            value = ("symbol", self.item())
            self.refs.append(value)
            return value
        if kind == 4:  # ENVSXP
            self.refs.append("environment")
            self.int()
            for _ in range(4):  # enclosure, frame, hash table, attributes
                self.item()
            return "environment"
        if kind in (2, 3, 5, 6, 17, 239, 240):  # pairlists, closures, promises, language
            if has_attr:
                self.item()
            if has_tag:
                self.item()
            car = self.item()
            self.item()  # cdr
            return car
        if kind == 238:  # ALTREP: class info, state, attributes
            self.item(), self.item(), self.item()
            return None
        if kind == 9:  # CHARSXP
            n = self.int()
            if n == -1:
                return None  # NA_character_
            value = self.data[self.pos:self.pos + n].decode("utf-8", errors="replace")
            self.skip(n)
            return value
        if kind in (10, 13):  # LGLSXP, INTSXP
            self.skip(4 * self.length())
            value = None
        elif kind == 14:  # REALSXP
            self.skip(8 * self.length())
            value = None
        elif kind == 15:  # CPLXSXP
            self.skip(16 * self.length())
            value = None
        elif kind == 24:  # RAWSXP
            self.skip(self.length())
            value = None
        elif kind == 16:  # STRSXP: the novels' lines
            value = [self.item() for _ in range(self.length())]
            self.strings.append(value)
        elif kind in (19, 20):  # VECSXP, EXPRSXP
            value = [self.item() for _ in range(self.length())]
        elif kind == 25:  # S4SXP
            value = None
        else:
            raise ValueError(f"unsupported R type {kind} at byte {self.pos - 4}")
        if has_attr:
            self.item()
        return value


def inflate_blob(rdb, offset, size):
    """One object of the .rdb: 4-byte big-endian uncompressed length, then (type 'Z' or none) zlib data."""
    blob = rdb[offset:offset + size]
    (expected,) = struct.unpack_from(">I", blob, 0)
    body = blob[5:] if blob[4:5] == b"Z" else blob[4:]
    data = zlib.decompress(body)
    if len(data) != expected:
        raise ValueError(f"blob at {offset}: {len(data)} bytes inflated, {expected} announced")
    return data


def read_index(rdx_path):
    """The .rdx (a gzip-compressed serialization): list(variables = named list of c(offset, size), ...)."""
    with open(rdx_path, "rb") as f:
        data = gzip.decompress(f.read())
    # Walk it by hand: the variables' names are the first STRSXP of names, their offsets INTSXP pairs.
    reader = IndexReader(data)
    reader.header()
    return reader.variables()


class IndexReader(Reader):
    """Like Reader, but keeps integer vectors and names so the index's offsets can be read."""

    def item(self):
        flags = self.int()
        kind = flags & 0xFF
        has_attr = flags & (1 << 9)
        if kind == 254:
            return None
        if kind == 9:
            n = self.int()
            value = self.data[self.pos:self.pos + n].decode("utf-8")
            self.skip(n)
            return value
        if kind == 13:
            n = self.length()
            value = list(struct.unpack_from(f">{n}i", self.data, self.pos))
            self.skip(4 * n)
        elif kind == 10:
            self.skip(4 * self.length())
            value = None
        elif kind == 16:
            value = [self.item() for _ in range(self.length())]
        elif kind == 19:
            value = [self.item() for _ in range(self.length())]
        elif kind == 2:  # attribute pairlist: tag then value
            tag = self.item() if flags & (1 << 10) else None
            car = self.item()
            rest = self.item()
            value = {"tag": tag, "car": car, "cdr": rest}
            return value
        elif kind == 1:
            value = ("symbol", self.item())
            self.refs.append(value)
            return value
        elif kind == 255:
            index = flags >> 8
            return self.refs[(index if index else self.int()) - 1]
        else:
            raise ValueError(f"unsupported R type {kind} in the index")
        if has_attr:
            value = (value, self.item())
        return value

    def variables(self):
        top = self.item()  # (list, attributes)
        values, attrs = top
        names = attrs["car"] if attrs["tag"] == ("symbol", "names") else None
        variables_values, variables_attrs = values[names.index("variables")]
        var_names = variables_attrs["car"]
        return {name: (pair[0], pair[1]) for name, pair in zip(var_names, variables_values)}


def extract(root):
    data_dir = os.path.join(root, DATA_DIR)
    with open(os.path.join(data_dir, "Rdata.rdb"), "rb") as f:
        rdb = f.read()
    novels = []
    for name, (offset, size) in sorted(read_index(os.path.join(data_dir, "Rdata.rdx")).items()):
        reader = Reader(inflate_blob(rdb, offset, size))
        reader.header()
        reader.item()
        lines = [line for vector in reader.strings for line in vector if line is not None]
        if len(lines) < 1000:
            raise ValueError(f"object {name}: {len(lines)} lines, expected a novel")
        novels.append("\n".join(lines))
    return "\n\n".join(novels) + "\n"


def main():
    if len(sys.argv) not in (2, 4):
        sys.exit(__doc__)
    output = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        if len(sys.argv) == 4 and sys.argv[2] == "--dir":
            root = sys.argv[3]
        else:
            if len(sys.argv) == 4 and sys.argv[2] == "--deb":
                deb = os.path.abspath(sys.argv[3])
            else:
                result = subprocess.run(["apt-get", "download", PACKAGE], cwd=tmp, capture_output=True, text=True)
                debs = [f for f in os.listdir(tmp) if f.endswith(".deb")]
                if result.returncode != 0 or not debs:
                    print(f"austen_corpus.py: `apt-get download {PACKAGE}` failed: "
                          f"{result.stderr.strip()[-300:]}", file=sys.stderr)
                    sys.exit(2)
                deb = os.path.join(tmp, debs[0])
            root = os.path.join(tmp, "root")
            if subprocess.run(["dpkg", "-x", deb, root]).returncode != 0:
                print(f"austen_corpus.py: dpkg -x {deb} failed", file=sys.stderr)
                sys.exit(2)
        text = extract(root)
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    with open(output + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(output + ".tmp", output)
    print(f"austen_corpus.py: {len(text)} characters from {PACKAGE} -> {output}")


if __name__ == "__main__":
    main()
