/**
 * Writes the training data of the default lens's linear model as JSON lines, for
 * scripts/train-lens-model.py: one line per labelled TRAINING project, `{id, source, tier, topics,
 * text: {feature: count}, meta: [feature], sentence: {feature: value}, rules: {tier, topics}}` (features:
 * src/classify/model-features.ts; `rules`: what the lens's rules alone decide, the baseline).
 *
 *   npx tsx scripts/lens-model-features.ts [--lens seed/lenses/atlas.yaml] > /tmp/lens-train.jsonl
 *
 * Training projects are the development half of the measured sample (he-labels.csv, split dev) and the
 * training-only labels (readTrainingLabels in test/helpers/lens-quality.ts: the blind readers' labels of
 * draw order 1-880 of the HEALTH stratum and 1-480 of the OTHER stratum, projects in TRAIN_ZIPS). The test half is never
 * written: not its labels, not its texts (its words must not even enter the vocabulary or the idf).
 */
import { parseArgs } from "node:util";
import { classifyProject } from "../src/classify/classify-project.js";
import { readLensFile } from "../src/classify/lens-file.js";
import { compileLens } from "../src/classify/match-lens.js";
import { modelFeatures } from "../src/classify/model-features.js";
import {
  readLabels,
  readSampleProjects,
  readTrainingLabels,
  TRAIN_ZIPS,
} from "../test/helpers/lens-quality.js";

const { values } = parseArgs({ options: { lens: { type: "string", default: "seed/lenses/atlas.yaml" } } });
const lens = readLensFile(values.lens, process.cwd());
// The lens's own model is not a feature of itself: only its rules are read here.
const compiled = compileLens({ ...lens, model: undefined });
const labels = [
  ...readLabels()
    .filter((label) => label.split === "dev")
    .map((label) => ({ ...label, source: "dev" })),
  ...readTrainingLabels().map((label) => ({ ...label, source: "train" })),
];
const projects = new Map(
  [
    ...(await readSampleProjects()),
    ...(await Promise.all(TRAIN_ZIPS.map((zip) => readSampleProjects(zip)))).flat(),
  ].map((project) => [project.id, project]),
);
for (const label of labels) {
  const project = projects.get(label.project);
  if (!project) throw new Error(`${label.project}: labelled but not in the sample's files`);
  const features = modelFeatures(compiled, project);
  // What the rules alone decide: the baseline a model must beat (scripts/train-lens-model.py --compare).
  const byRules = classifyProject(compiled, project);
  console.log(
    JSON.stringify({
      id: label.project,
      source: label.source,
      tier: label.tier,
      topics: [...label.topics].sort(),
      text: Object.fromEntries(features.text),
      meta: [...features.meta].sort(),
      sentence: Object.fromEntries(features.sentence),
      rules: {
        tier: byRules.tier?.tier ?? null,
        topics: byRules.topics.map((topic) => topic.topicId).sort(),
      },
    }),
  );
}
