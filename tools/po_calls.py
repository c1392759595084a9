#!/usr/bin/env python3
"""tools/po_calls.py POT — every literal message passed to a tg_diag_* function
(or to the CLI's cli_usage_error) is in the catalogue template POT.

xgettext finds a call's message by counting commas outside parentheses, so an
argument such as (tg_span){src, 1, 1, 1} shifts it and the message is silently
left out of the catalogue (and stays English).  This reads the calls itself,
counting braces too, and lists the messages xgettext missed: give such an
argument a variable of its own.  Likewise a message chosen with ?: (xgettext
takes only the first branch: mark each N_()) and a G_GUINT64_FORMAT in a
message (xgettext stops there: use PRIu64, which it knows).  Run by
tools/po.sh check.
"""
import glob
import re
import sys

KEYWORDS = {"tg_diag_at": 6, "tg_diag_row": 8, "tg_diag_add": 5, "tg_diag_hint": 2,
            "cli_usage_error": 1}


def unquote(text):
    out = ""
    for lit in re.findall(r'"((?:[^"\\]|\\.)*)"', text):
        # escapes decoded on the UTF-8 bytes, then the bytes read as UTF-8
        out += lit.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
    return out


def msgids(pot):
    ids, cur, field = set(), None, None
    for line in open(pot, encoding="utf-8"):
        if line.startswith("msgid "):
            cur, field = unquote(line[6:]), "id"
        elif line.startswith("msgstr "):
            ids.add(cur)
            field = None
        elif line.startswith('"') and field == "id":
            cur += unquote(line)
    return ids


def arguments(s, i):
    """The arguments of the call whose '(' ends at i, split at top-level commas."""
    depth, args, cur, instr = 1, [], "", False
    while i < len(s) and depth:
        c = s[i]
        if instr:
            cur += c
            if c == "\\":
                cur += s[i + 1]
                i += 2
                continue
            if c == '"':
                instr = False
        elif c == "'":
            j = s.index("'", i + (3 if s[i + 1] == "\\" else 2))
            cur += s[i:j + 1]
            i = j + 1
            continue
        elif c == '"':
            instr = True
            cur += c
        elif c in "([{":
            depth += 1
            cur += c
        elif c in ")]}":
            depth -= 1
            if depth:
                cur += c
        elif c == "," and depth == 1:
            args.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    return args + [cur]


STRING = r'"(?:[^"\\]|\\.)*"'


def main():
    ids = msgids(sys.argv[1])
    call = re.compile(r"\b(" + "|".join(KEYWORDS) + r")\(")
    literal = re.compile(r'(\s*("(?:[^"\\]|\\.)*"|PRI[dux]64)\s*)+')
    branch = re.compile(STRING + r'(?:\s*(?:' + STRING + r'|PRI[dux]64))*')
    missed = 0
    for path in sorted(glob.glob("engine/**/*.c", recursive=True)):
        s = open(path, encoding="utf-8").read()
        for m in call.finditer(s):
            start = s.rfind("\n", 0, m.start()) + 1
            if re.fullmatch(r"\s*(static\s+)?(void|bool|int|const char \*|char \*)\s*",
                            s[start:m.start()]):
                continue  # a declaration
            args = arguments(s, m.end())
            k = KEYWORDS[m.group(1)]
            if len(args) < k:
                continue
            arg = args[k - 1]
            line = s.count(chr(10), 0, m.start()) + 1
            if re.search(r"\bG_G?\w+_FORMAT\b", re.sub(STRING, "", arg)):
                missed += 1  # xgettext cuts the message there; <PRIu64> it knows
                print(f"{path}:{line}: a G_*_FORMAT macro cuts the message: use PRIu64",
                      file=sys.stderr)
                continue
            if literal.fullmatch(arg):
                texts = [arg]
            elif "?" in re.sub(STRING, "", arg):
                # a message chosen by ?: — xgettext sees only the first branch
                # unless each is marked N_()
                texts = [t.group(0) for t in branch.finditer(arg)]
            else:
                continue
            for text in texts:
                msg = unquote(re.sub(r"PRI([dux])64", r'"<PRI\g<1>64>"', text))
                if msg not in ids:
                    missed += 1
                    print(f"{path}:{line}: not extracted: {msg[:70]}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
