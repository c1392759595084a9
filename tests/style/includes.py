#!/usr/bin/env python3
"""style.includes — the include rule of docs/architecture.md, checked.

The stages, in pipeline order, are the TG_STAGES list of engine/CMakeLists.txt
(one directory engine/lib/<stage>/ each; a stage listed there need not exist
yet).  A stage's public header is engine/include/tegami/<stage>.h (base's is
diag.h).  The rule, from the #include lines of every source:

  - a file of engine/lib/<stage>/ includes the public headers of its own and
    earlier stages, its own stage's headers (<stage>/...), and base/base.h
    (the library's shared internals) — nothing of a later stage, nothing
    private to another stage, never tegami/tegami.h;
  - a public header includes only public headers of its own and earlier
    stages;
  - the CLI (engine/cli/) includes only public headers and its own cli.h.

So no include cycle can run between files of different stages.  Every
offence is reported as file:line with the rule it breaks; exit 1 if any.
"""
import os
import re
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
ENGINE = os.path.join(SRC, "engine")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def stages():
    text = open(os.path.join(ENGINE, "CMakeLists.txt"), encoding="utf-8").read()
    m = re.search(r"set\(TG_STAGES\s+([^)]*)\)", text)
    if not m:
        sys.exit("style.includes: no set(TG_STAGES ...) in engine/CMakeLists.txt")
    return m.group(1).split()


def header_stage(name, order):
    """The stage of public header tegami/<name>, or None."""
    base = name[len("tegami/"):-len(".h")] if name.startswith("tegami/") else None
    if base == "diag":
        return "base"
    return base if base in order else None


def main():
    order = stages()
    rank = {s: i for i, s in enumerate(order)}
    bad = []

    def check(path, stage):
        rel = os.path.relpath(path, SRC)
        with open(path, encoding="utf-8") as f:
            for no, text in enumerate(f, 1):
                m = INCLUDE.match(text)
                if not m:
                    continue
                inc = m.group(1)
                where = f"{rel}:{no}: #include \"{inc}\""
                if stage == "cli":
                    if inc != "cli.h" and not (header_stage(inc, order) or inc == "tegami/tegami.h"):
                        bad.append(f"{where}: the CLI includes only public headers (tegami/*.h)")
                    continue
                if inc == "tegami/tegami.h":
                    bad.append(f"{where}: only programs include tegami/tegami.h; {stage} names the "
                               "headers it uses")
                    continue
                hs = header_stage(inc, order)
                if inc.startswith("tegami/"):
                    if hs is None:
                        bad.append(f"{where}: no stage of TG_STAGES has this public header")
                    elif rank[hs] > rank[stage]:
                        bad.append(f"{where}: {stage} includes {hs}, a later stage "
                                   f"(order: {' → '.join(order)})")
                    continue
                top = inc.split("/", 1)[0]
                if top == stage or inc == "base/base.h":
                    continue
                bad.append(f"{where}: {stage} includes a file private to "
                           f"{top if top in rank else 'another place'}; use its public header")

    for s in order:
        d = os.path.join(ENGINE, "lib", s)
        if os.path.isdir(d):
            for name in sorted(os.listdir(d)):
                if name.endswith((".c", ".h")):
                    check(os.path.join(d, name), s)
    lib = os.path.join(ENGINE, "lib")
    for name in sorted(os.listdir(lib)):
        if os.path.isdir(os.path.join(lib, name)) and name not in rank:
            bad.append(f"engine/lib/{name}/: a stage directory missing from TG_STAGES")
    pub = os.path.join(ENGINE, "include", "tegami")
    for name in sorted(os.listdir(pub)):
        if name == "tegami.h" or not name.endswith(".h"):
            continue
        hs = header_stage("tegami/" + name, order)
        if hs is None:
            bad.append(f"engine/include/tegami/{name}: a public header of no stage in TG_STAGES")
            continue
        # a public header is held to the rule of its stage's public side
        path = os.path.join(pub, name)
        rel = os.path.relpath(path, SRC)
        with open(path, encoding="utf-8") as f:
            for no, text in enumerate(f, 1):
                m = INCLUDE.match(text)
                if not m:
                    continue
                inc = m.group(1)
                other = header_stage(inc, order)
                if other is None:
                    bad.append(f"{rel}:{no}: #include \"{inc}\": a public header includes only "
                               "public headers of stages")
                elif rank[other] > rank[hs]:
                    bad.append(f"{rel}:{no}: #include \"{inc}\": {hs}.h includes {other}, a "
                               "later stage")
    for name in sorted(os.listdir(os.path.join(ENGINE, "cli"))):
        if name.endswith((".c", ".h")):
            check(os.path.join(ENGINE, "cli", name), "cli")
    for b in bad:
        print(b, file=sys.stderr)
    if bad:
        print(f"FAIL: {len(bad)} include(s) break the stage rule (docs/architecture.md)",
              file=sys.stderr)
        return 1
    print(f"ok: every #include follows the stage order {' → '.join(order)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
