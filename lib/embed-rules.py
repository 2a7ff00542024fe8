#!/usr/bin/env python3
"""Write a C source holding a rule file's bytes, so the bundled catalog
works with no file on disk."""
import sys

src, dst = sys.argv[1], sys.argv[2]
data = open(src, "rb").read()
with open(dst, "w") as out:
    out.write("/* Generated from rules/tsb.json by lib/embed-rules.py. */\n")
    out.write("#include <stddef.h>\n\n")
    out.write("const char tsblog_builtin_rules[] = {\n")
    for i in range(0, len(data), 16):
        out.write("\t" + ", ".join("0x%02x" % b for b in data[i:i + 16]) + ",\n")
    out.write("\t0x00\n};\n")
    out.write("const size_t tsblog_builtin_rules_len = %d;\n" % len(data))
