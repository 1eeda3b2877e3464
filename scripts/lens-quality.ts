/**
 * Precision and recall of a lens against the hand-labelled Horizon Europe sample (test/topic-lens/).
 *
 *   npx tsx scripts/lens-quality.ts [--lens seed/lenses/atlas.yaml] [--split dev|test|all] [--errors]
 *                                   [--labels test/topic-lens/he-labels-second-reading.csv]
 *   npx tsx scripts/lens-quality.ts --agreement test/topic-lens/he-labels-second-reading.csv
 *
 * Prints a Markdown table (n, precision and recall with Wilson 95% intervals) for the chosen split,
 * and with --errors the disagreements with the rule that decided, for tuning. Tune on `dev` only: the
 * `test` figures are the ones the README reports and `test/lens-quality.test.ts` gates.
 */
import { parseArgs } from "node:util";
import { readLensFile } from "../src/classify/lens-file.js";
import {
  cohenKappa,
  GUIDE_TOPICS,
  markdownTable,
  measureLens,
  predict,
  readLabels,
  readSampleProjects,
} from "../test/helpers/lens-quality.js";

const { values } = parseArgs({
  options: {
    lens: { type: "string", default: "seed/lenses/atlas.yaml" },
    split: { type: "string", default: "dev" },
    errors: { type: "boolean", default: false },
    agreement: { type: "string" },
    labels: { type: "string" },
  },
});
if (values.agreement) {
  // How far a second reading of some of the projects agrees with the labels: tier, CORE, each topic.
  const second = readLabels(values.agreement);
  const first = new Map(readLabels().map((label) => [label.project, label]));
  const pairs = second.map((label) => [first.get(label.project)!, label] as const);
  const line = (name: string, a: unknown[], b: unknown[]) => {
    const { agreement, kappa } = cohenKappa(a, b);
    console.log(`| ${name} | ${agreement.toFixed(3)} | ${kappa.toFixed(2)} |`);
  };
  console.log(
    `${pairs.length} projects read twice\n\n| | agreement | Cohen's kappa |\n| --- | ---: | ---: |`,
  );
  line(
    "tier",
    pairs.map(([a]) => a.tier),
    pairs.map(([, b]) => b.tier),
  );
  line(
    "CORE or not",
    pairs.map(([a]) => a.tier === "CORE"),
    pairs.map(([, b]) => b.tier === "CORE"),
  );
  for (const topic of Object.values(GUIDE_TOPICS))
    line(
      topic,
      pairs.map(([a]) => a.topics.has(topic)),
      pairs.map(([, b]) => b.topics.has(topic)),
    );
  process.exit(0);
}
const lens = readLensFile(values.lens);
const projects = await readSampleProjects();
const byId = new Map(projects.map((project) => [project.id, project]));
const labels = readLabels(values.labels).filter(
  (label) => values.split === "all" || label.split === values.split,
);
const predictions = predict(lens, projects);
const measures = measureLens(labels, predictions);
console.log(`${values.split}: ${labels.length} labelled projects\n`);
console.log(markdownTable(measures));
if (values.errors) {
  const labelOf = new Map(labels.map((label) => [label.project, label]));
  for (const m of measures.slice(0, -1)) {
    const topic = m.name === "CORE tier" ? null : m.name;
    for (const [kind, ids] of [
      ["FP", m.falsePositives],
      ["FN", m.falseNegatives],
    ] as const) {
      for (const id of ids) {
        const label = labelOf.get(id)!;
        const project = byId.get(id)!;
        const prediction = predictions.get(id)!;
        const rule = topic ? (prediction.rules.get(topic) ?? "") : prediction.tier;
        console.log(
          `\n[${m.name}] ${kind} ${id} ${project.title}\n  label: ${label.tier} ${[...label.topics].join(" ")} (${label.confidence}) ${label.reason}\n  lens: ${prediction.tier} ${rule}`,
        );
      }
    }
  }
}
