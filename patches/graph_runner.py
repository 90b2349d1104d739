"""Run Rasa's model graph with a plain in-order executor instead of dask's scheduler.

Rasa 3.6.21 runs its NLU graph for every message and its policy graph for every predicted action
through ``dask.get``: dask orders the graph, builds a scheduler state and executes the tasks one by
one in this thread. For our small graphs (about ten nodes, each needing the one before) that
machinery cost about 14% of the Rasa server's CPU under load (py-spy, `make bench`), more than the
components themselves.

Here the same graph (Rasa's own ``minimal_graph_schema`` for the targets, and Rasa's own task
tuples) is evaluated depth-first: each node runs once, after the nodes it needs, in the same
thread, with the same inputs and the same result. Errors surface exactly as with dask's
synchronous scheduler: the component's exception, and ``GraphRunError`` for a ``RuntimeError``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

from patches import install

_original = DaskGraphRunner.run


def evaluate(graph: Dict[Text, Any], targets: List[Text]) -> Dict[Text, Any]:
    """Evaluate a dask-style graph of Rasa tasks for `targets`; returns {target: result}.

    A task is a tuple whose first item is callable and whose other items are keys of the graph;
    any other value (Rasa's inputs are tuples `(input_name, value)`) is a literal result.
    """
    results: Dict[Text, Any] = {}

    def value_of(key: Text) -> Any:
        if key in results:
            return results[key]
        task = graph[key]
        if isinstance(task, tuple) and task and callable(task[0]):
            result = task[0](*(value_of(dependency) for dependency in task[1:]))
        else:
            result = task
        results[key] = result
        return result

    return {target: value_of(target) for target in targets}


def run(
    self: DaskGraphRunner,
    inputs: Optional[Dict[Text, Any]] = None,
    targets: Optional[List[Text]] = None,
) -> Dict[Text, Any]:
    """Drop-in for `DaskGraphRunner.run` without dask's scheduler."""
    run_targets = targets if targets else self._graph_schema.target_names
    graph = dict(_graph_for(self, tuple(run_targets)))  # a copy: the inputs are added per run
    if inputs:
        self._add_inputs_to_graph(inputs, graph)
    try:
        results = evaluate(graph, list(run_targets))
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e
    # As `dict(dask.get(graph, targets))`: each GraphNode returns (node name, output).
    return dict(results[target] for target in run_targets)


def _graph_for(self: DaskGraphRunner, targets: Tuple[Text, ...]) -> Dict[Text, Any]:
    """The task graph for these targets; built once per runner and target list (the instantiated
    nodes and the schema never change after loading)."""
    cache: Dict[Tuple[Text, ...], Dict[Text, Any]] = self.__dict__.setdefault("_advieslijn_graphs", {})
    graph = cache.get(targets)
    if graph is None:
        graph = self._build_dask_graph(self._graph_schema.minimal_graph_schema(list(targets)))
        cache[targets] = graph
    return graph


def apply() -> None:
    """Install the in-order runner (idempotent; only on the Rasa version the patches target)."""
    install(DaskGraphRunner, "run", run, __name__)


def is_applied() -> bool:
    return DaskGraphRunner.run is run
