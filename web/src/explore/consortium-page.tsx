/** The explore page of a consortium (`consortium:<id>`). */
import { number } from "../dashboard/format.js";
import { QueryView } from "../dashboard/status.js";
import { useQuery } from "../dashboard/use-query.js";
import type { ExploreConsortiumQuery as ExploreConsortiumResult } from "../generated/graphql.js";
import type { ExploreFilters } from "../shared/links.js";
import { enumWords } from "../shared/words.js";
import { fileOf, NotFound, Page, Section } from "./page-frame.js";
import {
  type Column,
  countryColumn,
  EgoNetwork,
  EntityLink,
  entityColumn,
  enumColumn,
  Facts,
  Figure,
  ListTable,
  ProjectList,
  Sources,
} from "./parts.js";
import { ExploreConsortiumQuery } from "./queries.js";
import { projectsOf } from "./where.js";

type Consortium = NonNullable<ExploreConsortiumResult["consortia"][number]>;

export function ConsortiumPage({ id, filters }: { id: string; filters: ExploreFilters }) {
  const state = useQuery(ExploreConsortiumQuery, { id });
  return (
    <QueryView state={state} what="the consortium">
      {(data) => {
        const consortium = data.consortia[0];
        if (!consortium) return <NotFound id={id} />;
        const members = consortiumMembers(consortium);
        return (
          <Page title={consortium.name} kind="Consortium" id={id} filters={filters}>
            <Section title="Key facts and figures" testId="key-figures">
              <ConsortiumFigures consortium={consortium} members={members} />
              <ConsortiumFacts consortium={consortium} id={id} />
              {consortium.description ? <p>{consortium.description}</p> : null}
            </Section>
            <Section title="Members" testId="partners-section">
              <ConsortiumMembers consortium={consortium} members={members} id={id} />
            </Section>
            <Section title="Programmes" testId="funders-section">
              <ConsortiumProgrammes consortium={consortium} id={id} />
            </Section>
            <Section title="Projects under its programmes" testId="projects-section">
              <ProjectList
                where={projectsOf(id, filters)!}
                filename={fileOf(id, "projects")}
                withFundingTotal={true}
              />
            </Section>
            <Section title="Sources" testId="sources-section">
              <Sources sources={consortium.sources} />
            </Section>
          </Page>
        );
      }}
    </QueryView>
  );
}

/** The consortium's members and observers, each with its status, year of joining and country. */
function consortiumMembers(consortium: Consortium) {
  return consortium.membersConnection.edges.map((edge) => ({
    id: edge.node.id,
    label: edge.node.acronym ? `${edge.node.acronym} (${edge.node.name})` : edge.node.name,
    status: edge.properties.status,
    since: edge.properties.since ?? null,
    country: edge.node.country[0] ?? null,
  }));
}

type Member = ReturnType<typeof consortiumMembers>[number];

/** The recorded members (observers not counted), the programmes, and a caveat when sources state more members. */
function ConsortiumFigures({ consortium, members }: { consortium: Consortium; members: Member[] }) {
  const recorded = members.filter((member) => member.status === "MEMBER").length;
  return (
    <>
      <div className="figures">
        <Figure
          label="members recorded (observers not counted)"
          value={recorded}
          text={number(recorded)}
          testId="figure-members"
        />
        <Figure
          label="programmes it runs"
          value={consortium.programmes.length}
          text={number(consortium.programmes.length)}
          testId="figure-programmes"
        />
      </div>
      {consortium.statedMemberCount != null && consortium.statedMemberCount > recorded ? (
        <p className="caveat" data-testid="membership-incomplete">
          Its sources state {consortium.statedMemberCountQualifier === "OVER" ? "over " : ""}
          {consortium.statedMemberCount} members; the graph records {recorded}: member lists and gaps are
          incomplete.
        </p>
      ) : null}
    </>
  );
}

function ConsortiumFacts({ consortium, id }: { consortium: Consortium; id: string }) {
  return (
    <Facts
      items={[
        ["Acronym", consortium.acronym],
        ["Kind", enumWords(consortium.kind)],
        ["Founded", consortium.founded],
        [
          "Size as stated",
          consortium.statedSizeStatement
            ? `“${consortium.statedSizeStatement}” (${consortium.statedSizeAsOf ?? "undated"})`
            : null,
        ],
        [
          "Supported by",
          consortium.supportedBy.map((action) => (
            <span key={action.id}>
              <EntityLink id={action.id}>{action.acronym ?? action.title}</EntityLink>{" "}
            </span>
          )),
        ],
        [
          "Website",
          consortium.website ? (
            <a key="website" href={consortium.website} rel="noopener noreferrer" target="_blank">
              {consortium.website}
            </a>
          ) : null,
        ],
        [
          "Funding gaps",
          <a key="gaps" href={`/dashboard?consortium=${encodeURIComponent(id)}#gaps`}>
            on the dashboard
          </a>,
        ],
      ]}
    />
  );
}

const MEMBER_COLUMNS: Column<Member>[] = [
  entityColumn("Funder"),
  countryColumn(),
  enumColumn("status", "Status", (row) => row.status),
  { key: "since", label: "Since", value: (row) => row.since, numeric: true },
];

/** The members around the consortium (a member weighs 2, an observer 1), and their table. */
function ConsortiumMembers({
  consortium,
  members,
  id,
}: {
  consortium: Consortium;
  members: Member[];
  id: string;
}) {
  return (
    <>
      <EgoNetwork
        center={consortium.name}
        neighbours={members.map((member) => ({
          id: member.id,
          label: member.label,
          weight: member.status === "MEMBER" ? 2 : 1,
        }))}
        unit="membership"
        weightText={(weight) => (weight === 2 ? "member" : "observer")}
      />
      <ListTable
        rows={members}
        rowId={(row) => row.id}
        filename={fileOf(id, "members")}
        testId="partners"
        columns={MEMBER_COLUMNS}
      />
    </>
  );
}

type ProgrammeRow = { id: string; label: string; kind: string; startYear: number | null };

const PROGRAMME_COLUMNS: Column<ProgrammeRow>[] = [
  entityColumn("Programme"),
  enumColumn("kind", "Kind", (row) => row.kind),
  { key: "startYear", label: "Start year", value: (row) => row.startYear, numeric: true },
];

function ConsortiumProgrammes({ consortium, id }: { consortium: Consortium; id: string }) {
  return (
    <ListTable
      rows={consortium.programmes.map((programme) => ({
        id: programme.id,
        label: programme.acronym ?? programme.name,
        kind: programme.kind,
        startYear: programme.startYear ?? null,
      }))}
      rowId={(row) => row.id}
      filename={fileOf(id, "programmes")}
      testId="programmes"
      columns={PROGRAMME_COLUMNS}
    />
  );
}
