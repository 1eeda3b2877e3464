/** Figures that several explore pages derive from analysis answers: a row's total, a node's partners. */
import { eurExact, number } from "../dashboard/format.js";
import { type Column, entityColumn, type Neighbour } from "./parts.js";

/** A row's one total (MatrixRow.total: all its projects, in a column or not); 0 when the row is absent. */
export function rowTotal(rows: { key: string; total: number }[], id: string): number {
  return rows.find((r) => r.key === id)?.total ?? 0;
}

type TotalRow = { key: string; total: number; outsideColumns: number };

/** What part of a row's totals has no start year (in no year of a chart), said next to the totals. */
export function outsideText(amounts: TotalRow[], projects: TotalRow[], id: string) {
  const amount = amounts.find((r) => r.key === id)?.outsideColumns ?? 0;
  const count = projects.find((r) => r.key === id)?.outsideColumns ?? 0;
  if (!amount && !count) return null;
  return (
    <p className="outside" data-testid="figure-outside">
      Of these, {number(count)} project{count === 1 ? "" : "s"} ({eurExact(amount)}) have no start date: they
      count in the totals and in no year.
    </p>
  );
}

export function networkNeighbours(
  network: {
    nodes: { key: string; label: string }[];
    edges: { source: string; target: string; weight: number; projects: number; amountEur: number }[];
  },
  id: string,
) {
  const labels = new Map(network.nodes.map((node) => [node.key, node.label]));
  return network.edges
    .filter((edge) => edge.source === id || edge.target === id)
    .map((edge) => {
      const other = edge.source === id ? edge.target : edge.source;
      return {
        id: other,
        label: labels.get(other) ?? other,
        weight: edge.weight,
        projects: edge.projects,
        amountEur: edge.amountEur,
      };
    });
}

export type Partner = Neighbour & { projects: number; amountEur: number };

export const partnerColumns = (unit: string, money: boolean): Column<Partner>[] => [
  entityColumn("Partner"),
  { key: "weight", label: unit, value: (row) => row.weight, numeric: true },
  ...(money
    ? [
        {
          key: "amount",
          label: "EU contributions to both, EUR",
          value: (row: Partner) => row.amountEur,
          numeric: true,
          render: (row: Partner) => eurExact(row.amountEur),
        },
      ]
    : []),
];
