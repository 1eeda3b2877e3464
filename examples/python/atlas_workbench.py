#!/usr/bin/env python3
"""Take PerMed Atlas numbers into a notebook: a funding matrix as a pandas table, a network in networkx.

Usage:  python3 atlas_workbench.py [BASE_URL]      (default http://127.0.0.1:4000)

Needs Python 3.9+, pandas and networkx (Debian: apt-get install python3-pandas python3-networkx); the HTTP
calls use the standard library only. With ATLAS_TOKEN set, it is sent as a bearer token (for a server
with ATLAS_READS_REQUIRE_TOKEN=true).

It prints, as JSON on the last line, what a test can check: the matrix's shape and total, the network's
node and edge counts, and the heaviest edge. The total is the sum of the rows' totals (each country's EU
contributions, counted once whatever its topics; a row's total already holds what lies outside the
columns, which the API gives apart as outsideColumns); the sum of the
cells is not a total when topics overlap (a programme part and the programme it belongs to are both
columns of the legal-basis vocabulary), so it is printed apart, and said to be so.
"""

import json
import os
import sys
import urllib.parse
import urllib.request
from decimal import Decimal

import networkx as nx
import pandas as pd

MATRIX_QUERY = """
query Matrix($filters: AnalysisFilters) {
  fundingMatrix(rows: COUNTRY, columns: TOPIC, measure: AMOUNT_EUR, filters: $filters) {
    rows { key label total outsideColumns }
    columns { key label }
    cells { row column value }
  }
}
"""


def _headers(extra=None):
    headers = {"accept": "application/json"}
    token = os.environ.get("ATLAS_TOKEN")
    if token:
        headers["authorization"] = f"Bearer {token}"
    headers.update(extra or {})
    return headers


def graphql(base_url, query, variables=None):
    """POSTs a GraphQL operation to BASE_URL/graphql; returns its data or raises with the API's error."""
    body = json.dumps({"query": query, "variables": variables or {}}).encode("utf-8")
    request = urllib.request.Request(
        f"{base_url}/graphql", data=body, headers=_headers({"content-type": "application/json"})
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = json.load(response)
    if answer.get("errors"):
        error = answer["errors"][0]
        raise RuntimeError(f"{error['message']} ({error.get('extensions', {}).get('code')})")
    return answer["data"]


def funding_matrix(base_url, topic_scheme="LEGAL_BASIS"):
    """The country x topic matrix (EU contributions, EUR) as a DataFrame: one row per country id, one
    column per topic id, zeros included. The API sends each amount as the double nearest its exact cents
    (e.g. 51234.56): pandas sums of floats agree with it to the cent after rounding to 2 decimals; for an
    exact sum add Decimal(str(value)) as main() does."""
    data = graphql(base_url, MATRIX_QUERY, {"filters": {"topicScheme": topic_scheme}})["fundingMatrix"]
    table = pd.DataFrame(0.0, index=[r["key"] for r in data["rows"]], columns=[c["key"] for c in data["columns"]])
    for cell in data["cells"]:
        table.at[cell["row"], cell["column"]] = cell["value"]
    table.index.name = "country"
    return table, data


def network(base_url, level="COUNTRY"):
    """The collaboration network from GET /export/network.graphml, read by networkx (weights as floats)."""
    query = urllib.parse.urlencode({"level": level, "limit": 5000})
    request = urllib.request.Request(f"{base_url}/export/network.graphml?{query}", headers=_headers())
    with urllib.request.urlopen(request, timeout=120) as response:
        return nx.parse_graphml(response.read().decode("utf-8"))


def main():
    base_url = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:4000").rstrip("/")
    table, raw = funding_matrix(base_url)
    print(table.to_string(float_format=lambda value: f"{value:,.2f}"))
    graph = network(base_url)
    heaviest = max(graph.edges(data=True), key=lambda edge: (edge[2].get("weight", 0), edge[0], edge[1]), default=None)
    # Sums in Decimal cents, as the API adds them. A country's row total counts each of its projects once;
    # its cells count a project in every topic it addresses, and legal-basis topics nest.
    total = sum(Decimal(str(row["total"])) for row in raw["rows"])
    cells = sum(Decimal(str(cell["value"])) for cell in raw["cells"])
    print(
        json.dumps(
            {
                "rows": int(table.shape[0]),
                "columns": int(table.shape[1]),
                "total": str(total),
                "sumOfCells": str(cells),
                "sumOfCellsNote": "not a total: a project is in every column it addresses, and topics may nest",
                "nodes": graph.number_of_nodes(),
                "edges": graph.number_of_edges(),
                "heaviest": None
                if heaviest is None
                else {"source": heaviest[0], "target": heaviest[1], "weight": heaviest[2].get("weight")},
            }
        )
    )


if __name__ == "__main__":
    main()
