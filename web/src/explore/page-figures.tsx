/** Figures that several explore pages derive from analysis answers: a row's total, a node's partners. */
import { eurExact } from "../dashboard/format.js";
import { type Column, EntityLink, type Neighbour } from "./parts.js";
import { cents } from "./where.js";

export function rowTotal(rows: { key: string; total: number; outsideColumns: number }[], id: string): number {
  const row = rows.find((r) => r.key === id);
  return row ? (cents(row.total) + cents(row.outsideColumns)) / 100 : 0;
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
  {
    key: "label",
    label: "Partner",
    value: (row) => row.label,
    render: (row) => <EntityLink id={row.id}>{row.label}</EntityLink>,
  },
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
