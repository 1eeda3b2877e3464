"""Reads a network file as an analyst would, with Debian's networkx and pandas, and prints what it holds as JSON.

Usage: /usr/bin/python3 read-network.py graphml|gexf|csv FILE

GraphML with networkx.read_graphml, GEXF with networkx.read_gexf, CSV with pandas.read_csv and
networkx.from_pandas_edgelist. Prints {"networkx": version, "nodes": [ids], "edges": [[source, target,
weight]], "graph": G.graph (GraphML, GEXF), "columns": [...] and "cut": the cut column's distinct values
(CSV)}; a file networkx cannot read ends the script with its error on stderr and exit 1.
"""

import json
import sys

import networkx as nx
import pandas as pd


def main():
    kind, path = sys.argv[1], sys.argv[2]
    out = {"networkx": nx.__version__}
    if kind == "csv":
        table = pd.read_csv(path)
        graph = nx.from_pandas_edgelist(table, "Source", "Target", edge_attr=["Weight"])
        out["columns"] = list(table.columns)
        out["cut"] = sorted(table["cut"].dropna().unique().tolist()) if "cut" in table.columns else []
        edges = [[s, t, float(d["Weight"])] for s, t, d in graph.edges(data=True)]
    else:
        graph = nx.read_graphml(path) if kind == "graphml" else nx.read_gexf(path)
        out["graph"] = {k: v for k, v in graph.graph.items() if isinstance(v, (str, int, float))}
        edges = [[s, t, float(d["weight"])] for s, t, d in graph.edges(data=True)]
    out["nodes"] = sorted(graph.nodes())
    out["edges"] = edges
    print(json.dumps(out))


if __name__ == "__main__":
    main()
