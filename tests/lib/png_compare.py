#!/usr/bin/env python3
"""Compare a rendered PNG with a golden one, with a tolerance.

Golden traces compare what the engine placed; this compares what a reader
sees.  Rasterisers differ in the last bit of anti-aliasing between cairo or
FreeType versions, so two pixels match when every channel differs by at most
--tolerance (0-255), and the images match when at most --max-fraction of the
pixels differ.  The images must have the same size.  On failure a diff image
is written next to the actual one (<actual>.diff.png): differing pixels red
over a faded copy of the golden, so a person can see what moved.

Only what tegami writes is read: 8-bit greyscale, RGB or RGBA, not
interlaced (python3 standard library only: zlib for the data).

usage: png_compare.py GOLDEN ACTUAL [--tolerance N] [--max-fraction F]
exit:  0 match, 1 differ, 2 unreadable or different sizes
"""
import argparse
import struct
import sys
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 6: 4}  # colour type -> channels


def read_png(path):
    """(width, height, channels, rows) with rows a list of bytearrays."""
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path}: not a PNG file")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError(f"{path}: no IHDR chunk")
    width, height, depth, ctype, _comp, _filt, interlace = header
    if depth != 8 or ctype not in CHANNELS or interlace:
        raise ValueError(f"{path}: only 8-bit grey/RGB/RGBA, non-interlaced PNGs are read "
                         f"(depth {depth}, colour type {ctype}, interlace {interlace})")
    ch = CHANNELS[ctype]
    raw = zlib.decompress(b"".join(idat))
    stride = width * ch
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        ftype = raw[start]
        line = bytearray(raw[start + 1:start + 1 + stride])
        if ftype == 1:  # Sub
            for i in range(ch, stride):
                line[i] = (line[i] + line[i - ch]) & 0xFF
        elif ftype == 2:  # Up
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 0xFF
        elif ftype == 3:  # Average
            for i in range(stride):
                left = line[i - ch] if i >= ch else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:  # Paeth
            for i in range(stride):
                a = line[i - ch] if i >= ch else 0
                b = prev[i]
                c = prev[i - ch] if i >= ch else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        elif ftype != 0:
            raise ValueError(f"{path}: unknown filter {ftype} in row {y}")
        rows.append(line)
        prev = line
    return width, height, ch, rows


def rgb(rows, ch, x, y):
    row = rows[y]
    if ch == 1:
        v = row[x]
        return v, v, v
    return row[x * ch], row[x * ch + 1], row[x * ch + 2]


def write_png(path, width, height, rows):
    """Write 8-bit RGB rows (bytearrays) as a PNG."""
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body +
                struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + bytes(r) for r in rows)
    with open(path, "wb") as f:
        f.write(SIGNATURE)
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("golden")
    ap.add_argument("actual")
    ap.add_argument("--tolerance", type=int, default=48,
                    help="largest channel difference of matching pixels (default 48)")
    ap.add_argument("--max-fraction", type=float, default=0.002,
                    help="largest fraction of differing pixels (default 0.002)")
    args = ap.parse_args()
    try:
        gw, gh, gch, grows = read_png(args.golden)
        aw, ah, ach, arows = read_png(args.actual)
    except (OSError, ValueError, zlib.error) as e:
        print(f"png_compare: {e}", file=sys.stderr)
        return 2
    if (gw, gh) != (aw, ah):
        print(f"png_compare: sizes differ: golden {gw}x{gh}, actual {aw}x{ah}", file=sys.stderr)
        return 2
    differing, worst, ink = 0, 0, 0
    diff_rows = []
    for y in range(gh):
        out = bytearray(gw * 3)
        for x in range(gw):
            g = rgb(grows, gch, x, y)
            a = rgb(arows, ach, x, y)
            d = max(abs(g[0] - a[0]), abs(g[1] - a[1]), abs(g[2] - a[2]))
            if min(g) < 128:
                ink += 1
            worst = max(worst, d)
            if d > args.tolerance:
                differing += 1
                out[x * 3:x * 3 + 3] = b"\xff\x00\x00"
            else:
                fade = 255 - (255 - sum(g) // 3) // 4
                out[x * 3:x * 3 + 3] = bytes((fade, fade, fade))
        diff_rows.append(out)
    total = gw * gh
    fraction = differing / total
    summary = (f"{gw}x{gh} px, {differing} differ by more than {args.tolerance} "
               f"({fraction:.4%}, at most {args.max_fraction:.4%} allowed), "
               f"largest difference {worst}, {ink} inked pixels in the golden")
    if fraction > args.max_fraction:
        write_png(args.actual + ".diff.png", gw, gh, diff_rows)
        print(f"png_compare: images differ: {summary}; see {args.actual}.diff.png",
              file=sys.stderr)
        return 1
    print(f"match: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
