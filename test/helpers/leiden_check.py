"""Checks a Leiden answer of the atlas with networkx (and igraph/leidenalg where Debian has them).

Reads JSON on stdin: {"edges": [[source, target, weight], ...], "membership": {key: community},
"resolution": gamma, "quality": "MODULARITY" | "CPM", "seeds": n, "compareLeidenalg": true | false
(default true)}. Prints JSON: the partition's
modularity by networkx (MODULARITY), the CPM value computed here from networkx's subgraphs (CPM),
whether each community induces a connected subgraph, and the best leidenalg quality over n seeds
(null when leidenalg is not installed or not asked for), on the same scale as the atlas's value.
"""
import json
import sys

import networkx as nx

job = json.load(sys.stdin)
G = nx.Graph()
G.add_nodes_from(job["membership"].keys())
for source, target, weight in job["edges"]:
    G.add_edge(source, target, weight=weight)
groups = {}
for key, community in job["membership"].items():
    groups.setdefault(community, set()).add(key)
communities = list(groups.values())
gamma = job["resolution"]
if job["quality"] == "MODULARITY":
    value = nx.community.modularity(G, communities, weight="weight", resolution=gamma)
else:
    value = sum(
        G.subgraph(c).size(weight="weight") - gamma * len(c) * (len(c) - 1) / 2 for c in communities
    )
connected = all(nx.is_connected(G.subgraph(c)) for c in communities)

best = None
try:
    if not job.get("compareLeidenalg", True):
        raise ImportError("not asked for")
    import igraph as ig
    import leidenalg as la

    nodes = sorted(G.nodes())
    index = {key: i for i, key in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[s], index[t]) for s, t, _ in job["edges"]])
    g.es["weight"] = [w for _, _, w in job["edges"]]
    kind = la.RBConfigurationVertexPartition if job["quality"] == "MODULARITY" else la.CPMVertexPartition
    for seed in range(job["seeds"]):
        p = la.find_partition(g, kind, weights="weight", resolution_parameter=gamma, seed=seed, n_iterations=-1)
        found = [{nodes[i] for i in c} for c in p]
        if job["quality"] == "MODULARITY":
            q = nx.community.modularity(G, found, weight="weight", resolution=gamma)
        else:
            q = p.quality() / 2  # leidenalg sums ordered pairs
        best = q if best is None else max(best, q)
except ImportError:
    pass

print(json.dumps({"value": value, "connected": connected, "communities": len(communities), "leidenalgBest": best}))
