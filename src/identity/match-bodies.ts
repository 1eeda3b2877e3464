import type { Body } from "./body.js";
import { buildRorIndex, type Candidate, candidatesFor, jaccard, type RorIndex } from "./candidates.js";
import { foldText, nameTokens, normaliseName } from "./normalise.js";
import { type RorRecord, successorOf } from "./ror-record.js";
import { websiteDomain } from "./website.js";

/**
 * How a body was matched to a ROR record, strongest first. Each method names what had to agree; the
 * decision (APPLIED or PROPOSED) follows from it, measured on hand-labelled pairs (test/identity/,
 * docs/identity.md). Countries are always compared after UK -> GB and EL -> GR.
 *
 * - WEBSITE_DOMAIN_AND_NAME: the body's website host is a website host of the record, same country, and a
 *   name or acronym is the same after normalisation. APPLIED.
 * - EXACT_NAME_AND_COUNTRY: a body name that is not acronym-like (isAcronymLike) equals a non-acronym name
 *   of the record after normalisation (normaliseName; also without a final parenthesis, and for the body
 *   without a leading legal-entity word such as "Stichting"), same country, and no other record in that
 *   country has it. APPLIED.
 * - WEBSITE_DOMAIN_AND_SIMILAR_NAME: same website host and country, and token similarity >= NAME_SUPPORT.
 *   APPLIED. Ranked below an exact name because a site is often shared by a parent and its units.
 * - ACRONYM_AND_NAME: an acronym-like body name equals an acronym of the record, same country, and a long
 *   name of the body has token similarity >= NAME_SUPPORT with a record name (the acronym corroborated). APPLIED.
 * - WEBSITE_DOMAIN_AND_COUNTRY: same website host and country, names disagree: a sub-unit often uses its
 *   parent's site. PROPOSED.
 * - ACRONYM_AND_COUNTRY: the acronym alone, same country: acronyms repeat across bodies. PROPOSED.
 * - TOKEN_SIMILARITY: token similarity >= PROPOSE_SIMILARITY, same country, nothing exact. PROPOSED.
 * - NAME_WITHOUT_COUNTRY: the body has no country (acronym-only curated funders such as "RCN"); exact name or
 *   acronym anywhere. PROPOSED.
 *
 * Any APPLIED method falls back to PROPOSED, with the reason in the evidence, when the record is inactive
 * (its successor named), when the record's predecessor bears the body's name (the body is the predecessor),
 * or when two records qualify equally (ambiguous).
 */
export const MATCH_METHODS = [
  "WEBSITE_DOMAIN_AND_NAME",
  "EXACT_NAME_AND_COUNTRY",
  "WEBSITE_DOMAIN_AND_SIMILAR_NAME",
  "ACRONYM_AND_NAME",
  "WEBSITE_DOMAIN_AND_COUNTRY",
  "ACRONYM_AND_COUNTRY",
  "TOKEN_SIMILARITY",
  "NAME_WITHOUT_COUNTRY",
] as const;
export type MatchMethod = (typeof MATCH_METHODS)[number];
export type MatchDecision = "APPLIED" | "PROPOSED";

export interface BodyMatch {
  bodyId: string;
  /** Full ROR id, "https://ror.org/00ca2c886". */
  rorId: string;
  decision: MatchDecision;
  method: MatchMethod;
  /** Best token Jaccard similarity between a body name and a record name, in [0, 1]; for ordering only. */
  score: number;
  /** A sentence quoting what matched (and, for a PROPOSED fallback, why it was not applied). */
  evidence: string;
}

/** Token similarity a name needs to corroborate a website or an acronym. */
export const NAME_SUPPORT = 0.5;
/** Token similarity below which a name-only candidate is not even proposed. */
export const PROPOSE_SIMILARITY = 0.5;

const APPLIED_METHODS: ReadonlySet<MatchMethod> = new Set([
  "WEBSITE_DOMAIN_AND_NAME",
  "EXACT_NAME_AND_COUNTRY",
  "WEBSITE_DOMAIN_AND_SIMILAR_NAME",
  "ACRONYM_AND_NAME",
]);

/**
 * A single word as written ("ISCIII", "F.R.S.-FNRS", "ETAg") of at most 10 letters once normalised:
 * compared with acronyms, never with names ("EGNOSIS SRL" is two words, so a name).
 */
export function isAcronymLike(name: string): boolean {
  const normalised = normaliseName(name);
  return normalised.length > 0 && normalised.length <= 10 && foldText(name).trim().split(/\s+/).length === 1;
}

/**
 * Words that open the name of the legal entity behind an institute ("Fundació BarcelonaBeta Brain
 * Research Center", "Stichting Amsterdam UMC", "Sihtasutus Eesti Teadusagentuur"); without them the
 * name is the institute's, which is the same body (test/identity/LABELLING.md).
 */
const LEADING_ENTITY_WORDS = new Set([
  "stichting",
  "fundacion",
  "fundacio",
  "fundacao",
  "fondazione",
  "fondation",
  "stiftung",
  "stiftelsen",
  "sihtasutus",
  "fundatia",
  "fundacja",
  "nadace",
  "nadacia",
]);

interface NameForm {
  /** As written. */
  name: string;
  normalised: string;
  /** How the normalised form was obtained, for the evidence; "" when directly. */
  how: string;
}

/**
 * The forms a name is compared in: as normalised, without a trailing parenthesis ("Public Health Agency
 * (PHA)", ROR's company names "AbbVie (United States)"), and for a body also without a leading
 * legal-entity word (LEADING_ENTITY_WORDS).
 */
function nameForms(name: string, leadingEntityWord: boolean): NameForm[] {
  const forms: NameForm[] = [{ name, normalised: normaliseName(name), how: "" }];
  const withoutParenthesis = name.replace(/\s*\([^()]*\)\s*$/, "");
  if (withoutParenthesis !== name && withoutParenthesis.trim())
    forms.push({
      name,
      normalised: normaliseName(withoutParenthesis),
      how: " without its final parenthesis",
    });
  if (leadingEntityWord)
    for (const form of [...forms]) {
      const [first, ...rest] = form.normalised.split(" ");
      // Not before a university: "Fundació Universitat Pompeu Fabra" is the university's support foundation.
      if (
        rest.length >= 2 &&
        LEADING_ENTITY_WORDS.has(first!) &&
        !/^(univers|uniwers|univerz)/.test(rest[0]!)
      )
        forms.push({ name, normalised: rest.join(" "), how: ` without its leading "${first}"` });
    }
  return forms.filter((form) => form.normalised);
}

interface Prepared {
  index: RorIndex;
  /** host -> records with that website host. */
  byDomain: Map<string, RorRecord[]>;
  /** country -> normalised non-acronym name -> ROR ids (for uniqueness). */
  namesByCountry: Map<string, Map<string, Set<string>>>;
}

function prepare(records: readonly RorRecord[]): Prepared {
  const index = buildRorIndex(records);
  const byDomain = new Map<string, RorRecord[]>();
  const namesByCountry = new Map<string, Map<string, Set<string>>>();
  for (const record of index.records) {
    for (const domain of record.websiteDomains)
      byDomain.set(domain, [...(byDomain.get(domain) ?? []), record]);
    const country = record.country ?? "";
    let names = namesByCountry.get(country);
    if (!names) {
      names = new Map();
      namesByCountry.set(country, names);
    }
    for (const name of record.names) {
      if (name.types.includes("acronym")) continue;
      for (const form of nameForms(name.value, false))
        names.set(form.normalised, (names.get(form.normalised) ?? new Set()).add(record.rorId));
    }
  }
  return { index, byDomain, namesByCountry };
}

interface Assessment {
  record: RorRecord;
  method: MatchMethod;
  decision: MatchDecision;
  score: number;
  evidence: string;
}

const quote = (text: string) => `"${text}"`;

function assess(
  body: Body,
  record: RorRecord,
  similarity: Candidate | null,
  prepared: Prepared,
): Assessment | null {
  const sameCountry = body.country !== null && body.country === record.country;
  if (body.country !== null && !sameCountry) return null;
  const bodyNames = body.names.map((name) => ({
    acronym: isAcronymLike(name),
    forms: nameForms(name, true),
  }));
  const recordNames = record.names.map((name) => ({
    acronym: name.types.includes("acronym"),
    forms: nameForms(name.value, false),
  }));
  const bodyForms = bodyNames.filter((entry) => !entry.acronym).flatMap((entry) => entry.forms);
  const recordForms = recordNames.filter((entry) => !entry.acronym).flatMap((entry) => entry.forms);
  const exactPair = bodyForms.flatMap((bodyForm) =>
    recordForms
      .filter((recordForm) => recordForm.normalised === bodyForm.normalised)
      .map((recordForm) => [bodyForm, recordForm] as const),
  )[0];
  const exactName = exactPair
    ? ([`${exactPair[0].name}${exactPair[0].how}`, exactPair[1].name] as const)
    : undefined;
  const acronym = bodyNames
    .filter((entry) => entry.acronym)
    .flatMap((entry) =>
      recordNames
        .flatMap((recordName) => recordName.forms)
        .filter((recordForm) => recordForm.normalised === entry.forms[0]!.normalised)
        .map((recordForm) => [entry.forms[0]!.name, recordForm.name] as const),
    )[0];
  const bodyDomains = body.websites.map(websiteDomain).filter((domain): domain is string => domain !== null);
  const domain = bodyDomains.find((host) => record.websiteDomains.includes(host));
  // Token similarity over the long names only: an acronym is compared by `acronym` above.
  let best = { score: 0, bodyName: "", recordName: "" };
  for (const bodyForm of bodyForms)
    for (const recordForm of recordForms) {
      const score = jaccard(nameTokens(bodyForm.normalised), nameTokens(recordForm.normalised));
      if (score > best.score) best = { score, bodyName: bodyForm.name, recordName: recordForm.name };
    }
  const score = Math.max(best.score, similarity?.similarity ?? 0);
  const where = `${record.rorId} (${record.country ?? "no country"})`;
  const similar =
    best.score > 0
      ? `${quote(best.bodyName)} ~ ${quote(best.recordName)} (token similarity ${best.score.toFixed(2)})`
      : "";

  let method: MatchMethod;
  let evidence: string;
  if (!sameCountry) {
    if (!exactName && !acronym) return null;
    const [bodyName, recordName] = exactName ?? acronym!;
    method = "NAME_WITHOUT_COUNTRY";
    evidence = `The body has no country; its name ${quote(bodyName)} equals ${quote(recordName)} of ${where}.`;
  } else if (domain && (exactName || acronym)) {
    method = "WEBSITE_DOMAIN_AND_NAME";
    const names = (exactName ?? acronym)!;
    evidence = `Website ${quote(domain)} is a website of ${where}, same country, and ${quote(names[0])} equals ${quote(names[1])}.`;
  } else if (exactName) {
    const holders = prepared.namesByCountry.get(record.country ?? "")?.get(exactPair![1].normalised);
    method = "EXACT_NAME_AND_COUNTRY";
    evidence = `${quote(exactName[0])} equals ${quote(exactName[1])} of ${where} after normalisation, same country${
      holders && holders.size > 1 ? `, but ${holders.size} records of ${record.country} bear that name` : ""
    }.`;
    if (holders && holders.size > 1) return { record, method, decision: "PROPOSED", score, evidence };
  } else if (domain && best.score >= NAME_SUPPORT) {
    method = "WEBSITE_DOMAIN_AND_SIMILAR_NAME";
    evidence = `Website ${quote(domain)} is a website of ${where}, same country, and ${similar}.`;
  } else if (acronym && best.score >= NAME_SUPPORT) {
    method = "ACRONYM_AND_NAME";
    evidence = `Acronym ${quote(acronym[0])} equals ${quote(acronym[1])} of ${where}, same country, and ${similar}.`;
  } else if (domain) {
    method = "WEBSITE_DOMAIN_AND_COUNTRY";
    evidence = `Website ${quote(domain)} is a website of ${where}, same country, but the names differ${similar ? `: best ${similar}` : ""}.`;
  } else if (acronym) {
    method = "ACRONYM_AND_COUNTRY";
    evidence = `Acronym ${quote(acronym[0])} equals ${quote(acronym[1])} of ${where}, same country, uncorroborated${similar ? ` (best ${similar})` : ""}.`;
  } else if (best.score >= PROPOSE_SIMILARITY) {
    method = "TOKEN_SIMILARITY";
    evidence = `${similar[0]!.toUpperCase()}${similar.slice(1)}, ${where}, same country.`;
  } else return null;

  let decision: MatchDecision = APPLIED_METHODS.has(method) ? "APPLIED" : "PROPOSED";
  if (decision === "APPLIED" && record.status !== "active") {
    const successor = successorOf(record);
    decision = "PROPOSED";
    evidence += ` Not applied: the record is ${record.status}${successor ? `, its successor is ${successor.rorId} (${successor.label})` : ""}.`;
  }
  const bodyNormalised = new Set(bodyForms.map((form) => form.normalised));
  const predecessor = record.relationships.find(
    (relation) => relation.type === "predecessor" && bodyNormalised.has(normaliseName(relation.label)),
  );
  if (decision === "APPLIED" && predecessor) {
    decision = "PROPOSED";
    evidence += ` Not applied: the record's predecessor ${predecessor.rorId} bears the body's name ${quote(predecessor.label)}.`;
  }
  return { record, method, decision, score, evidence };
}

const rank = (assessment: Assessment) =>
  (assessment.decision === "APPLIED" ? 0 : 100) + MATCH_METHODS.indexOf(assessment.method);

/**
 * The best ROR candidate of each body that has one (bodies without any candidate are left out), in the
 * order of `bodies`. Candidates are the records found by the generic generator (candidatesFor, 10 per
 * body) and the records sharing a website host with the body; each is assessed by the methods of
 * MATCH_METHODS, and the strongest wins (APPLIED before PROPOSED, then method order, then similarity). When
 * two records win with the same APPLIED method, the match is only PROPOSED. Pure: no I/O, never throws.
 */
export function matchBodies(bodies: readonly Body[], rorRecords: readonly RorRecord[]): BodyMatch[] {
  const prepared = prepare(rorRecords);
  const matches: BodyMatch[] = [];
  for (const body of bodies) {
    const candidates = new Map<string, { record: RorRecord; candidate: Candidate | null }>();
    for (const candidate of candidatesFor(body, prepared.index, 10))
      candidates.set(candidate.record.rorId, { record: candidate.record, candidate });
    for (const website of body.websites) {
      const domain = websiteDomain(website);
      for (const record of domain ? (prepared.byDomain.get(domain) ?? []) : [])
        if (!candidates.has(record.rorId)) candidates.set(record.rorId, { record, candidate: null });
    }
    const assessed = [...candidates.values()]
      .map(({ record, candidate }) => assess(body, record, candidate, prepared))
      .filter((assessment): assessment is Assessment => assessment !== null)
      .sort((a, b) => rank(a) - rank(b) || b.score - a.score || (a.record.rorId < b.record.rorId ? -1 : 1));
    const [winner, runnerUp] = assessed;
    if (!winner) continue;
    let { decision, evidence } = winner;
    if (decision === "APPLIED" && runnerUp && rank(runnerUp) === rank(winner)) {
      decision = "PROPOSED";
      evidence += ` Not applied: ${runnerUp.record.rorId} qualifies by the same method (${runnerUp.method}).`;
    }
    matches.push({
      bodyId: body.id,
      rorId: winner.record.rorId,
      decision,
      method: winner.method,
      score: Number(winner.score.toFixed(3)),
      evidence,
    });
  }
  return matches;
}
