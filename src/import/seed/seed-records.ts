import { z } from "zod";
import {
  ConsortiumKind,
  EventKind,
  FrameworkProgrammeCode,
  FunderKind,
  GovernanceBodyKind,
  MembershipStatus,
  OrganisationKind,
  ProgrammeKind,
  PublicationKind,
  SourceKind,
  StakeholderCategory,
  StatementQualifier,
} from "../../generated/graphql.js";
import { TOPIC_SCHEMES } from "../../model/topic-schemes.js";
import { isCalendarDate } from "../../util/calendar-date.js";
import { neo4jDate } from "../../util/neo4j-date.js";
import { EARLIEST_YEAR, LATEST_YEAR } from "../../util/year-range.js";

/**
 * The shape of the curated seed files (seed/*.yaml). Records are strict: an unknown field is a typo
 * until proven otherwise. References are ids; whether they exist is checked across all files. The
 * vocabularies (kind, category, status, qualifier) are the schema's enums (schema/*.graphql, through
 * the generated types): one definition, checked by test/unit/schema-agreement.test.ts.
 */

const id = (prefix: string) =>
  z
    .string()
    .regex(
      new RegExp(`^${prefix}:[A-Za-z0-9][A-Za-z0-9._-]*$`),
      `must be an id of the form ${prefix}:<slug>`,
    );
const anyId = z
  .string()
  .regex(/^[a-z]+:[A-Za-z0-9][A-Za-z0-9._-]*$/, "must be an id of the form <kind>:<slug>");
const countryId = z.string().regex(/^country:[A-Z]{2}$/, "must be country:<ISO 3166-1 alpha-2 code>");
const year = z.number().int().min(EARLIEST_YEAR).max(LATEST_YEAR);
const isoDate = z
  .union([z.string(), z.date()])
  .transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value))
  .pipe(z.string().refine(isCalendarDate, "must be a calendar date YYYY-MM-DD"))
  .transform(neo4jDate);
const url = z.url({ message: "must be a URL" });
const amount = z.number().nonnegative();
/** What the API can serve: GraphQL's Int is 32-bit (issue 16.3); z.number().int() alone takes 3e9. */
const graphqlInt = z.number().int().max(2_147_483_647, "must be at most 2147483647 (a GraphQL Int)");
const text = z.string().min(1, "must not be empty");
const sources = z.array(id("source")).min(1, "every record needs at least one source");

export const sourceRecord = z.strictObject({
  id: id("source"),
  title: text,
  url: url.optional(),
  publisher: text.optional(),
  date: isoDate.optional(),
  kind: z.enum(SourceKind).optional(),
});

export const topicRecord = z.strictObject({
  id: id("topic"),
  name: text,
  scheme: z.enum(TOPIC_SCHEMES),
  code: text.optional(),
  description: text.optional(),
  sources,
});

const qualifier = z.enum(StatementQualifier);

/** A field that names the source of one statement must name one of the record's own sources. */
const citesOwnSource =
  (field: string, cited: (record: { sources: string[] }) => (string | undefined)[]) =>
  (record: { sources: string[] }, ctx: z.RefinementCtx) => {
    for (const source of cited(record)) {
      if (source && !record.sources.includes(source))
        ctx.addIssue({ code: "custom", path: [field], message: `${source} must also be in sources` });
    }
  };

export const consortiumRecord = z
  .strictObject({
    id: id("consortium"),
    name: text,
    acronym: text.optional(),
    kind: z.enum(ConsortiumKind),
    founded: year.optional(),
    website: url.optional(),
    description: text.optional(),
    // The consortium's own newest statement of its size; see schema/actors.graphql.
    statedMemberCount: z.number().int().nonnegative().optional(),
    statedMemberCountQualifier: qualifier.optional(),
    statedCountryCount: z.number().int().nonnegative().optional(),
    statedSizeStatement: text.optional(),
    statedSizeAsOf: z.union([text, z.number()]).transform(String).optional(),
    statedSizeSource: id("source").optional(),
    sources,
  })
  .superRefine(
    citesOwnSource("statedSizeSource", (r) => [(r as { statedSizeSource?: string }).statedSizeSource]),
  );

export const governanceBodyRecord = z.strictObject({
  id: id("body"),
  name: text,
  kind: z.enum(GovernanceBodyKind),
  consortium: id("consortium"),
  description: text.optional(),
  sources,
});

const seat = z.strictObject({
  body: id("body"),
  role: text.optional(),
  asOf: z.union([text, z.number()]).transform(String).optional(),
  person: text.optional(),
});

export const funderRecord = z
  .strictObject({
    id: id("funder"),
    name: text,
    acronym: text.optional(),
    kind: z.enum(FunderKind),
    region: text.optional(),
    website: url.optional(),
    country: countryId.optional(),
    memberOf: z
      .array(
        z.strictObject({
          consortium: id("consortium"),
          status: z.enum(MembershipStatus),
          since: year.optional(),
          evidence: text.optional(),
          asOf: z.union([text, z.number()]).transform(String).optional(),
          evidenceSource: id("source").optional(),
        }),
      )
      .optional(),
    sitsOn: z.array(seat).optional(),
    // Another funder record of the same body (e.g. an acronym on a call page), linked towards this
    // one's canonical node; the curator says why.
    sameAs: z
      .array(
        z.strictObject({ funder: id("funder"), method: z.literal("CURATED").optional(), evidence: text }),
      )
      .optional(),
    sources,
  })
  .superRefine(
    citesOwnSource("memberOf", (r) =>
      ((r as { memberOf?: { evidenceSource?: string }[] }).memberOf ?? []).map((m) => m.evidenceSource),
    ),
  );

const organisationKind = z.enum(OrganisationKind);

export const organisationRecord = z.strictObject({
  id: id("org"),
  name: text,
  shortName: text.optional(),
  kind: organisationKind.optional(),
  city: text.optional(),
  website: url.optional(),
  country: countryId.optional(),
  sources,
});

export const stakeholderRecord = z.strictObject({
  id: id("stakeholder"),
  name: text,
  acronym: text.optional(),
  category: z.enum(StakeholderCategory),
  website: url.optional(),
  country: countryId.optional(),
  sitsOn: z.array(seat).optional(),
  sources,
});

export const programmeRecord = z.strictObject({
  id: id("programme"),
  name: text,
  acronym: text.optional(),
  kind: z.enum(ProgrammeKind),
  startYear: year.optional(),
  endYear: year.optional(),
  budget: amount.optional(),
  budgetOriginal: amount.optional(),
  budgetCurrency: z
    .string()
    .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR")
    .optional(),
  budgetNote: text.optional(),
  description: text.optional(),
  website: url.optional(),
  partOf: z.array(id("programme")).optional(),
  runBy: z.array(id("consortium")).optional(),
  fundedBy: z
    .array(
      z.strictObject({
        funder: id("funder"),
        commitment: amount.optional(),
        commitmentCurrency: z
          .string()
          .regex(/^[A-Z]{3}$/)
          .optional(),
        commitmentOriginal: amount.optional(),
      }),
    )
    .optional(),
  covers: z.array(id("topic")).optional(),
  sources,
});

export const coordinationActionRecord = z.strictObject({
  id: z.union([id("cordis"), id("csa")]),
  acronym: text.optional(),
  title: text,
  grantId: z.union([text, z.number()]).transform(String).optional(),
  frameworkProgramme: z.enum(FrameworkProgrammeCode).optional(),
  startDate: isoDate.optional(),
  endDate: isoDate.optional(),
  startNote: z.union([text, z.number()]).transform(String).optional(),
  endNote: z.union([text, z.number()]).transform(String).optional(),
  euContribution: amount.optional(),
  budgetNote: text.optional(),
  focus: text.optional(),
  supports: z.array(id("consortium")).optional(),
  partners: z
    .array(
      z.strictObject({
        organisation: id("org"),
        role: z.enum(["COORDINATOR", "PARTNER", "LEAD"]),
        // For a participation only a second source (not CORDIS) gives, e.g. the NRC's file of EU grants.
        contribution: amount.optional(),
        order: z.number().int().positive().max(2_147_483_647).optional(),
      }),
    )
    .optional(),
  sources,
});

export const recognitionRecord = z.strictObject({
  id: id("recognition"),
  name: text,
  year,
  practiceTitle: text.optional(),
  awardee: text.optional(),
  listedOrder: graphqlInt.positive().optional(),
  rank: graphqlInt.positive().optional(),
  awardedBy: z.array(id("consortium")).optional(),
  awardedTo: z.array(anyId).optional(),
  sources,
});

/** A project that is no CORDIS grant (e.g. funded by an ERA PerMed call), as far as a source pins it down. */
export const projectRecord = z
  .strictObject({
    id: id("project"),
    acronym: text.optional(),
    title: text,
    startDate: isoDate.optional(),
    endDate: isoDate.optional(),
    grantReference: text.optional(),
    fundedUnder: z.array(id("programme")).optional(),
    sources,
  })
  // startYear is what the analyses filter on; it follows from startDate, as in the CORDIS importer.
  .transform((record) => ({ ...record, startYear: record.startDate ? record.startDate.year : undefined }));

export const statedFactRecord = z.strictObject({
  id: id("fact"),
  attribute: z.string().regex(/^[a-z][A-Za-z0-9]*$/, "must be lowerCamelCase, e.g. fundingOrganisationCount"),
  statement: text,
  value: z.number().optional(),
  unit: text.optional(),
  qualifier: qualifier.optional(),
  asOf: z.union([text, z.number()]).transform(String).optional(),
  context: text.optional(),
  note: text.optional(),
  subject: z.array(z.union([id("consortium"), id("programme"), id("cordis"), id("csa")])).min(1),
  sources,
});

const activityOwners = z.array(z.union([id("consortium"), id("cordis"), id("csa")]));

export const eventRecord = z.strictObject({
  id: id("event"),
  name: text,
  kind: z.enum(EventKind),
  date: isoDate.optional(),
  dateNote: text.optional(),
  place: text.optional(),
  description: text.optional(),
  organisedBy: activityOwners.optional(),
  sources,
});

export const publicationRecord = z.strictObject({
  id: id("publication"),
  title: text,
  kind: z.enum(PublicationKind),
  year: year.optional(),
  url: url.optional(),
  description: text.optional(),
  publishedBy: activityOwners.optional(),
  sources,
});

/** Each collection of a seed file, the record shape and the node labels it is stored under. */
export const collections = {
  sources: { record: sourceRecord, labels: ["Source"] },
  topics: { record: topicRecord, labels: ["Topic"] },
  consortia: { record: consortiumRecord, labels: ["Consortium"] },
  governanceBodies: { record: governanceBodyRecord, labels: ["GovernanceBody"] },
  funders: { record: funderRecord, labels: ["Funder"] },
  organisations: { record: organisationRecord, labels: ["Organisation"] },
  stakeholders: { record: stakeholderRecord, labels: ["Stakeholder"] },
  programmes: { record: programmeRecord, labels: ["Programme"] },
  coordinationActions: { record: coordinationActionRecord, labels: ["CoordinationAction"] },
  recognitions: { record: recognitionRecord, labels: ["Recognition"] },
  events: { record: eventRecord, labels: ["Event"] },
  publications: { record: publicationRecord, labels: ["Publication"] },
  projects: { record: projectRecord, labels: ["Project"] },
  statedFacts: { record: statedFactRecord, labels: ["StatedFact"] },
} as const;

export type CollectionName = keyof typeof collections;
export type SeedRecord<C extends CollectionName> = z.infer<(typeof collections)[C]["record"]>;
