#!/usr/bin/env python3
"""assign_reference.py — an independent implementation of tegami's arm assignment.

Written from the method in docs/evaluation.md (not from the C code), so that
an auditor can recompute an experiment's assignment.  tests/unit/test_assign.c
checks the engine against the arms this script prints for its fixed example.

usage: assign_reference.py SALT_STRING 'A:2,B:2,control:1' [MULTIPLE] < people
       (people: one "key<TAB>stratum" per line; prints "key<TAB>arm" in input order)
"""
import hashlib
import hmac
import sys


def mac(salt: bytes, msg: bytes) -> bytes:
    return hmac.new(salt, msg, hashlib.sha256).digest()


def block_sequence(salt, arms, multiple, stratum, block):
    seq = [i for i, (_, ratio) in enumerate(arms) for _ in range(ratio * multiple)]
    prefix = b"\0tegami/assign-block/v1\0" + stratum.encode() + b"\0" + block.to_bytes(8, "big")
    words, counter = [], 0

    def draw(bound):
        nonlocal counter
        limit = 2**64 - 1 - (2**64 - 1) % bound
        while True:
            if not words:
                d = mac(salt, prefix + counter.to_bytes(4, "big"))
                counter += 1
                words.extend(int.from_bytes(d[i:i + 8], "big") for i in range(0, 32, 8))
            v = words.pop(0)
            if v < limit:
                return v % bound

    for i in range(len(seq) - 1, 0, -1):
        j = draw(i + 1)
        seq[i], seq[j] = seq[j], seq[i]
    return seq


def assign(salt, arms, multiple, people):
    """people: list of (key, stratum); returns the arm name of each."""
    size = sum(r for _, r in arms) * multiple
    by_stratum = {}
    for key, stratum in set(people):
        by_stratum.setdefault(stratum, []).append((mac(salt, key.encode()), key))
    arm_of = {}
    for stratum, units in by_stratum.items():
        units.sort()
        for pos, (_, key) in enumerate(units):
            if pos % size == 0:
                seq = block_sequence(salt, arms, multiple, stratum, pos // size)
            arm_of[key] = arms[seq[pos % size]][0]
    return [arm_of[k] for k, _ in people]


def main():
    salt = sys.argv[1].encode()
    arms = [(a.split(":")[0], int(a.split(":")[1])) for a in sys.argv[2].split(",")]
    multiple = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    people = [tuple(line.rstrip("\n").split("\t")) for line in sys.stdin if line.strip()]
    for (key, _), arm in zip(people, assign(salt, arms, multiple, people)):
        print(f"{key}\t{arm}")


if __name__ == "__main__":
    main()
