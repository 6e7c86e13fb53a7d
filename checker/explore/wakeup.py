"""Wakeup trees and weak initials (Abdulla et al., JACM 2017, sections 6.1-6.2).

A wakeup tree at a state E is an ordered tree of event sequences that the
explorer must still run from E; its leftmost branch is explored first.  All
tests below are on sequences of ``events.Event`` relative to the same state
E and use one dependency relation ``dep``:

* ``x`` is an *initial* of ``w`` when the first event of x's thread in w is
  x itself (same choice) and nothing before it in w is dependent with it;
* ``x`` is a *weak initial* of ``w`` when it is an initial, or its thread does
  not occur in w and x is independent with every event of w;
* ``u ~ w`` (u and w can be extended to equivalent executions) is decided
  event by event: each event of u must be an initial of what remains of w
  (and is removed from it) or be independent with all of it.

``insert(root, w)`` implements the paper's insertion: find the smallest node
u (in exploration order: post-order, leftmost first) with u ~ w and add
u.w', where w' is what remains of w, as the last child of u.  One deviation:
the paper leaves the tree unchanged when u is a leaf (exploring u freely is
argued to cover w).  That argument assumes the events a thread can take next
have footprints fixed by its local state; a step here runs arbitrary code up
to its next yield (``if flag: break`` then a write, in one step), so its
footprint depends on values read, and differential testing found programs
where the shortcut lost Mazurkiewicz traces.  We extend the leaf instead:
never fewer obligations, and on the generated programs still exactly one
execution per trace.
"""

from __future__ import annotations

from collections.abc import Callable

from .events import Event

Dep = Callable[[Event, Event], bool]


class WakeupNode:
    __slots__ = ("event", "children")

    def __init__(self, event: Event | None = None, children: list[WakeupNode] | None = None):
        self.event = event
        self.children: list[WakeupNode] = children if children is not None else []

    def size(self) -> int:
        return 1 + sum(c.size() for c in self.children)


def _consume(w: list[Event], x: Event, dep: Dep) -> list[Event] | None:
    """What remains of w after u's next event x, or None when u !~ w."""
    for idx, y in enumerate(w):
        if y.thread == x.thread:
            if y.choice != x.choice:
                return None
            for z in w[:idx]:
                if dep(z, y):
                    return None
            return w[:idx] + w[idx + 1 :]
    for y in w:
        if dep(x, y):
            return None
    return w


def weak_initial(x: Event, w: list[Event], dep: Dep) -> bool:
    """Is x a weak initial of w (running x first is compatible with w)?"""
    return _consume(w, x, dep) is not None


def insert(root: WakeupNode, w: list[Event], dep: Dep) -> bool:
    """Insert sequence w into the tree; True when the tree changed."""
    return insert_branch(root, w, dep) is not None


def insert_branch(root: WakeupNode, w: list[Event], dep: Dep) -> WakeupNode | None:
    """Insert sequence w into the tree (as ``insert``) and return the child
    of ``root`` whose subtree changed (a new last child when w starts a
    branch of its own), or None when w was covered and nothing changed.
    A parallel search uses it to tell which branch, possibly being
    explored elsewhere already, an insertion reached."""
    top = None
    node, rest = root, w
    while True:
        for child in node.children:
            remains = _consume(rest, child.event, dep)
            if remains is not None:
                if node is root:
                    top = child
                node, rest = child, remains
                break
        else:
            break
    if not rest:
        return None  # w is a prefix (up to equivalence) of a branch: covered
    # The paper stops at a leaf u ~ w too: exploring u with free choices
    # covers w.  That relies on a process's next event having a footprint
    # independent of the order chosen; our steps run arbitrary code up to
    # the next yield, whose footprint can depend on the values read, and
    # the generated programs showed the shortcut losing traces.  So the rest
    # of w is added under the leaf as well (see module docstring).
    chain = None
    for e in reversed(rest):
        chain = WakeupNode(e, [chain] if chain is not None else [])
    node.children.append(chain)
    return top if top is not None else chain


def flatten(node: WakeupNode) -> list[tuple[int, Event | None]]:
    """The tree as plain data for another process: ``(parent, event)`` in
    pre-order, parent -1 for the root (no recursion, so deep trees pickle)."""
    out: list[tuple[int, Event | None]] = []
    todo: list[tuple[int, WakeupNode]] = [(-1, node)]
    while todo:
        parent, n = todo.pop()
        index = len(out)
        out.append((parent, n.event))
        todo.extend((index, c) for c in reversed(n.children))
    return out


def unflatten(rows: list[tuple[int, Event | None]]) -> WakeupNode:
    """The tree ``flatten`` gave, children in their order."""
    nodes: list[WakeupNode] = []
    for parent, event in rows:
        node = WakeupNode(event)
        if parent >= 0:
            nodes[parent].children.append(node)
        nodes.append(node)
    return nodes[0]
