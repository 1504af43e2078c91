"""Write `src/casework/render/static/snowball.js`: the Snowball stemmers the server runs
(the `snowballstemmer` package's generated Python, pinned in pyproject.toml), translated
statement by statement into JavaScript, so that the static site's search stems a query word
exactly as `casework.search_words` stems it.

Why a translation and not another JavaScript port: the npm ports are of older Snowball
releases (one tested here disagreed with the server on 38 of 29,417 English words and 112 of
20,805 French ones); this runs the very program the server runs. The translator knows only
the constructs the generated code uses and refuses any other (an unknown node is an error,
not a guess), and `tests/publish/test_snowball_js.py` stems Snowball's own test vocabularies
and the demo tracker's words with both.

    /work/main/.venv/bin/python scripts/snowball_to_js.py
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import snowballstemmer

LANGUAGES = ("english", "spanish", "french")
HEADER = """\
// Snowball stemmers ({languages}), translated by scripts/snowball_to_js.py from the Python
// that Snowball {version} generated (the snowballstemmer package casework stems with on the
// server). Do not edit: run the script again.
//
// The Snowball licence, under which this file is distributed:
//
{licence}
"""


class Unsupported(Exception):
    pass


class Translator:
    def __init__(self) -> None:
        self.statics: set[str] = set()
        self.cls = ""

    # --- module and classes ---------------------------------------------------------------
    def module(self, tree: ast.Module) -> list[str]:
        out: list[str] = []
        for node in tree.body:
            if isinstance(node, ast.ImportFrom):
                continue
            if isinstance(node, ast.ClassDef):
                if node.name.startswith("lab"):
                    continue  # the labels `raise` jumps to: a labelled block in JavaScript
                out += self.class_def(node)
                continue
            raise Unsupported(ast.dump(node)[:200])
        return out

    def class_def(self, node: ast.ClassDef) -> list[str]:
        self.cls = node.name
        base = f" extends {node.bases[0].id}" if node.bases else ""  # type: ignore[attr-defined]
        out = [f"class {node.name}{base} {{"]
        self.statics = set()
        for item in node.body:
            if isinstance(item, ast.Assign):
                (target,) = item.targets
                assert isinstance(target, ast.Name)
                value = item.value
                if isinstance(value, ast.Constant) and isinstance(value.value, bool | int):
                    out.append(f"  {target.id} = {self.expr(value)};")  # per instance
                else:
                    self.statics.add(target.id)
                    out.append(f"  static {target.id} = {self.expr(value)};")
            elif isinstance(item, ast.FunctionDef):
                if item.name in ("stemWords", "copy_from"):
                    continue  # unused here
                out += self.function(item)
            elif _docstring(item):
                continue
            else:
                raise Unsupported(ast.dump(item)[:200])
        out.append("}")
        return out

    def function(self, node: ast.FunctionDef) -> list[str]:
        args = [a.arg for a in node.args.args if a.arg != "self"]
        defaults = node.args.defaults
        params = []
        for i, name in enumerate(args):
            at = i - (len(args) - len(defaults))
            params.append(f"{name} = {self.expr(defaults[at])}" if at >= 0 else name)
        name = "constructor" if node.name == "__init__" else node.name
        out = [f"  {name}({', '.join(params)}) {{"]
        if name == "constructor" and self.cls != "Among" and self.cls != "BaseStemmer":
            out.append("    super();")
        local = sorted(
            {
                t.id
                for n in ast.walk(node)
                if isinstance(n, ast.Assign | ast.AugAssign | ast.For)
                for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
                if isinstance(t, ast.Name)
            }
            - set(args)
        )
        if local:
            out.append(f"    let {', '.join(local)};")
        out += self.block(node.body, 2)
        out.append("  }")
        return out

    # --- statements -----------------------------------------------------------------------
    def block(self, body: list[ast.stmt], depth: int) -> list[str]:
        out: list[str] = []
        for node in body:
            out += self.stmt(node, depth)
        return out

    def stmt(self, node: ast.stmt, depth: int) -> list[str]:
        pad = "  " * depth
        if _docstring(node) or isinstance(node, ast.Pass | ast.Assert):
            return []
        if isinstance(node, ast.Expr):
            return [f"{pad}{self.expr(node.value)};"]
        if isinstance(node, ast.Assign):
            (target,) = node.targets
            return [f"{pad}{self.expr(target)} = {self.expr(node.value)};"]
        if isinstance(node, ast.AugAssign):
            op = {ast.Add: "+=", ast.Sub: "-="}[type(node.op)]
            return [f"{pad}{self.expr(node.target)} {op} {self.expr(node.value)};"]
        if isinstance(node, ast.Return):
            return [f"{pad}return{'' if node.value is None else ' ' + self.expr(node.value)};"]
        if isinstance(node, ast.Break):
            return [f"{pad}break;"]
        if isinstance(node, ast.Continue):
            return [f"{pad}continue;"]
        if isinstance(node, ast.Raise):
            call = node.exc
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
                if call.func.id.startswith("lab") and not call.args:
                    return [f"{pad}break {call.func.id};"]
            raise Unsupported(ast.dump(node)[:200])
        if isinstance(node, ast.If):
            out = [f"{pad}if ({self.expr(node.test)}) {{", *self.block(node.body, depth + 1)]
            rest = node.orelse
            while len(rest) == 1 and isinstance(rest[0], ast.If):
                out += [f"{pad}}} else if ({self.expr(rest[0].test)}) {{"]
                out += self.block(rest[0].body, depth + 1)
                rest = rest[0].orelse
            if rest:
                out += [f"{pad}}} else {{", *self.block(rest, depth + 1)]
            return [*out, f"{pad}}}"]
        if isinstance(node, ast.While):
            if node.orelse:
                raise Unsupported("while … else")
            head = f"{pad}while ({self.expr(node.test)}) {{"
            return [head, *self.block(node.body, depth + 1), f"{pad}}}"]
        if isinstance(node, ast.For):
            return self.for_range(node, depth)
        if isinstance(node, ast.Try):
            (handler,) = node.handlers
            if node.orelse or node.finalbody or not isinstance(handler.type, ast.Name):
                raise Unsupported(ast.dump(node)[:200])
            if not all(isinstance(s, ast.Pass) for s in handler.body):
                raise Unsupported("a handler that does something")
            label = handler.type.id
            return [f"{pad}{label}: {{", *self.block(node.body, depth + 1), f"{pad}}}"]
        raise Unsupported(ast.dump(node)[:200])

    def for_range(self, node: ast.For, depth: int) -> list[str]:
        pad = "  " * depth
        call = node.iter
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id == "range"
            and isinstance(node.target, ast.Name)
            and not node.orelse
        ):
            raise Unsupported(ast.dump(node)[:200])
        name = node.target.id
        args = [self.expr(a) for a in call.args]
        start, stop, step = (["0", *args, "1"] if len(args) == 1 else [*args, "1"])[:3]
        if len(args) == 3:
            start, stop, step = args
        # range() evaluates its bounds once: so does this.
        negative = step.startswith("-")
        test = f"{name} > __stop" if negative else f"{name} < __stop"
        return [
            f"{pad}for (let {name} = {start}, __stop = {stop}; {test}; {name} += {step}) {{",
            *self.block(node.body, depth + 1),
            f"{pad}}}",
        ]

    # --- expressions ----------------------------------------------------------------------
    def expr(self, node: ast.expr) -> str:  # one case per node kind
        if isinstance(node, ast.Constant):
            if node.value is True:
                return "true"
            if node.value is False:
                return "false"
            if node.value is None:
                return "null"
            if isinstance(node.value, str):
                return json.dumps(node.value)
            if isinstance(node.value, int):
                return str(node.value)
            raise Unsupported(repr(node.value))
        if isinstance(node, ast.Name):
            return "this" if node.id == "self" else node.id
        if isinstance(node, ast.Attribute):
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id == "self" and node.attr in self.statics:
                return f"{self.cls}.{node.attr}"
            return f"{self.expr(owner)}.{node.attr}"
        if isinstance(node, ast.List | ast.Tuple):
            items = ", ".join(self.expr(e) for e in node.elts)
            return f"[{items}]"
        if isinstance(node, ast.Set):
            return "new Set([" + ", ".join(self.expr(e) for e in node.elts) + "])"
        if isinstance(node, ast.UnaryOp):
            op = {ast.Not: "!", ast.USub: "-"}[type(node.op)]
            operand = self.expr(node.operand)
            return f"!({operand})" if op == "!" else f"-{operand}"
        if isinstance(node, ast.BinOp):
            op = {ast.Add: "+", ast.Sub: "-", ast.RShift: ">>"}[type(node.op)]
            return f"({self.expr(node.left)} {op} {self.expr(node.right)})"
        if isinstance(node, ast.BoolOp):
            op = {ast.And: " && ", ast.Or: " || "}[type(node.op)]
            return "(" + op.join(self.expr(v) for v in node.values) + ")"
        if isinstance(node, ast.Compare):
            if len(node.ops) != 1:
                raise Unsupported("chained comparison")
            left, right, op = node.left, node.comparators[0], node.ops[0]
            if isinstance(op, ast.In):
                return f"__in({self.expr(left)}, {self.expr(right)})"
            if isinstance(op, ast.NotIn):
                return f"!__in({self.expr(left)}, {self.expr(right)})"
            if isinstance(op, ast.Is | ast.IsNot):
                if not (isinstance(right, ast.Constant) and right.value is None):
                    raise Unsupported("is with something else than None")
                return f"({self.expr(left)} {'==' if isinstance(op, ast.Is) else '!='} null)"
            symbol = {
                ast.Eq: "===",
                ast.NotEq: "!==",
                ast.Lt: "<",
                ast.LtE: "<=",
                ast.Gt: ">",
                ast.GtE: ">=",
            }[type(op)]
            return f"({self.expr(left)} {symbol} {self.expr(right)})"
        if isinstance(node, ast.Subscript):
            value = self.expr(node.value)
            if isinstance(node.slice, ast.Slice):
                if node.slice.step is not None:
                    raise Unsupported("slice step")
                lower = "0" if node.slice.lower is None else self.expr(node.slice.lower)
                if node.slice.upper is None:
                    return f"{value}.slice({lower})"
                return f"{value}.slice({lower}, {self.expr(node.slice.upper)})"
            return f"{value}[{self.expr(node.slice)}]"
        if isinstance(node, ast.Call):
            return self.call(node)
        raise Unsupported(ast.dump(node)[:200])

    def call(self, node: ast.Call) -> str:
        if node.keywords:
            raise Unsupported("keyword arguments")
        args = [self.expr(a) for a in node.args]
        func = node.func
        if isinstance(func, ast.Name):
            if func.id == "len":
                return f"{args[0]}.length"
            if func.id == "ord":
                return f"{args[0]}.charCodeAt(0)"
            if func.id == "min":
                return f"Math.min({', '.join(args)})"
            if func.id == "Among":
                return f"new Among({', '.join(args)})"
            raise Unsupported(f"call of {func.id}")
        if isinstance(func, ast.Attribute):
            if func.attr in ("startswith", "endswith"):
                return f"__{func.attr}({self.expr(func.value)}, {', '.join(args)})"
            if func.attr == "method":  # an Among's routine, called on the stemmer
                return f"{self.expr(func)}.call({', '.join(args)})"
            return f"{self.expr(func)}({', '.join(args)})"
        raise Unsupported(ast.dump(node)[:200])


def _docstring(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


HELPERS = """\
// Python's `x in s` for a one-character string in a set or a string of characters.
function __in(x, s) { return s instanceof Set ? s.has(x) : s.includes(x); }
// Python's str.startswith(s, start, end) and str.endswith(s, start, end).
function __startswith(text, s, start, end) {
  return start + s.length <= end && text.startsWith(s, start);
}
function __endswith(text, s, start, end) {
  return end - s.length >= start && text.slice(end - s.length, end) === s;
}
"""

FOOTER = """\
const STEMMERS = {{ {table} }};
const made = {{}};
// The stem of one lower-cased word: as casework.search_words._stem before its fold.
function snowballStem(language, word) {{
  const Made = STEMMERS[language];
  if (!Made) throw new Error("no stemmer for " + language);
  const stemmer = made[language] || (made[language] = new Made());
  return stemmer.stemWord(word);
}}
if (typeof module !== "undefined") module.exports = {{ snowballStem }};
else globalThis.snowballStem = snowballStem;
"""


OUT = Path(__file__).resolve().parent.parent / "src/casework/render/static/snowball.js"


def translate() -> str:
    """snowball.js's text, from the installed snowballstemmer."""
    package = Path(snowballstemmer.__file__).parent
    translator = Translator()
    parts = ["(function () {", '"use strict";', HELPERS]
    for name in ("among", "basestemmer"):
        parts += translator.module(ast.parse((package / f"{name}.py").read_text()))
    classes = {}
    for language in LANGUAGES:
        source = (package / f"{language}_stemmer.py").read_text()
        tree = ast.parse(source)
        parts += translator.module(tree)
        classes[language] = translator.cls
    table = ", ".join(f"{language}: {cls}" for language, cls in classes.items())
    parts += [FOOTER.format(table=table), "})();"]
    dist = next(package.parent.glob("snowballstemmer-*.dist-info"))
    licence = (dist / "licenses" / "COPYING").read_text()
    version = source.splitlines()[0].split("by Snowball ")[1].split(" ")[0]
    header = HEADER.format(
        languages=", ".join(LANGUAGES),
        version=version,
        licence="\n".join(("// " + line).rstrip() for line in licence.splitlines()),
    )
    return header + "\n".join(parts) + "\n"


def main() -> None:
    OUT.write_text(translate())
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
