"""The state-space graph of a small model: every distinct state reachable
from the scenario's start, and the transitions between them.

Exploration is breadth first over *states*, not executions: a state is
``Execution.state_key()`` (plus the failure, if the step that reached it
failed), and an execution for it is obtained by replaying one schedule that
reaches it (``ScenarioSpace.new()`` then ``step`` for each choice; the
runtime cannot copy a running execution).  So the graph is exact: two
schedules meet in one node exactly when the runtime says their states are
equal.  Node ids are integers in breadth-first order (0 is the start), so
``depth`` is the length of a shortest schedule to the state.

Node attributes: ``depth``, ``schedule`` (text form, replayable with
``--replay``), ``clock``, ``state`` (the shared objects, as the report
prints them), ``threads`` (each thread's line, see ``thread_positions``), ``output`` (printed so far), ``initial``, ``final`` (every
thread finished, no failure), ``failing``, ``deadlock``, ``failure``
(summary or ""), ``on_path`` (on the highlighted counterexample path).
Edge attributes: ``label`` ("thread: operation"; several when different
choices lead between the same two states), ``thread``, ``choice``,
``on_path``.

Above ``max_states`` exploration stops and ``complete`` is False; above
``cap`` states the graph is not drawn (``too_big``) but its data can still be
written (GraphML, JSON node-link).  A model whose states cannot be keyed
(``state_key()`` returns None) yields an empty graph with ``note`` saying so.
"""

from __future__ import annotations

import itertools
import json
import os
from collections import deque
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from ...check.checking import ScenarioSpace
from ...program.scenario import Scenario
from ...runtime.execution import Execution
from ...runtime.schedule import Choice, encode
from ...runtime.trace import TraceEvent
from ..events import access_lines, operation_text
from ...atomic import write_atomic
from .export import node_link_json, plain_graph

DEFAULT_CAP = 500
DEFAULT_MAX_STATES = 20_000


class GraphTooBig(Exception):
    """Drawing was asked for a graph above its cap."""


@dataclass
class StateSpace:
    """An explored state space: ``graph`` plus how complete it is."""

    graph: nx.DiGraph
    cap: int
    complete: bool
    note: str = ""

    @property
    def states(self) -> int:
        return self.graph.number_of_nodes()

    @property
    def transitions(self) -> int:
        return sum(len(d["choices"]) for _, _, d in self.graph.edges(data=True))

    @property
    def too_big(self) -> bool:
        """True when the graph has more states than ``cap``: not drawn."""
        return self.states > self.cap

    def describe(self) -> str:
        more = "" if self.complete else " (exploration stopped early: " + self.note + ")"
        return f"{self.states} states, {self.transitions} transitions{more}"

    def digraph(self, title: str | None = None):
        """The drawing (``state_render.state_digraph``); raises
        ``GraphTooBig`` above the cap."""
        if self.too_big:
            raise GraphTooBig(f"{self.describe()}: above the drawing cap of {self.cap} states")
        from .state_render import state_digraph

        return state_digraph(self, title=title)

    def write_graphml(self, path: str | os.PathLike[str]) -> Path:
        """GraphML (atomically); tuples become newline-joined strings."""
        import io

        buf = io.BytesIO()
        nx.write_graphml(plain_graph(self.graph), buf)
        return write_atomic(path, buf.getvalue())

    def write_json(self, path: str | os.PathLike[str]) -> Path:
        """networkx node-link JSON (atomically)."""
        return write_atomic(path, json.dumps(node_link_json(self.graph), indent=1, default=str) + "\n")

    def save(self, path: str | os.PathLike[str], format: str | None = None, *,
             title: str | None = None) -> Path | str:
        """Write by suffix: .graphml, .json, or a drawing (.svg/.png/.dot,
        see ``save.save_digraph``) titled ``title``.  A drawing above the cap
        is not made: the returned line says so."""
        suffix = Path(path).suffix.lower()
        if format is None and suffix == ".graphml":
            return self.write_graphml(path)
        if format is None and suffix == ".json":
            return self.write_json(path)
        if self.too_big:
            return f"state graph not drawn: {self.describe()}, above the cap of {self.cap} states"
        from .save import save_digraph

        return save_digraph(self.digraph(title=title), path, format)


def state_space_graph(
    scenario: Scenario,
    params: Mapping[str, Any] | None = None,
    timing: str | None = None,
    cap: int = DEFAULT_CAP,
    *,
    schedule: tuple[Choice, ...] | None = None,
    max_states: int = DEFAULT_MAX_STATES,
) -> StateSpace:
    """Explore every state of ``scenario`` (``params`` override its
    defaults; ``timing`` defaults to the scenario's).  ``schedule``, when
    given, is the counterexample path to highlight; otherwise a shortest
    path to a failing state is highlighted, if there is one."""
    space = ScenarioSpace(scenario, scenario.bind(params or {}), timing or scenario.timing)
    explorer = _Explorer(space, max(max_states, cap + 1))
    explorer.run()
    result = StateSpace(explorer.graph, cap, explorer.complete, explorer.note)
    _highlight(result.graph, schedule)
    return result


# ----------------------------------------------------------------------
class _Unkeyable(Exception):
    pass


class _Explorer:
    def __init__(self, space: ScenarioSpace, max_states: int):
        self.space = space
        self.max_states = max_states
        self.graph = nx.DiGraph()
        self.ids: dict[Hashable, int] = {}
        self.complete = True
        self.note = ""

    def run(self) -> None:
        root = self.space.new()
        try:
            self._add(self._key(root), root, ())
            queue: deque[tuple[int, tuple[Choice, ...]]] = deque([(0, ())])
            while queue:
                node, schedule = queue.popleft()
                base = self._replay(schedule)
                for k, choice in enumerate(base.available()):
                    child = base if k == 0 else self._replay(schedule)  # stepping consumes an execution
                    event = child.step(choice)
                    key = self._key(child)
                    target = self.ids.get(key)
                    if target is None:
                        if len(self.ids) >= self.max_states:
                            self.complete = False
                            self.note = f"more than {self.max_states} states"
                            continue
                        target = self._add(key, child, schedule + (choice,))
                        queue.append((target, schedule + (choice,)))
                    self._connect(node, target, choice, event)
        except _Unkeyable:
            self.graph.clear()
            self.complete = False
            self.note = "the model's state cannot be keyed (state_key() is None), so states cannot be merged"

    def _replay(self, schedule: tuple[Choice, ...]) -> Execution:
        ex = self.space.new()
        for choice in schedule:
            ex.step(choice)
        return ex

    def _key(self, ex: Execution) -> Hashable:
        key = ex.state_key()
        if key is None:
            raise _Unkeyable()
        return (key, ex.failure.summary() if ex.failure is not None else None)

    def _add(self, key: Hashable, ex: Execution, schedule: tuple[Choice, ...]) -> int:
        node = len(self.ids)
        self.ids[key] = node
        outcome = ex.outcome()
        failure = ex.failure
        self.graph.add_node(
            node, depth=len(schedule), schedule=encode(schedule), clock=ex.now, state=outcome.describe_state(),
            threads=thread_positions(ex),
            output=outcome.output, initial=node == 0, final=ex.done and failure is None,
            failing=failure is not None, deadlock=failure is not None and failure.kind == "deadlock",
            failure=failure.summary() if failure is not None else "", on_path=False,
        )
        return node

    def _connect(self, src: int, dst: int, choice: Choice, event: TraceEvent) -> None:
        label = transition_label(event)
        if self.graph.has_edge(src, dst):
            data = self.graph.edges[src, dst]
            data["choices"] = data["choices"] + (choice,)
            if label not in data["labels"]:
                data["labels"] = data["labels"] + (label,)
                data["label"] = "\n".join(data["labels"])
            return
        self.graph.add_edge(src, dst, label=label, labels=(label,), thread=event.thread_name,
                            choice=f"{choice[0]}/{choice[1]}", choices=(choice,), on_path=False)


def transition_label(ev: TraceEvent) -> str:
    """"thread: operation" -- the operation the step completed and its
    effects on shared state (at most two), e.g. "t: lock.acquire() -> True",
    "t: write counter.value = 1, lock.release()", "s: ends"."""
    if ev.is_tick:
        return ev.operation
    parts = [operation_text(ev)] if operation_text(ev) else []
    effects = access_lines(ev)
    parts += effects[:2] + (["..."] if len(effects) > 2 else [])
    if ev.raised:
        parts.append(f"raises {ev.raised.split(':')[0]}")
    elif not parts:
        parts.append("ends" if ev.finished else ("starts" if ev.operation == "start" else "local step"))
    return f"{ev.thread_name}: {', '.join(parts)}"


def thread_positions(ex: Execution) -> str:
    """Where each thread is, from the execution's trace: "t 20" (stopped
    before line 20), "t done", "t -" (not run yet); joined by " \u00b7 "."""
    last: dict[int, TraceEvent] = {}
    for ev in ex.trace.events:
        last[ev.thread] = ev
    out = []
    for index, name in enumerate(ex.trace.threads):
        ev = last.get(index)
        where = "-" if ev is None else ("done" if ev.finished else str(ev.end_line or "?"))
        out.append(f"{name} {where}")
    return " \u00b7 ".join(out)


def _highlight(g: nx.DiGraph, schedule: tuple[Choice, ...] | None) -> None:
    """Mark the nodes and edges of the path to highlight (see
    ``state_space_graph``)."""
    if g.number_of_nodes() == 0:
        return
    path = [0]
    if schedule is not None:
        for choice in schedule:
            nxt = [v for v in g.successors(path[-1]) if choice in g.edges[path[-1], v]["choices"]]
            if not nxt:
                break
            path.append(nxt[0])
    else:
        failing = [n for n, d in g.nodes(data=True) if d["failing"]]
        if not failing:
            return
        target = min(failing, key=lambda n: (g.nodes[n]["depth"], n))
        path = nx.shortest_path(g, 0, target)
    for n in path:
        g.nodes[n]["on_path"] = True
    for u, v in itertools.pairwise(path):
        g.edges[u, v]["on_path"] = True
