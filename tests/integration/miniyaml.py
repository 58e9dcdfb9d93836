"""A strict reader for the subset of YAML that action.yml and .github/workflows/*.yml are written in.

The tests read those files with the standard library only (the suite needs no PyYAML), so this
reads exactly what the files use and raises ``YamlError`` (with the line number) on anything
else, rather than guessing:

* block mappings and block sequences (``- item``, ``- key: value`` with more keys aligned under
  it, and sequences at the same indentation as their parent key), indentation by spaces only;
* scalars: plain, 'single-quoted' (``''`` escapes a quote), "double-quoted" (``\\\\ \\" \\n \\t``);
  literal blocks ``|``, ``|-`` and ``|+``; flow sequences of scalars (``[a, 'b']``) and ``[]``/``{}``;
* comments: a ``#`` at the start of a line or after a space, outside quotes and literal blocks.

Every scalar is returned as a ``str`` (``true``, ``1`` too) and an empty value as ``None``; a
duplicate key is an error. Folded blocks (``>``), anchors, aliases, tags, flow mappings, multi-line
plain or quoted scalars and documents markers are refused. When PyYAML is importable,
test_action.py checks that this reader and ``yaml.safe_load`` agree on every file.
"""

import re


class YamlError(ValueError):
    pass


_KEY = re.compile(r"""^(?:'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[^\s'"#\-?:,\[\]{}&*!|>%@`][^#]*?|-[^\s#][^#]*?)\s*:(?:\s|$)""")


def load(text):
    """Parses ``text``; returns dicts, lists, strs and None."""
    return _Parser(text).document()


def load_file(path):
    with open(path, encoding="utf-8") as f:
        return load(f.read())


class _Parser:
    def __init__(self, text):
        self.lines = text.split("\n")
        for n, line in enumerate(self.lines, 1):
            if line.lstrip(" ").startswith("\t"):
                raise YamlError("line %d: a tab in the indentation" % n)
        self.i = 0

    # -- lines -------------------------------------------------------------

    def err(self, msg, line=None):
        return YamlError("line %d: %s" % ((self.i if line is None else line) + 1, msg))

    def blank(self, k):
        s = self.lines[k].strip()
        return s == "" or s.startswith("#")

    def skip_blank(self):
        while self.i < len(self.lines) and self.blank(self.i):
            self.i += 1

    def eof(self):
        return self.i >= len(self.lines)

    def indent(self, k=None):
        line = self.lines[self.i if k is None else k]
        return len(line) - len(line.lstrip(" "))

    # -- structure ---------------------------------------------------------

    def document(self):
        self.skip_blank()
        if self.eof():
            return None
        if self.lines[self.i].startswith(("---", "...", "%")):
            raise self.err("document markers and directives are not supported")
        if self.indent() != 0:
            raise self.err("the document must start at column 1")
        value = self.block(0)
        self.skip_blank()
        if not self.eof():
            raise self.err("unexpected text after the document")
        return value

    def is_seq_item(self, ind):
        content = self.lines[self.i][ind:]
        return content == "-" or content.startswith("- ") or content.startswith("-\t")

    def block(self, ind):
        if self.is_seq_item(ind):
            return self.sequence(ind)
        return self.mapping(ind)

    def mapping(self, ind):
        out = {}
        while True:
            self.skip_blank()
            if self.eof() or self.indent() < ind:
                return out
            if self.indent() > ind:
                raise self.err("unexpected indentation")
            if self.is_seq_item(ind):
                if out:
                    return out  # a compact sequence item of an enclosing sequence
                raise self.err("a sequence item where a mapping key was expected")
            content = self.lines[self.i][ind:]
            m = _KEY.match(content)
            if not m:
                raise self.err("expected 'key: value', got %r" % content.strip())
            raw_key = content[:m.end()].rstrip()
            raw_key = raw_key[:-1].rstrip() if raw_key.endswith(":") else raw_key
            key = self.scalar(raw_key)
            if key in out:
                raise self.err("duplicate key %r" % key)
            rest = content[m.end():]
            line = self.i
            self.i += 1
            out[key] = self.value(rest, ind, line)

    def sequence(self, ind):
        out = []
        while True:
            self.skip_blank()
            if self.eof() or self.indent() < ind:
                return out
            if self.indent() > ind:
                raise self.err("unexpected indentation")
            if not self.is_seq_item(ind):
                return out
            after = self.lines[self.i][ind + 1:]
            body = after.lstrip(" ")
            if body == "" or body.startswith("#"):
                self.i += 1
                self.skip_blank()
                if self.eof() or self.indent() <= ind:
                    out.append(None)
                else:
                    out.append(self.block(self.indent()))
                continue
            sub = ind + 1 + (len(after) - len(body))
            if _KEY.match(body):
                # "- key: value": the item is a mapping whose first key sits at column `sub`
                self.lines[self.i] = " " * sub + body
                out.append(self.mapping(sub))
            else:
                line = self.i
                self.i += 1
                out.append(self.value(body, ind, line))

    def value(self, rest, ind, line):
        text = self.strip_comment(rest, line).strip()
        if text == "":
            self.skip_blank()
            if self.eof():
                return None
            if self.indent() > ind:
                return self.block(self.indent())
            if self.indent() == ind and self.is_seq_item(ind):
                return self.sequence(ind)
            return None
        if text in ("|", "|-", "|+"):
            return self.literal(ind, text[1:], line)
        if text[0] == "[":
            return self.flow_sequence(text, line)
        if text == "{}":
            return {}
        return self.scalar(text, line)

    def literal(self, ind, chomp, line):
        lines = []
        block_ind = None
        while self.i < len(self.lines):
            raw = self.lines[self.i]
            if raw.strip() == "":
                lines.append("")
                self.i += 1
                continue
            n = len(raw) - len(raw.lstrip(" "))
            if block_ind is None:
                if n <= ind:
                    break
                block_ind = n
            if n < block_ind:
                break
            lines.append(raw[block_ind:])
            self.i += 1
        # blank lines after the block belong to whatever follows
        trailing = 0
        while lines and lines[-1] == "":
            lines.pop()
            trailing += 1
        if not lines:
            return ""
        text = "\n".join(lines)
        if chomp == "-":
            return text
        if chomp == "+":
            return text + "\n" * (1 + trailing)
        return text + "\n"

    # -- scalars -----------------------------------------------------------

    def strip_comment(self, s, line):
        quote = None
        k = 0
        while k < len(s):
            c = s[k]
            if quote == '"' and c == "\\":
                k += 2
                continue
            if quote:
                if c == quote:
                    quote = None
            elif c in "'\"" and (k == 0 or s[k - 1] in " \t[,"):
                quote = c
            elif c == "#" and (k == 0 or s[k - 1] in " \t"):
                return s[:k]
            k += 1
        return s

    def scalar(self, text, line=None):
        line = self.i - 1 if line is None else line
        if text[0] == "'":
            if len(text) < 2 or not text.endswith("'") or re.search(r"(?<!')'(?!')", text[1:-1]):
                raise self.err("bad single-quoted scalar %r (multi-line quoted scalars are not supported)" % text, line)
            return text[1:-1].replace("''", "'")
        if text[0] == '"':
            if len(text) < 2 or not text.endswith('"'):
                raise self.err("bad double-quoted scalar %r (multi-line quoted scalars are not supported)" % text, line)
            out, body, k = [], text[1:-1], 0
            esc = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "/": "/"}
            while k < len(body):
                c = body[k]
                if c == "\\":
                    if k + 1 >= len(body) or body[k + 1] not in esc:
                        raise self.err("unsupported escape in %r" % text, line)
                    out.append(esc[body[k + 1]])
                    k += 2
                    continue
                if c == '"':
                    raise self.err("stray quote in %r" % text, line)
                out.append(c)
                k += 1
            return "".join(out)
        if text[0] in "&*!>{%@`|":
            raise self.err("unsupported YAML construct %r (anchors, aliases, tags, folded blocks, "
                           "flow mappings)" % text, line)
        if text.startswith(("- ", "? ")) or ": " in text or text.endswith(":"):
            raise self.err("ambiguous plain scalar %r: quote it" % text, line)
        return text

    def flow_sequence(self, text, line):
        if not text.endswith("]"):
            raise self.err("a flow sequence must close on its line: %r" % text, line)
        inner = text[1:-1].strip()
        if inner == "":
            return []
        items, cur, quote = [], [], None
        for c in inner:
            if quote:
                cur.append(c)
                if c == quote:
                    quote = None
            elif c in "'\"":
                quote = c
                cur.append(c)
            elif c == ",":
                items.append("".join(cur).strip())
                cur = []
            elif c in "[]{}":
                raise self.err("nested flow collections are not supported: %r" % text, line)
            else:
                cur.append(c)
        items.append("".join(cur).strip())
        if any(i == "" for i in items):
            raise self.err("empty item in %r" % text, line)
        return [self.scalar(i, line) for i in items]
