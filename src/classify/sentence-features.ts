/**
 * Sentence evidence for a lens's linear model: for each decision (the CORE tier, each ATLAS topic), how
 * and where a project's text speaks of that decision's concept. A bag of words cannot tell a project
 * whose own aim is tailoring treatment from one that names "precision medicine" once as a future use;
 * the labelling guide draws exactly that line (shared/lenses/LABELLING-GUIDE.md: "One passing mention
 * ... does not make a project CORE"). So each concept is read per sentence of the objective: in how
 * many sentences, in what share, in the first two (where CORDIS objectives state the aim), in a
 * sentence that states what the project will do, and whether every mention is hedged as a future or
 * potential use; and whether the title or the keywords name it.
 *
 * The concepts' phrases come from the guide's definitions, not from any labelled project. Features are
 * named `sentence/<decision>/<concept>/<measure>`; a decision's model weighs only its own concepts'
 * features (scripts/train-lens-model.py), so the names say which decision reads them.
 */

/** A concept: phrases matched case-insensitively as whole words, and a name a reader of evidence reads. */
interface Concept {
  name: string;
  reads: string;
  pattern: RegExp;
}

const concept = (name: string, reads: string, phrases: string): Concept => ({
  name,
  reads,
  pattern: new RegExp(`\\b(?:${phrases})\\b`, "i"),
});

/** Each decision's concepts (decision ids as the model file names them). */
export const SENTENCE_CONCEPTS: Readonly<Record<string, readonly Concept[]>> = {
  CORE: [
    concept(
      "pm",
      "personalised medicine",
      "personali[sz]ed (?:medicine|treatments?|therap\\w*|care|approach\\w*|prevention|medicin\\w*|health\\w*|oncology|nutrition|dos\\w*)|precision (?:medicine|oncology|health|psychiatry)|stratified (?:medicine|treatments?|therap\\w*|care|approach\\w*)|patient stratification|tailor\\w* (?:treatments?|therap\\w*|interventions?|prevention|care)|individuali[sz]ed (?:treatments?|therap\\w*|care|medicine)|pharmacogen\\w*|companion diagnos\\w*|digital twins?|n-of-1|treatment selection|(?:predict|predicting|prediction of) (?:the )?(?:treatment |therapy |drug )?responses?",
    ),
    concept(
      "pmweak",
      "tailoring to patients",
      "personali[sz]\\w*|stratifi\\w*|tailor\\w*|individuali[sz]\\w*|patient[- ]specific|biomarkers?|subgroups?|subtyp\\w*|endotyp\\w*|responders?|non-responders?|targeted therap\\w*",
    ),
  ],
  "topic:cancer": [
    concept(
      "cancer",
      "cancer",
      "cancers?|tumou?rs?|oncolog\\w*|carcinomas?|leuka?emias?|lymphomas?|melanomas?|glioblastomas?|sarcomas?|metasta\\w*",
    ),
  ],
  "topic:rare-diseases": [
    concept(
      "rare",
      "rare disease",
      "rare (?:diseases?|disorders?|conditions?|cancers?|tumou?rs?)|orphan|inherited|hereditary|genetic (?:diseases?|disorders?)|inborn",
    ),
  ],
  "topic:prevention": [
    concept(
      "prevention",
      "prevention",
      "prevent\\w*|screening|early (?:detection|diagnosis)|risk (?:prediction|stratification|assessment|scores?)|at[- ]risk|risk factors?",
    ),
  ],
  "topic:health-economics": [
    concept(
      "economics",
      "health economics",
      "cost[- ]effective\\w*|health technology assessments?|hta|reimburs\\w*|economic (?:evaluation|validation|analysis)|budget impact|health[- ]economic\\w*",
    ),
  ],
  "topic:data-ict-solutions": [
    concept(
      "ict",
      "data and ICT",
      "machine learning|artificial intelligence|ai|deep learning|digital twins?|computational models?|software|algorithms?|data platforms?|in silico|neural networks?",
    ),
  ],
  "topic:clinical-support-tools": [
    concept(
      "tools",
      "clinical support tool",
      "point[- ]of[- ]care|decision[- ]support|clinical decision|companion diagnos\\w*|diagnostic (?:tests?|tools?|devices?|assays?)|in vitro diagnostics?|clinicians",
    ),
  ],
  "topic:implementation": [
    concept(
      "implementation",
      "implementation",
      "implementation|uptake|guidelines?|health(?:care)? systems?|roll[- ]out|scale[- ]up|real[- ]world|pilot sites|clinical practice|adoption",
    ),
  ],
  "topic:research-data-sharing": [
    concept(
      "sharing",
      "data sharing",
      "data sharing|share data|fair (?:data|principles)|federated|data governance|open data|data access|data reuse|re-?use of data|interoperab\\w*|data spaces?",
    ),
  ],
  "topic:preclinical-clinical-research": [
    concept(
      "preclinical",
      "experimental models",
      "mouse|mice|murine|rats?|zebrafish|animal models?|organoids?|in vitro|cell lines?|xenografts?|pre-?clinical|ipscs?|cell cultures?|in vivo",
    ),
    concept(
      "clinical",
      "patients",
      "patients?|cohorts?|clinical (?:trials?|study|studies|samples)|biobanks?|hospitals?|participants",
    ),
  ],
};

/** A sentence that says what the project itself does. */
const OWN_WORK =
  /\b(?:we will|will (?:develop|validate|identify|test|build|implement|use|establish|create|apply|design|deliver|stratify|tailor)|aims? (?:to|at)|objectives?|goals?|project will|propose)\b/i;
/** A sentence that hedges: a future or potential use, not the project's work. */
const HEDGED =
  /\b(?:future|potential(?:ly)?|could|may|might|pave the way|long[- ]term|ultimately|eventually)\b/i;

/** The objective's sentences: split after . ! or ? followed by white space. */
export function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+/).filter((sentence) => sentence.trim() !== "");
}

/**
 * The text a sentence feature reads: a project's title, keywords and objective (match-lens.ts's
 * ProjectText fits; named here so that this module depends on nothing).
 */
export interface SentenceText {
  title?: string | null | undefined;
  keywords?: string | null | undefined;
  objective?: string | null | undefined;
}

/** Sentence features of one project with, per concept found, the first phrase that matched (evidence). */
export interface SentenceFeatures {
  /** `sentence/<decision>/<concept>/<measure>` -> value (0 or 1, a share, or ln(1 + sentences)); zeros left out. */
  values: Map<string, number>;
  /** `sentence/<decision>/<concept>` -> the first phrase of that concept in the title, keywords or objective. */
  phrases: Map<string, string>;
}

/**
 * The sentence features of `project` for every decision (see the module comment). Pure: the same text
 * always gives the same features; measures: `title`, `keywords`, `first2`, `ownWork`, `onlyHedged`
 * (0/1), `share` (matching sentences / sentences), `sentences` (ln(1 + matching sentences)); a decision
 * with two concepts (CORE, preclinical-clinical) also has `both` (both concepts in the objective) and
 * `together` (in one sentence), under `<first>+<second>`.
 */
export function sentenceFeatures(project: SentenceText): SentenceFeatures {
  const title = project.title ?? "";
  const keywords = project.keywords ?? "";
  const list = sentences(project.objective ?? "");
  const values = new Map<string, number>();
  const phrases = new Map<string, string>();
  const set = (name: string, value: number) => {
    if (value !== 0) values.set(name, value);
  };
  // Which sentences state the project's own work, and which hedge: read once for every concept.
  const ownWork = list.map((sentence) => OWN_WORK.test(sentence));
  const hedged = list.map((sentence) => HEDGED.test(sentence));
  for (const [decision, concepts] of Object.entries(SENTENCE_CONCEPTS)) {
    const found = concepts.map(({ pattern }) => list.map((sentence) => pattern.test(sentence)));
    concepts.forEach(({ name, pattern }, c) => {
      const key = `sentence/${decision}/${name}`;
      const inSentence = found[c]!;
      const hits = inSentence.filter(Boolean).length;
      set(`${key}/title`, pattern.test(title) ? 1 : 0);
      set(`${key}/keywords`, pattern.test(keywords) ? 1 : 0);
      set(`${key}/sentences`, Math.log1p(hits));
      set(`${key}/share`, hits / Math.max(1, list.length));
      set(`${key}/first2`, inSentence[0] || inSentence[1] ? 1 : 0);
      set(`${key}/ownWork`, inSentence.some((hit, i) => hit && ownWork[i]) ? 1 : 0);
      set(`${key}/onlyHedged`, hits > 0 && inSentence.every((hit, i) => !hit || hedged[i]) ? 1 : 0);
      const at = inSentence.indexOf(true);
      const phrase =
        pattern.exec(title) ?? pattern.exec(keywords) ?? (at >= 0 ? pattern.exec(list[at]!) : null);
      if (phrase) phrases.set(key, phrase[0]);
    });
    if (concepts.length === 2) {
      const key = `sentence/${decision}/${concepts[0]!.name}+${concepts[1]!.name}`;
      const [first, second] = found as [boolean[], boolean[]];
      set(`${key}/both`, first.includes(true) && second.includes(true) ? 1 : 0);
      set(`${key}/together`, first.some((hit, i) => hit && second[i]) ? 1 : 0);
    }
  }
  return { values, phrases };
}

/** What a reader of a link's evidence reads for a sentence feature: the concept, where, and the phrase. */
export function describeSentenceFeature(feature: string, phrases: Map<string, string>): string {
  const [, decision, name, measure] = feature.split("/");
  const concepts = SENTENCE_CONCEPTS[decision!] ?? [];
  const names = name!.split("+");
  const reads = names.map((n) => concepts.find((c) => c.name === n)?.reads ?? n).join(" and ");
  const where: Record<string, string> = {
    title: "in the title",
    keywords: "in the keywords",
    sentences: "sentences of the objective",
    share: "share of the objective's sentences",
    first2: "in the objective's first two sentences",
    ownWork: "in a sentence on the project's own work",
    onlyHedged: "only as a future or potential use",
    both: "both named",
    together: "named in one sentence",
  };
  const phrase = names.length === 1 ? phrases.get(`sentence/${decision}/${name}`) : undefined;
  return `sentences: ${reads} ${where[measure!] ?? measure}${phrase ? ` ("${phrase}")` : ""}`;
}
