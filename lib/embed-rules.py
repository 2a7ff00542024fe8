#!/usr/bin/env python3
"""Write a C source holding the bundled rule files' bytes, in catalog
order, so the bundled catalog works with no file on disk.

Usage: embed-rules.py RULES.json... OUT.c"""
import os
import sys

*srcs, dst = sys.argv[1:]
with open(dst, "w") as out:
    out.write("/* Generated from the rules/ files by lib/embed-rules.py. */\n")
    out.write("#include <stddef.h>\n")
    out.write('#include "tsblog-private.h"\n\n')
    for n, src in enumerate(srcs):
        data = open(src, "rb").read()
        out.write("static const char rules%d[] = {\n" % n)
        for i in range(0, len(data), 16):
            out.write("\t" + ", ".join("0x%02x" % b for b in data[i:i + 16]) + ",\n")
        out.write("\t0x00\n};\n")
    out.write("const builtin_rule_file tsblog_builtin_files[] = {\n")
    for n, src in enumerate(srcs):
        out.write('\t{ "builtin:%s", rules%d, sizeof(rules%d) - 1 },\n'
                  % (os.path.basename(src), n, n))
    out.write("};\n")
    out.write("const size_t tsblog_builtin_nfiles = %d;\n" % len(srcs))
