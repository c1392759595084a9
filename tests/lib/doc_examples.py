#!/usr/bin/env python3
"""Extract the examples of docs/design-format.md into a folder and check them.

Every fenced block whose info string is `yaml`, `csv` or `svg` is an
example.  `yaml file=NAME` (and csv/svg blocks, which always carry a name)
are written under that name, so later examples can use them; other yaml
blocks are written as example-N.yaml.  Every yaml example of kind design or
job is then checked with `tegami check`, in document order, in one folder.
A second check: every key the design loader knows (the *_KEYS arrays of
engine/lib/design) is written somewhere in the document as `key`.

usage: doc_examples.py TEGAMI SRC WORKDIR
"""
import os
import re
import subprocess
import sys

tegami, src, work = sys.argv[1:4]
doc = open(os.path.join(src, "docs", "design-format.md"), encoding="utf-8").read()

fence = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```\s*$", re.M | re.S)
examples = []
n = 0
for m in fence.finditer(doc):
    lang, info, body = m.group(1), m.group(2).strip(), m.group(3)
    if lang not in ("yaml", "csv", "svg"):
        continue
    line = doc.count("\n", 0, m.start()) + 1
    name = None
    fm = re.match(r"file=(\S+)", info)
    if fm:
        name = fm.group(1)
    elif lang != "yaml":
        print(f"design-format.md:{line}: a {lang} block needs file=NAME", file=sys.stderr)
        sys.exit(1)
    else:
        n += 1
        name = f"example-{n}.yaml"
    with open(os.path.join(work, name), "w", encoding="utf-8") as f:
        f.write(body)
    if lang == "yaml" and re.search(r"^kind: (design|job)\s*$", body, re.M):
        examples.append((line, name))

failed = 0
for line, name in examples:
    r = subprocess.run([tegami, "check", name], cwd=work, capture_output=True, text=True)
    if r.returncode != 0:
        failed += 1
        print(f"design-format.md:{line}: example {name} does not pass tegami check "
              f"(exit {r.returncode}):\n{r.stderr}", file=sys.stderr)

missing = []
for fname in sorted(os.listdir(os.path.join(src, "engine", "lib", "design"))):
    if not fname.endswith(".c"):
        continue
    code = open(os.path.join(src, "engine", "lib", "design", fname), encoding="utf-8").read()
    for arr in re.finditer(r"\w+_KEYS\[\]\s*=\s*\{(.*?)\};", code, re.S):
        for key in re.findall(r'"([^"]+)"', arr.group(1)):
            if f"`{key}`" not in doc and key not in missing:
                missing.append(key)
for key in missing:
    print(f"design-format.md: key `{key}` is not documented", file=sys.stderr)

if failed or missing:
    sys.exit(1)
print(f"{len(examples)} examples pass tegami check; every design key is documented")
