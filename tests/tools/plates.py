#!/usr/bin/env python3
"""plates.py BASE: ink on the plates of a Ghostscript tiffsep separation.

BASE(Cyan).tif, BASE(Magenta).tif, BASE(Yellow).tif and BASE(Black).tif are
uncompressed 8-bit TIFFs (gs -sDEVICE=tiffsep -sCompression=none).  Prints
`k-only N rich M`: N pixels with solid black ink (K >= 80 %) and no cyan,
magenta or yellow at all, M pixels with solid K and more than 40 % of C, M
or Y (rich black, what RGB black separates into).  Standard library only."""
import struct
import sys


def plate(path):
    d = open(path, "rb").read()
    e = "<" if d[:2] == b"II" else ">"
    ifd = struct.unpack(e + "I", d[4:8])[0]
    tags = {}
    for i in range(struct.unpack(e + "H", d[ifd:ifd + 2])[0]):
        entry = d[ifd + 2 + 12 * i:ifd + 14 + 12 * i]
        tag, typ, count = struct.unpack(e + "HHI", entry[:8])
        size = {3: 2, 4: 4}.get(typ)
        if size is None:
            continue
        raw = entry[8:12] if size * count <= 4 else d[struct.unpack(e + "I", entry[8:12])[0]:][:size * count]
        tags[tag] = struct.unpack(e + ("H" if typ == 3 else "I") * count, raw[:size * count])
    if tags.get(259, (1,))[0] != 1 or tags[258][0] != 8:
        sys.exit("%s: not an uncompressed 8-bit TIFF" % path)
    pix = b"".join(d[o:o + c] for o, c in zip(tags[273], tags[279]))
    if tags.get(262, (0,))[0] == 1:  # BlackIsZero: 0 is full ink
        pix = pix.translate(bytes(255 - i for i in range(256)))
    return pix


base = sys.argv[1]
k = plate(base + "(Black).tif")
c, m, y = (plate(base + "(%s).tif" % n) for n in ("Cyan", "Magenta", "Yellow"))
solid, some = 204, 102
k_only = rich = 0
for i in range(len(k)):
    if k[i] >= solid:
        if c[i] == 0 and m[i] == 0 and y[i] == 0:
            k_only += 1
        elif c[i] > some or m[i] > some or y[i] > some:
            rich += 1
print("k-only %d rich %d" % (k_only, rich))
