#!/usr/bin/python3
"""The objects of lib/ call each other without a cycle.

Reads `nm` of each member of the (build tree's) static archive: a member
that leaves a symbol undefined which another member defines calls into
it.  Fails naming every cycle found, one per strongly connected group.
"""
import re
import subprocess
import sys


def graph(archive):
    defined, used = {}, {}
    out = subprocess.run(["nm", "-A", archive], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        # archive:member.o:0000000000000000 T name  or  archive:member.o:  U name
        m = re.match(r".*?:([^:]+)\.o:\s*(?:[0-9a-f]+\s+)?(\w)\s+(\S+)$", line)
        if not m:
            continue
        obj, kind, sym = re.sub(r"^.*?([^_/]+\.c)$", r"\1", m[1]), m[2], m[3]
        used.setdefault(obj, set())
        if kind == "U":
            used[obj].add(sym)
        elif kind.isupper():
            defined[sym] = obj
    return {o: {defined[s] for s in syms if defined.get(s, o) != o}
            for o, syms in used.items()}


def cycles(g):
    """Tarjan's strongly connected components with more than one node."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(g[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def path(g, comp):
    """One cycle through the component, as a -> b -> ... -> a."""
    start, inside = sorted(comp)[0], set(comp)
    prev, todo = {start: None}, [start]
    while todo:
        v = todo.pop(0)
        for w in sorted(g[v] & inside):
            if w == start:
                p = [v]
                while prev[p[-1]]:
                    p.append(prev[p[-1]])
                return " -> ".join([start] + p[::-1][1:] + [start]) \
                    if len(p) > 1 else "%s -> %s" % (start, start)
            if w not in prev:
                prev[w] = v
                todo.append(w)
    return " -> ".join(comp)


def main():
    g = graph(sys.argv[1])
    if len(g) < 2:
        sys.exit("check-cycles: no objects read from %s" % sys.argv[1])
    found = cycles(g)
    for comp in found:
        print("check-cycles: %s call each other, e.g. %s"
              % (" ".join(sorted(comp)), path(g, comp)))
    if found:
        sys.exit(1)
    print("check-cycles: %d objects, %d calls between them, no cycle"
          % (len(g), sum(len(e) for e in g.values())))


main()
