"""Reads a dynamic GEXF file with Debian's networkx (networkx.read_gexf) and prints its spells as JSON.

Usage: /usr/bin/python3 read-gexf-spells.py FILE

Prints {"networkx": version, "graph": G.graph's mode, start and end, "nodes": {id: [[start, end], ...]},
"edges": [[source, target, weight, [[start, end], ...]]]}: what Gephi's timeline would play, as networkx
reads it (spells as Python ints under timeformat="integer"). A file networkx cannot read ends the script
with its error on stderr and exit 1.
"""

import json
import sys

import networkx as nx


def spells(data):
    return [[start, end] for start, end in data.get("spells", [])]


def main():
    graph = nx.read_gexf(sys.argv[1])
    out = {
        "networkx": nx.__version__,
        "graph": {k: graph.graph[k] for k in ("mode", "start", "end") if k in graph.graph},
        "nodes": {node: spells(data) for node, data in graph.nodes(data=True)},
        "edges": [[s, t, float(d["weight"]), spells(d)] for s, t, d in graph.edges(data=True)],
    }
    # Spells must come back as numbers (timeformat integer), not as text.
    for node_spells in out["nodes"].values():
        for start, end in node_spells:
            assert isinstance(start, int) and isinstance(end, int), (start, end)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
