import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { type InputProblem, InputValidationError } from "../util/input-problems.js";
import { type LensModel, lensModelSchema, readLensModel } from "./lens-model.js";
import { termPatternSource } from "./term-pattern.js";

/** The fields of a project that term rules read. */
export const TEXT_FIELDS = ["title", "objective", "keywords"] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be lower-case letters, digits and hyphens"),
    reason: z.string().min(1, "must say why the rule is there"),
    sources: z.array(z.string().min(1)).default([]),
    fields: z
      .array(z.enum(TEXT_FIELDS))
      .min(1)
      .default([...TEXT_FIELDS]),
    terms: z.array(z.string().min(1)).default([]),
    minCount: z.number().int().min(1).default(1),
    minDistinct: z.number().int().min(1).default(1),
    requireAlso: z.array(z.string().min(1)).default([]),
    unless: z.array(z.string().min(1)).default([]),
    euroSciVoc: z.array(z.string().min(1)).default([]),
    callTopics: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .refine((rule) => rule.terms.length || rule.euroSciVoc.length || rule.callTopics.length, {
    message: "needs terms, euroSciVoc or callTopics",
  });

const topicSchema = z
  .object({
    id: z.string().regex(/^topic:[a-z0-9][a-z0-9:-]*$/, 'must look like "topic:rare-diseases"'),
    name: z.string().min(1),
    description: z.string().optional(),
    rules: z.array(ruleSchema).min(1),
    exclude: z.array(ruleSchema).default([]),
  })
  .strict();

const tierSchema = z
  .object({
    tier: z.string().regex(/^[A-Z][A-Z0-9_]*$/, "must be an upper-case name such as CORE"),
    description: z.string().min(1),
    rules: z.array(ruleSchema).min(1),
  })
  .strict();

const lensSchema = z
  .object({
    lens: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be lower-case letters, digits and hyphens"),
    scheme: z.string().regex(/^[A-Z][A-Z0-9_]*$/, "must be an upper-case name such as ATLAS"),
    name: z.string().min(1),
    description: z.string().min(1),
    topics: z.array(topicSchema).min(1),
    /** A linear model file beside the lens (lens-model.ts); in a stored definition, the model itself. */
    model: z.string().min(1).optional(),
    relevance: z
      .object({
        property: z.literal("pmRelevance"),
        description: z.string().min(1),
        tiers: z.array(tierSchema).min(1),
        otherwise: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
        topicsFor: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/)).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type LensRule = z.infer<typeof ruleSchema>;
export type LensTopic = z.infer<typeof topicSchema>;
export type Lens = Omit<z.infer<typeof lensSchema>, "model"> & {
  /** The file it was read from, relative to the project root when inside it. */
  file: string;
  /** The lens's linear model (read from the file its `model` names), deciding with its rules. */
  model?: (LensModel & { file: string }) | undefined;
};

/** A stored definition holds the model itself, not the name of its file. */
const storedLensSchema = lensSchema.extend({
  model: lensModelSchema.extend({ file: z.string() }).optional(),
});

/**
 * Reads and checks a lens file (YAML, see seed/lenses/README.md). Every problem is reported at once,
 * located as `file: topics[2] (topic:cancer) rules[0] (cancer-terms) terms[3]: reason`; throws
 * InputValidationError and reads nothing else. `displayRoot` shortens the file name in messages.
 */
export function readLensFile(file: string, displayRoot?: string): Lens {
  const shown = displayRoot ? path.relative(displayRoot, file) || file : file;
  const problem = (field: string, reason: string, line?: number): InputProblem => ({
    file: shown,
    line,
    field,
    reason,
  });
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputValidationError([problem("(file)", (error as Error).message)]);
  }
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length) {
    throw new InputValidationError(
      document.errors.map((error) =>
        problem(
          "(yaml)",
          error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, ""),
          error.linePos?.[0]?.line,
        ),
      ),
    );
  }
  const raw = document.toJS() as unknown;
  const parsed = lensSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputValidationError(
      parsed.error.issues.map((issue) => problem(locate(raw, issue.path), issue.message)),
    );
  }
  const { model: modelName, ...definition } = parsed.data;
  const lens: Lens = { ...definition, file: shown };
  const problems = checkLens(lens).map((p) => problem(p.field, p.reason));
  if (modelName) {
    const modelFile = path.resolve(path.dirname(file), modelName);
    const modelShown = displayRoot ? path.relative(displayRoot, modelFile) || modelFile : modelFile;
    try {
      lens.model = { ...readLensModel(modelFile, modelShown), file: modelShown };
      for (const name of Object.keys(lens.model.decisions)) {
        const known =
          lens.topics.some((topic) => topic.id === name) ||
          lens.relevance?.tiers.some((tier) => tier.tier === name);
        if (!known)
          problems.push(
            problem(
              "model",
              `${modelShown} decides ${name}, which is neither a topic nor a tier of this lens`,
            ),
          );
      }
    } catch (error) {
      problems.push(problem("model", (error as Error).message));
    }
  }
  if (problems.length) throw new InputValidationError(problems);
  if (!lens.model) return lens;
  // Keys in the order a stored definition is read back in (parseStoredLens), so that storing the lens
  // read from its file and the lens read back from the graph give the same definition and sha256: an
  // import that re-applies the stored lens then leaves the graph as it was.
  const { file: _file, ...stored } = lens;
  return { ...storedLensSchema.parse(stored), file: shown };
}

/**
 * A lens as stored in a `Lens` node (its definition as JSON, see apply-lenses.ts), checked again: a
 * definition written by an older version is refused with its file named rather than half applied.
 */
export function parseStoredLens(definition: string, file: string): Lens {
  const parsed = storedLensSchema.safeParse(JSON.parse(definition));
  if (!parsed.success) {
    throw new InputValidationError(
      parsed.error.issues.map((issue) => ({
        file: `${file} (as stored in the graph)`,
        line: undefined,
        field: issue.path.join("."),
        reason: issue.message,
      })),
    );
  }
  return { ...parsed.data, file };
}

/** The lens files of a folder (*.yaml, *.yml), in name order; none when the folder does not exist. */
export function readLensDir(folder: string, displayRoot?: string): Lens[] {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => /\.ya?ml$/.test(name));
  } catch {
    return [];
  }
  const lenses = names.sort().map((name) => readLensFile(path.join(folder, name), displayRoot));
  const problems = duplicates(lenses);
  if (problems.length) throw new InputValidationError(problems);
  return lenses;
}

/** Two lenses that share an id, a scheme or a topic cannot be applied together. */
export function duplicates(lenses: readonly Lens[]): InputProblem[] {
  const problems: InputProblem[] = [];
  const seen = new Map<string, string>();
  for (const lens of lenses) {
    const keys = [`lens ${lens.lens}`, `scheme ${lens.scheme}`, ...lens.topics.map((t) => `topic ${t.id}`)];
    for (const key of keys) {
      const other = seen.get(key);
      if (other && other !== lens.file)
        problems.push({
          file: lens.file,
          line: undefined,
          field: key,
          reason: `is also defined in ${other}`,
        });
      seen.set(key, lens.file);
    }
  }
  return problems;
}

/** Checks zod cannot express: unique ids, terms that compile, prefixes of the right shape. */
function checkLens(lens: Omit<Lens, "file" | "model">): { field: string; reason: string }[] {
  const problems: { field: string; reason: string }[] = [];
  const topicIds = new Set<string>();
  const ruleIds = new Map<string, string>();
  const checkRules = (rules: LensRule[], where: string) => {
    rules.forEach((rule, index) => {
      const at = `${where}[${index}] (${rule.id})`;
      const other = ruleIds.get(rule.id);
      if (other) problems.push({ field: at, reason: `rule id "${rule.id}" is also used at ${other}` });
      ruleIds.set(rule.id, at);
      [...rule.terms, ...rule.requireAlso, ...rule.unless].forEach((term, termIndex) => {
        try {
          new RegExp(termPatternSource(term), "giu");
        } catch (error) {
          problems.push({ field: `${at} terms[${termIndex}]`, reason: (error as Error).message });
        }
        if (!/[\p{L}\p{N}]/u.test(term))
          problems.push({ field: `${at} terms[${termIndex}]`, reason: `"${term}" has no letter or digit` });
      });
      rule.euroSciVoc.forEach((prefix, prefixIndex) => {
        if (!prefix.startsWith("/"))
          problems.push({
            field: `${at} euroSciVoc[${prefixIndex}]`,
            reason: `"${prefix}" must start with "/": a code such as /21/35 or a path such as /medical and health sciences/clinical medicine/oncology`,
          });
      });
    });
  };
  lens.topics.forEach((topic, index) => {
    const where = `topics[${index}] (${topic.id})`;
    if (topicIds.has(topic.id)) problems.push({ field: where, reason: `topic ${topic.id} is defined twice` });
    topicIds.add(topic.id);
    checkRules(topic.rules, `${where} rules`);
    checkRules(topic.exclude, `${where} exclude`);
  });
  const tiers = new Set<string>();
  lens.relevance?.tiers.forEach((tier, index) => {
    const where = `relevance.tiers[${index}] (${tier.tier})`;
    if (tiers.has(tier.tier) || tier.tier === lens.relevance?.otherwise)
      problems.push({ field: where, reason: `tier ${tier.tier} is named twice` });
    tiers.add(tier.tier);
    checkRules(tier.rules, `${where} rules`);
  });
  lens.relevance?.topicsFor?.forEach((tier, index) => {
    if (!tiers.has(tier) && tier !== lens.relevance?.otherwise)
      problems.push({ field: `relevance.topicsFor[${index}]`, reason: `${tier} is not a tier of this lens` });
  });
  return problems;
}

/** A zod issue path as a reader finds it in the file: `topics[2] (topic:cancer) rules[0] (x) terms`. */
function locate(raw: unknown, issuePath: readonly PropertyKey[]): string {
  const parts: string[] = [];
  let node = raw as Record<PropertyKey, unknown> | undefined;
  for (const key of issuePath) {
    const next = node?.[key] as Record<string, unknown> | undefined;
    if (typeof key === "number") {
      const label = next && typeof next === "object" ? (next.id ?? next.tier) : undefined;
      parts[parts.length - 1] += `[${key}]${typeof label === "string" ? ` (${label})` : ""}`;
    } else {
      parts.push(String(key));
    }
    node = next;
  }
  return parts.join(" ") || "(document)";
}
