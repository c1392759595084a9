#!/usr/bin/env python3
"""pdf_colors.py QDF-PDF...: the RGB black and greys left in PDFs.

Each argument is a PDF written by `qpdf --qdf --object-streams=disable`, so
that every content stream (pages, form XObjects, patterns, Type 3 glyph
procedures) is decompressed in the file.  Prints each `r g b rg`/`RG` with
r = g = b (black or a grey set in RGB, which a RIP separates into four inks)
and exits 1 if there is any; prints the numbers of DeviceGray, DeviceRGB
and DeviceCMYK colour operators seen.
Standard library only."""
import re
import sys

NUM = rb"[-+]?(?:\d+\.?\d*|\.\d+)"
RGB = re.compile(rb"(?<![\w.+-])(" + NUM + rb")\s+(" + NUM + rb")\s+(" + NUM + rb")\s+(rg|RG)(?![\w])")
GRAY = re.compile(rb"(?<![\w.+-])" + NUM + rb"\s+(g|G)(?![\w])")
STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)

bad = grays = rgbs = cmyks = 0
CMYK = re.compile(rb"(?<![\w.+-])(?:" + NUM + rb"\s+){4}(k|K)(?![\w])")
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    for s in STREAM.findall(data):
        grays += len(GRAY.findall(s))
        cmyks += len(CMYK.findall(s))
        for m in RGB.finditer(s):
            rgbs += 1
            r, g, b = (float(x) for x in m.group(1, 2, 3))
            if r == g == b:
                bad += 1
                if bad <= 10:
                    print("%s: RGB %s: %s" % (path, "black" if r == 0 else "grey",
                                               m.group(0).decode()))
print("rgb-greys %d gray-operators %d rgb-operators %d cmyk-operators %d" % (bad, grays, rgbs, cmyks))
sys.exit(1 if bad else 0)
