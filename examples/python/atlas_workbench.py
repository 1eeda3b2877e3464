#!/usr/bin/python3
"""Take PerMed Atlas numbers into a notebook: a funding matrix as a pandas table, a network in networkx.

Usage:  /usr/bin/python3 atlas_workbench.py [BASE_URL]      (default http://127.0.0.1:4000)

Runs with Debian's Python 3 and its packages: apt-get install python3-pandas python3-networkx (Debian 12:
pandas 1.5, networkx 2.8). Another python3 on the PATH (pyenv, conda) usually lacks them: the script then
says which interpreter ran it. The HTTP calls use the standard library only. With ATLAS_TOKEN set, it is
sent as a bearer token (for a server with ATLAS_READS_REQUIRE_TOKEN=true).

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
import tempfile
import urllib.parse
import urllib.request
from decimal import Decimal

try:
    import networkx as nx
    import pandas as pd
except ModuleNotFoundError as missing:
    sys.exit(
        f"{missing.name} is not installed for {sys.executable}. This example runs with Debian's Python: "
        "apt-get install python3-pandas python3-networkx, then /usr/bin/python3 " + " ".join(sys.argv)
    )

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
    """The whole collaboration network from GET /export/network.gexf (GEXF 1.2), read by networkx.read_gexf:
    nodes by id with label, kind, weight and metrics; edges with weight (shared projects, float), projects and
    amountEur. The file is the whole network unless it has more than 5,000 edges; a cut file says so
    (X-Atlas-Truncated header, and a comment in the file), which is printed to stderr."""
    query = urllib.parse.urlencode({"level": level})
    request = urllib.request.Request(f"{base_url}/export/network.gexf?{query}", headers=_headers())
    with urllib.request.urlopen(request, timeout=120) as response:
        truncated = response.headers.get("X-Atlas-Truncated", "false")
        body = response.read()
    if truncated != "false":
        print(f"warning: the network file was cut ({truncated})", file=sys.stderr)
    # read_gexf reads a path or a binary file: the answer goes through a temporary file, as a download would.
    with tempfile.NamedTemporaryFile(suffix=".gexf") as file:
        file.write(body)
        file.flush()
        return nx.read_gexf(file.name)


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
