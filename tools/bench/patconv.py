#!/usr/bin/env python3
"""Turn a tsblog rule file into one pattern per line for the baselines.

    patconv.py RULES.json DIALECT OUT [--notes NOTES]

DIALECT is one of:

  pcre  the rule's "match" with %{NAME} macros expanded exactly as
        lib/macro.c does it: what tsblog compiles (naive-pcre2).
  hs    Hyperscan: no captures, no lookaround, no backtracking verbs.
  ere   GNU grep -E (POSIX ERE plus GNU's \\b \\w \\s): no (?:), no lazy
        quantifiers, no lookaround, POSIX bracket expressions.
  rust  ripgrep's default engine (Rust regex): no lookaround, no verbs.

What a dialect cannot express is dropped, and only in ways that can make a
pattern match MORE lines, never fewer:

  (*COMMIT) and other verbs  dropped (they only stop retries at later start
                             positions)
  (?=...) (?!...) lookaround dropped (the pattern then accepts a superset)
  lazy quantifiers *? +? ??  made greedy where the dialect has no lazy ones
                             (whether a line matches does not change)
  named groups (?<n>...)     plain or non-capturing groups

Each pattern that lost something is listed in NOTES (one line each:
"INDEX<TAB>ID<TAB>superset|same lines<TAB>what was dropped"), and for hs
the patterns that may match more lines (a superset) are written as a flag
file OUT.approx (one 0/1 per pattern): hs-scan confirms the candidate
lines of those patterns with PCRE2, so its count stays exact.

For hs the patterns are scanned over the whole buffer, not line by line,
so everything that could match a newline is kept from doing so: negated
classes get \\n added, \\s becomes [^\\S\\n], \\D and \\W likewise.
"""
import json
import sys

WORD = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


class ConvError(Exception):
    pass


# --- %{NAME} expansion, as lib/macro.c expand() ----------------------

def expand(src, patterns, cache, stack=()):
    out = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c == "\\" and i + 1 < n:
            out.append(src[i:i + 2])
            i += 2
            continue
        if not (c == "%" and i + 1 < n and src[i + 1] == "{"):
            out.append(c)
            i += 1
            continue
        start = i
        i += 2
        name0 = i
        while i < n and src[i] in WORD:
            i += 1
        name = src[name0:i]
        field = None
        if i < n and src[i] == ":":
            i += 1
            f0 = i
            while i < n and src[i] in WORD and not (i == f0 and src[i].isdigit()):
                i += 1
            field = src[f0:i]
        if not name or i >= n or src[i] != "}" or field == "":
            raise ConvError("malformed reference at offset %d" % start)
        i += 1
        if name not in patterns:
            raise ConvError("no pattern %r" % name)
        if name in stack:
            raise ConvError("pattern %r refers to itself" % name)
        if name not in cache:
            cache[name] = expand(patterns[name], patterns, cache, stack + (name,))
        out.append(("(?<%s>" % field) if field else "(?:")
        out.append(cache[name])
        out.append(")")
    return "".join(out)


# --- a parser for the PCRE subset rules use --------------------------------
# Nodes: ('lit', ch) ('any',) ('esc', letter) ('class', neg, items)
# ('anchor', '^'|'$') ('group', kind, name, alt) ('look', kind, alt)
# ('verb', name) ('quant', node, min, max, lazy, possessive)
# alt = ('alt', [seq, ...]); seq = [node, ...]
# class items: ('ch', c) ('range', a, b) ('esc', letter) ('posix', name)

ESC_CLASS = set("dDsSwWhHvVN")
ESC_ASSERT = set("bBAzZG")
ESC_CHAR = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "e": "\x1b", "a": "\x07"}


class Parser:
    def __init__(self, s):
        self.s = s
        self.i = 0

    def peek(self, k=0):
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def parse(self):
        alt = self.alt()
        if self.i != len(self.s):
            raise ConvError("unbalanced ) at %d" % self.i)
        return alt

    def alt(self):
        seqs = [self.seq()]
        while self.peek() == "|":
            self.i += 1
            seqs.append(self.seq())
        return ("alt", seqs)

    def seq(self):
        out = []
        while self.i < len(self.s) and self.peek() not in "|)":
            atom = self.atom()
            if atom is None:
                continue
            out.append(self.quant(atom))
        return out

    def quant(self, atom):
        c = self.peek()
        lo = hi = None
        if c == "*":
            lo, hi = 0, None
            self.i += 1
        elif c == "+":
            lo, hi = 1, None
            self.i += 1
        elif c == "?":
            lo, hi = 0, 1
            self.i += 1
        elif c == "{":
            j = self.s.find("}", self.i)
            body = self.s[self.i + 1:j] if j > 0 else ""
            parts = body.split(",")
            if j > 0 and len(parts) <= 2 and parts[0].isdigit() and \
                    (len(parts) == 1 or parts[1] == "" or parts[1].isdigit()):
                lo = int(parts[0])
                hi = lo if len(parts) == 1 else (int(parts[1]) if parts[1] else None)
                self.i = j + 1
            else:
                return atom
        else:
            return atom
        lazy = poss = False
        if self.peek() == "?":
            lazy = True
            self.i += 1
        elif self.peek() == "+":
            poss = True
            self.i += 1
        return ("quant", atom, lo, hi, lazy, poss)

    def atom(self):
        c = self.peek()
        if c == "(":
            return self.group()
        if c == "[":
            return self.cls()
        if c == "\\":
            return self.escape()
        if c == ".":
            self.i += 1
            return ("any",)
        if c in "^$":
            self.i += 1
            return ("anchor", c)
        self.i += 1
        return ("lit", c)

    def escape(self):
        d = self.peek(1)
        if not d:
            raise ConvError("trailing backslash")
        self.i += 2
        if d in ESC_CLASS:
            return ("esc", d)
        if d in ESC_ASSERT:
            return ("assert", d)
        if d in ESC_CHAR:
            return ("lit", ESC_CHAR[d])
        if d == "x":
            if self.peek() == "{":
                j = self.s.index("}", self.i)
                v = int(self.s[self.i + 1:j], 16)
                self.i = j + 1
            else:
                v = int(self.s[self.i:self.i + 2], 16)
                self.i += 2
            return ("lit", chr(v))
        if d.isalnum():
            raise ConvError("unsupported escape \\%s" % d)
        return ("lit", d)

    def group(self):
        s = self.s
        self.i += 1
        kind, name = "cap", None
        if s.startswith("*", self.i):
            j = s.index(")", self.i)
            verb = s[self.i + 1:j]
            self.i = j + 1
            return ("verb", verb)
        if s.startswith("?", self.i):
            rest = s[self.i + 1:]
            if rest.startswith(":"):
                kind = "noncap"
                self.i += 2
            elif rest.startswith("=") or rest.startswith("!"):
                kind = "look" + rest[0]
                self.i += 2
            elif rest.startswith("<=") or rest.startswith("<!"):
                kind = "lookbehind" + rest[1]
                self.i += 3
            elif rest.startswith("<") or rest.startswith("P<") or rest.startswith("'"):
                k = 2 if rest.startswith("<") else 3 if rest.startswith("P<") else 2
                term = ">" if rest[0] != "'" else "'"
                j = s.index(term, self.i + k)
                name = s[self.i + k:j]
                self.i = j + 1
            elif rest.startswith(">"):
                kind = "atomic"
                self.i += 2
            else:
                raise ConvError("unsupported group (?%s" % rest[:3])
        alt = self.alt()
        if self.peek() != ")":
            raise ConvError("missing )")
        self.i += 1
        if kind.startswith("look"):
            return ("look", kind, alt)
        return ("group", kind, name, alt)

    def cls(self):
        s = self.s
        self.i += 1
        neg = False
        if self.peek() == "^":
            neg = True
            self.i += 1
        items = []
        first = True
        while True:
            c = self.peek()
            if c == "":
                raise ConvError("unterminated [")
            if c == "]" and not first:
                self.i += 1
                break
            first = False
            if c == "[" and self.peek(1) == ":":
                j = s.index(":]", self.i)
                items.append(("posix", s[self.i + 2:j]))
                self.i = j + 2
                continue
            ch = self.cls_char()
            if ch[0] == "ch" and self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.i += 1
                hi = self.cls_char()
                if hi[0] != "ch":
                    raise ConvError("bad range")
                items.append(("range", ch[1], hi[1]))
            else:
                items.append(ch)
        return ("class", neg, items)

    def cls_char(self):
        c = self.peek()
        if c != "\\":
            self.i += 1
            return ("ch", c)
        d = self.peek(1)
        self.i += 2
        if d in ESC_CLASS:
            return ("esc", d)
        if d in ESC_CHAR:
            return ("ch", ESC_CHAR[d])
        if d == "x":
            v = int(self.s[self.i:self.i + 2], 16)
            self.i += 2
            return ("ch", chr(v))
        if d.isalnum():
            raise ConvError("unsupported class escape \\%s" % d)
        return ("ch", d)


# --- emitters ---------------------------------------------------------------

class Emitter:
    """Common walk; dialects override what differs."""
    meta = set()            # characters to escape outside classes
    has_lazy = True
    has_noncap = True

    def __init__(self):
        self.dropped = set()

    def run(self, tree):
        return self.alt(tree)

    def alt(self, a):
        return "|".join(self.seq(s) for s in a[1])

    def seq(self, s):
        return "".join(self.node(n) for n in s)

    def node(self, n):
        t = n[0]
        if t == "lit":
            return self.lit(n[1])
        if t == "any":
            return "."
        if t == "anchor":
            return n[1]
        if t == "esc":
            return self.esc(n[1])
        if t == "assert":
            if n[1] not in "bB":
                raise ConvError("unsupported assertion \\%s" % n[1])
            return "\\" + n[1]
        if t == "class":
            return self.cls(n[1], n[2])
        if t == "verb":
            self.dropped.add("(*%s)" % n[1])
            return ""
        if t == "look":
            self.dropped.add("lookaround")
            return ""
        if t == "group":
            inner = self.alt(n[3])
            if n[1] == "atomic":
                self.dropped.add("atomic group")
            return self.group(inner)
        if t == "quant":
            return self.quant(n)
        raise ConvError("node %r" % (t,))

    def group(self, inner):
        return "(?:" + inner + ")" if self.has_noncap else "(" + inner + ")"

    def quant(self, n):
        _, atom, lo, hi, lazy, poss = n
        a = self.node(atom)
        if atom[0] in ("lit",) and len(a) > 1 and not a.startswith("\\"):
            a = self.group(a)
        if atom[0] == "look" or atom[0] == "verb":
            return ""
        if (lo, hi) == (0, None):
            q = "*"
        elif (lo, hi) == (1, None):
            q = "+"
        elif (lo, hi) == (0, 1):
            q = "?"
        elif hi == lo:
            q = "{%d}" % lo
        elif hi is None:
            q = "{%d,}" % lo
        else:
            q = "{%d,%d}" % (lo, hi)
        q = self.brace(q)
        if lazy:
            if self.has_lazy:
                q += "?"
            else:
                self.dropped.add("lazy quantifier")
        if poss:
            self.dropped.add("possessive quantifier")
        return a + q

    def brace(self, q):
        return q

    def lit(self, c):
        if c in self.meta:
            return "\\" + c
        if c == "\t":
            return "\\t"
        if c == "\n":
            return "\\n"
        return c

    def esc(self, d):
        return "\\" + d

    def cls(self, neg, items):
        raise NotImplementedError


def pcre_class_item(it, special):
    k = it[0]
    if k == "ch":
        c = it[1]
        if c in special:
            return "\\" + c
        if c == "\t":
            return "\\t"
        if c == "\n":
            return "\\n"
        return c
    if k == "range":
        return pcre_class_item(("ch", it[1]), special) + "-" + \
            pcre_class_item(("ch", it[2]), special)
    if k == "esc":
        return "\\" + it[1]
    if k == "posix":
        return "[:%s:]" % it[1]
    raise ConvError(k)


class HsEmitter(Emitter):
    meta = set("\\^$.|?*+()[]{}")
    has_lazy = True  # accepted; Hyperscan treats them as greedy

    def quant(self, n):
        if n[4]:
            self.dropped.add("lazy quantifier")
        n = n[:4] + (False, n[5])
        return Emitter.quant(self, n)

    def group(self, inner):
        return "(?:" + inner + ")"

    def esc(self, d):
        # Keep every class from matching the newline between lines.
        if d in "sDW":
            return "[^%s\\n]" % ("\\" + d.swapcase())
        if d == "N":
            return "."
        return "\\" + d

    def cls(self, neg, items):
        special = set("\\]^-[")
        body = []
        for it in items:
            if it[0] == "esc" and not neg and it[1] in "sDW":
                # In a positive class \s would add the newline: spell it
                # out.  (\D and \W in a positive class: not supported.)
                if it[1] != "s":
                    raise ConvError("\\%s inside a class for hs" % it[1])
                body.append(" \\t\\f\\r\\x0b")
                continue
            body.append(pcre_class_item(it, special))
        if neg:
            body.append("\\n")
        return "[" + ("^" if neg else "") + "".join(body) + "]"


class RustEmitter(Emitter):
    meta = set("\\.+*?()|[]{}^$#&-~")
    has_lazy = True

    def group(self, inner):
        return "(?:" + inner + ")"

    def esc(self, d):
        if d == "N":
            return "."
        return "\\" + d

    def cls(self, neg, items):
        special = set("\\]^-[&~")
        return "[" + ("^" if neg else "") + \
            "".join(pcre_class_item(it, special) for it in items) + "]"


POSIX_ESC = {"d": "[:digit:]", "s": "[:space:]", "w": "[:alnum:]_"}


class EreEmitter(Emitter):
    meta = set("\\^$.|?*+()[]{}")
    has_lazy = False
    has_noncap = False

    def lit(self, c):
        if c in self.meta:
            return "\\" + c
        if c == "\n":
            raise ConvError("newline in pattern")
        return c   # a tab is a tab: GNU ERE has no \t

    def esc(self, d):
        if d == "d":
            return "[[:digit:]]"
        if d == "D":
            return "[^[:digit:]]"
        if d in "sSwW":
            return "\\" + d    # GNU extensions
        if d == "N":
            return "."
        raise ConvError("unsupported escape \\%s for ERE" % d)

    def cls(self, neg, items):
        chars, parts = [], []
        has_rbr = has_dash = has_caret = has_lbr = False
        for it in items:
            k = it[0]
            if k == "ch":
                c = it[1]
                if c == "]":
                    has_rbr = True
                elif c == "-":
                    has_dash = True
                elif c == "^":
                    has_caret = True
                elif c == "[":
                    has_lbr = True   # last of the plain chars: "[:" or
                                     # "[." would open a class name
                else:
                    chars.append(c)
            elif k == "range":
                parts.append(it[1] + "-" + it[2])
            elif k == "esc":
                if it[1] in POSIX_ESC:
                    parts.append(POSIX_ESC[it[1]])
                else:
                    raise ConvError("\\%s inside a class for ERE" % it[1])
            elif k == "posix":
                parts.append("[:%s:]" % it[1])
        # "]" first, ranges and classes, plain chars, then "[", "^", "-".
        body = ("]" if has_rbr else "") + "".join(parts) + "".join(chars) + \
            ("[" if has_lbr else "") + ("^" if has_caret else "") + \
            ("-" if has_dash else "")
        if body == "^" and not neg:
            return "\\^"
        return "[" + ("^" if neg else "") + body + "]"


EMITTERS = {"hs": HsEmitter, "ere": EreEmitter, "rust": RustEmitter}


def load_rules(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    pats = doc.get("patterns", {})
    cache = {}
    out = []
    for r in doc["rules"]:
        out.append((r["id"], expand(r["match"], pats, cache)))
    return out


def convert(pattern, dialect):
    """(converted pattern, sorted list of what was dropped)."""
    if dialect == "pcre":
        return pattern, []
    tree = Parser(pattern).parse()
    em = EMITTERS[dialect]()
    return em.run(tree), sorted(em.dropped)


def main(argv):
    args = argv[1:]
    notes_path = None
    if "--notes" in args:
        k = args.index("--notes")
        notes_path = args[k + 1]
        del args[k:k + 2]
    if len(args) != 3 or args[1] not in ("pcre", "hs", "ere", "rust"):
        sys.stderr.write(__doc__)
        return 2
    src, dialect, out_path = args
    rules = load_rules(src)
    notes, approx, lines = [], [], []
    for i, (rid, pat) in enumerate(rules):
        conv, dropped = convert(pat, dialect)
        if "\n" in conv:
            raise ConvError("%s: newline in pattern" % rid)
        lines.append(conv)
        # Greedy for lazy never changes WHETHER a line matches; the rest
        # can only widen the pattern.
        widened = [d for d in dropped if d != "lazy quantifier"]
        approx.append("1" if widened else "0")
        if dropped:
            notes.append("%d\t%s\t%s\t%s" % (
                i, rid, "superset" if widened else "same lines",
                ", ".join(dropped)))
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    if dialect == "hs":
        with open(out_path + ".approx", "w") as f:
            f.write("\n".join(approx) + "\n")
    if notes_path:
        with open(notes_path, "w", encoding="utf-8") as f:
            f.write("".join(n + "\n" for n in notes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
