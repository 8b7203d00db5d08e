#!/usr/bin/env python3
"""Finds import cycles between the modules (files) of a crate.

Usage: .ci/module_cycles.py crates/souk-core/src [more crate src dirs...]

Each file is a module; an edge A -> B means A names an item of B (through
`use crate::…`, `use super::…`, or a `crate::…` / `super::…` path in its
code). A parent module declaring a child (`mod x;`) is ownership, not use,
and does not count; a re-export (`pub use`) does count. Exits 1 and prints
each cycle when there is one. Test modules (`#[cfg(test)]` at the end of a
file) are ignored: a test may reach anywhere.
"""
import os
import re
import sys


def modules(src):
    """Module path (tuple) -> file, for every .rs file under src."""
    found = {}
    for root, _, files in os.walk(src):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)[:-3].split(os.sep)
            if rel[-1] in ("mod", "lib", "main"):
                rel = rel[:-1]
            found[tuple(rel)] = path
    return found


def strip(text):
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    cut = re.search(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text)
    return text[: cut.start()] if cut else text


def expand_use(body):
    """`a::{b, c::{d, e}}` -> [a::b, a::c::d, a::c::e] (paths as lists)."""
    body = re.sub(r"\s+", "", body)
    out = []

    def walk(prefix, s):
        depth, start, parts = 0, 0, []
        for i, ch in enumerate(s):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                parts.append(s[start:i])
                start = i + 1
        parts.append(s[start:])
        for part in parts:
            if not part:
                continue
            if "{" in part:
                head, rest = part.split("{", 1)
                walk(prefix + [p for p in head.split("::") if p], rest[:-1])
            else:
                part = part.split(" as ")[0].split("as")[0] if False else re.sub(r"as\w+$", "", part)
                out.append(prefix + [p for p in part.split("::") if p])

    walk([], body)
    return out


REEXPORTS = {}


def reexports(mods):
    """Module -> {name: path} of its `pub use` re-exports."""
    for mod, path in mods.items():
        found = {}
        text = strip(open(path, encoding="utf-8").read())
        for m in re.finditer(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]+);", text):
            for p in expand_use(m.group(1)):
                if p and p[-1] != "*":
                    full = p
                    if full[0] not in ("crate", "super", "self"):
                        full = ["self"] + full
                    found[p[-1]] = full
        REEXPORTS[mod] = found


def resolve(mods, here, path, depth=0):
    """The module a path names (longest known prefix, following `pub use`
    re-exports to where the item is defined), or None."""
    if not path:
        return None
    if path[0] == "crate":
        base, rest = (), path[1:]
    elif path[0] == "super":
        base, rest = here, path
        while rest and rest[0] == "super":
            base, rest = base[:-1], rest[1:]
    elif path[0] == "self":
        base, rest = here, path[1:]
    else:
        return None
    best = None
    for n in range(len(rest), -1, -1):
        candidate = tuple(base) + tuple(rest[:n])
        if candidate in mods:
            best = candidate
            left = rest[n:]
            if left and depth < 8 and left[0] in REEXPORTS.get(candidate, {}):
                again = resolve(mods, candidate, REEXPORTS[candidate][left[0]], depth + 1)
                if again is not None:
                    best = again
            break
    return best


def edges(mods):
    graph = {m: set() for m in mods}
    for mod, path in mods.items():
        text = strip(open(path, encoding="utf-8").read())
        # `mod x;` inside a non-mod.rs file makes children of this module
        paths = []
        for m in re.finditer(r"\buse\s+([^;]+);", text):
            paths.extend(expand_use(m.group(1)))
        for m in re.finditer(r"\b((?:crate|super)(?:::\w+)+)", text):
            paths.append(m.group(1).split("::"))
        for p in paths:
            target = resolve(mods, mod, p)
            if target is None or target == mod:
                continue
            # a module naming its own ancestor's item through the ancestor is
            # still use; naming a descendant declared by it is ownership only
            # when the path is just the child module itself
            graph[mod].add(target)
    return graph


def cycles(graph):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                strong(w)
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

    for v in graph:
        if v not in index:
            strong(v)
    return out


def name(mod):
    return "::".join(mod) or "crate"


def main():
    bad = False
    for src in sys.argv[1:] or ["crates/souk-core/src"]:
        mods = modules(src)
        reexports(mods)
        graph = edges(mods)
        for comp in cycles(graph):
            bad = True
            members = set(comp)
            print(f"{src}: cycle among {len(comp)} modules:")
            for m in sorted(comp):
                inside = sorted(name(t) for t in graph[m] if t in members)
                print(f"  {name(m)} -> {', '.join(inside)}")
        if not bad:
            print(f"{src}: {len(mods)} modules, no import cycles")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
