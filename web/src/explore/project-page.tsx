/** The explore page of a project (`cordis:<grant id>` or a curated `project:`). */
import { request } from "../dashboard/api.js";
import { eurExact, number } from "../dashboard/format.js";
import { QueryView } from "../dashboard/status.js";
import { type QueryState, useQuery } from "../dashboard/use-query.js";
import type {
  ExploreParticipantsQuery as ExploreParticipantsResult,
  ExploreProjectQuery as ExploreProjectResult,
} from "../generated/graphql.js";
import { cordisUrl, type ExploreFilters } from "../shared/links.js";
import { tierLabel } from "../shared/tiers.js";
import { enumWords } from "../shared/words.js";
import { fileOf, NotFound, Page, Section } from "./page-frame.js";
import {
  type Column,
  countryColumn,
  EgoNetwork,
  EntityLink,
  entityColumn,
  enumColumn,
  eurColumn,
  Facts,
  Figure,
  ListTable,
  Sources,
} from "./parts.js";
import { ExploreParticipantsQuery, ExploreProjectQuery } from "./queries.js";
import { useLoaded } from "./use-loaded.js";
import { cents } from "./where.js";

type ParticipantEdge = NonNullable<
  ExploreParticipantsResult["projects"][number]
>["participantsConnection"]["edges"][number];

/** Every participant of the project, in the source's order (pages of 100 by cursor). */
function useParticipants(id: string): QueryState<ParticipantEdge[]> {
  return useLoaded(id, async (signal) => {
    const all: ParticipantEdge[] = [];
    let after: string | null = null;
    for (;;) {
      const page: ExploreParticipantsResult = await request(ExploreParticipantsQuery, { id, after }, signal);
      const connection = page.projects[0]?.participantsConnection;
      if (!connection) break;
      all.push(...connection.edges);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor ?? null;
    }
    return all;
  });
}

type Project = NonNullable<ExploreProjectResult["projects"][number]>;

export function ProjectPage({ id, filters }: { id: string; filters: ExploreFilters }) {
  const state = useQuery(ExploreProjectQuery, { id });
  const participantState = useParticipants(id);
  return (
    <QueryView state={state} what="the project">
      {(data) => {
        const project = data.projects[0];
        if (!project) return <NotFound id={id} />;
        const participants = participantRows(participantState.status === "done" ? participantState.data : []);
        const cordis = cordisUrl(id);
        return (
          <Page
            title={project.acronym ? `${project.acronym}: ${project.title}` : project.title}
            kind="Project"
            id={id}
            filters={filters}
          >
            <Section title="Key facts and figures" testId="key-figures">
              <ProjectFigures
                project={project}
                participants={participantState.status === "done" ? participants : null}
              />
              <ProjectFacts project={project} />
              {project.objective ? (
                <details>
                  <summary>Objective</summary>
                  <p>{project.objective}</p>
                </details>
              ) : null}
            </Section>
            <Section title="Funders and programmes" testId="funders-section">
              <ProjectProgrammes project={project} />
            </Section>
            <Section title="Participants" testId="partners-section">
              <QueryView state={participantState} what="the participants">
                {() => null}
              </QueryView>
              <ProjectParticipants project={project} participants={participants} id={id} />
            </Section>
            <Section title="Sources" testId="sources-section">
              <Sources
                sources={project.sources}
                extra={cordis ? [{ title: "This project on CORDIS (cordis.europa.eu)", url: cordis }] : []}
              />
            </Section>
          </Page>
        );
      }}
    </QueryView>
  );
}

/** The participants as the table lists them: name, role, EU contribution, order in the source, country. */
function participantRows(edges: ParticipantEdge[]) {
  return edges.map((edge) => ({
    id: edge.node.id,
    label: edge.node.name,
    role: edge.properties.role,
    contribution: edge.properties.contribution ?? null,
    order: edge.properties.order ?? null,
    country: edge.node.country[0] ?? null,
  }));
}

type Participant = ReturnType<typeof participantRows>[number];

/**
 * The project's EU funding and, once every participant is loaded (`participants` not null), the EU
 * contributions to them (summed in whole cents) and their number.
 */
function ProjectFigures({ project, participants }: { project: Project; participants: Participant[] | null }) {
  const contributions = (participants ?? []).reduce((sum, p) => sum + cents(p.contribution), 0) / 100;
  return (
    <div className="figures">
      <Figure
        label="EU funding (maximum EU contribution)"
        value={project.funding ?? 0}
        text={project.funding == null ? "unknown" : eurExact(project.funding)}
        testId="figure-funding"
      />
      {participants ? (
        <>
          <Figure
            label="EU contributions to its participants"
            value={contributions}
            text={eurExact(contributions)}
            testId="figure-amount"
          />
          <Figure
            label="participants"
            value={participants.length}
            text={number(participants.length)}
            testId="figure-participants"
          />
        </>
      ) : null}
    </div>
  );
}

function ProjectFacts({ project }: { project: Project }) {
  return (
    <Facts
      items={[
        ["Dates", [project.startDate, project.endDate].filter(Boolean).join(" – ")],
        ["Status", enumWords(project.status)],
        ["Total cost", project.totalCost == null ? null : eurExact(project.totalCost)],
        ["Funding scheme", project.fundingScheme],
        ["Grant reference", project.grantReference],
        ["DOI", project.grantDoi],
        [
          "PM relevance",
          project.pmRelevance ? (
            <span key="tier" title={project.pmRelevance}>
              {tierLabel(project.pmRelevance)}
            </span>
          ) : null,
        ],
        ["Keywords", project.keywords],
        ["Topics", project.topics.map((topic) => topic.name).join("; ")],
      ]}
    />
  );
}

/** The project's programmes (with the programmes they are part of), then the funders of those programmes. */
function ProjectProgrammes({ project }: { project: Project }) {
  const funders = new Map(
    project.programmes.flatMap((programme) =>
      programme.funders.map((funder) => [funder.id, funder] as const),
    ),
  );
  return (
    <ul>
      {project.programmes.map((programme) => (
        <li key={programme.id}>
          <EntityLink id={programme.id}>{programme.acronym ?? programme.name}</EntityLink> (
          {enumWords(programme.kind)})
          {programme.partOf.map((parent) => (
            <span key={parent.id}>
              , part of <EntityLink id={parent.id}>{parent.acronym ?? parent.name}</EntityLink>
            </span>
          ))}
        </li>
      ))}
      {[...funders.values()].map((funder) => (
        <li key={funder.id}>
          funded by <EntityLink id={funder.id}>{funder.acronym ?? funder.name}</EntityLink>
        </li>
      ))}
    </ul>
  );
}

const PARTICIPANT_COLUMNS: Column<Participant>[] = [
  entityColumn("Participant"),
  countryColumn(),
  enumColumn("role", "Role", (row) => row.role),
  eurColumn("contribution", "EU contribution, EUR", (row) => row.contribution),
  { key: "order", label: "Order", value: (row) => row.order, numeric: true },
];

/** The participants around the project (weighed by their EU contribution), and their table in the source's order. */
function ProjectParticipants({
  project,
  participants,
  id,
}: {
  project: Project;
  participants: Participant[];
  id: string;
}) {
  return (
    <>
      <EgoNetwork
        center={project.title}
        neighbours={participants.map((p) => ({
          id: p.id,
          label: p.label,
          weight: p.contribution ?? 0,
        }))}
        unit="EUR EU contribution"
      />
      <ListTable
        rows={participants}
        rowId={(row) => `${row.id}\u0000${row.order ?? ""}`}
        csvId={(row) => row.id}
        filename={fileOf(id, "participants")}
        testId="partners"
        initialSort={{ key: "order", descending: false }}
        columns={PARTICIPANT_COLUMNS}
      />
    </>
  );
}
