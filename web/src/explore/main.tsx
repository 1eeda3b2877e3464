import "../dashboard/dashboard.css";
import "./explore.css";
import { type ReactNode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { ApiError, request } from "../dashboard/api.js";
import { eurExact, number } from "../dashboard/format.js";
import { QueryView } from "../dashboard/status.js";
import { type QueryState, useQuery } from "../dashboard/use-query.js";
import type {
  ExploreParticipantsQuery as ExploreParticipantsResult,
  ExploreParticipationsQuery as ExploreParticipationsResult,
} from "../generated/graphql.js";
import {
  cordisUrl,
  type ExploreFilters,
  exploreHref,
  exploreKind,
  parseExploreLocation,
} from "../shared/links.js";
import {
  type Column,
  EgoNetwork,
  EntityLink,
  Facts,
  Figure,
  ListTable,
  type Neighbour,
  ProjectList,
  Sources,
} from "./parts.js";
import {
  ExploreConsortiumQuery,
  ExploreCountryQuery,
  ExploreFunderQuery,
  ExploreOrganisationQuery,
  ExploreParticipantsQuery,
  ExploreParticipationsQuery,
  ExplorePartnersQuery,
  ExploreProgrammeQuery,
  ExploreProjectQuery,
} from "./queries.js";
import { analysisFilters, cents, projectsOf, type Where } from "./where.js";

const fileOf = (id: string, what: string) => `${id.replace(/[^\w-]+/g, "-")}-${what}.csv`;

function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="panel" data-testid={testId} aria-label={title}>
      <header>
        <h2>{title}</h2>
      </header>
      {children}
    </section>
  );
}

function NotFound({ id }: { id: string }) {
  document.title = "Not found – PerMed Atlas";
  return (
    <section className="panel" data-testid="not-found">
      <h2>Nothing to explore at “{id}”</h2>
      <p>
        {exploreKind(id)
          ? "No entity in the graph has this id."
          : "Explore pages exist for ids starting with country:, org:, cordis:, project:, funder:, consortium: and programme:."}{" "}
        Ids look like <code>country:DE</code>, <code>org:999866495</code>, <code>cordis:101137129</code>,{" "}
        <code>funder:isciii</code>, <code>consortium:icpermed</code>.
      </p>
      <p>
        <a href="/dashboard">Back to the dashboard</a>
      </p>
    </section>
  );
}

function FiltersNote({ filters, id }: { filters: ExploreFilters; id: string }) {
  const parts = [
    filters.topicIds?.length ? `topics ${filters.topicIds.join(", ")}` : null,
    filters.programmeIds?.length ? `programmes ${filters.programmeIds.join(", ")}` : null,
    filters.fromYear != null ? `from ${filters.fromYear}` : null,
    filters.toYear != null ? `to ${filters.toYear}` : null,
  ].filter(Boolean);
  if (!parts.length) return null;
  return (
    <p className="caveat" data-testid="filters-note">
      Figures and projects within the filters: {parts.join("; ")} (start year).{" "}
      <a href={exploreHref(id)}>Show all</a>
    </p>
  );
}

function Page({
  title,
  kind,
  id,
  filters,
  children,
}: {
  title: string;
  kind: string;
  id: string;
  filters: ExploreFilters;
  children: ReactNode;
}) {
  document.title = `${title} – PerMed Atlas`;
  return (
    <>
      <div className="explore-title">
        <span className="kind">{kind}</span>
        <h2 data-testid="entity-name">{title}</h2>
        <code data-testid="entity-id">{id}</code>
      </div>
      <FiltersNote filters={filters} id={id} />
      {children}
    </>
  );
}

/** A row of an analysis answer for this entity: its total and what falls outside the columns (all of it). */
function rowTotal(rows: { key: string; total: number; outsideColumns: number }[], id: string): number {
  const row = rows.find((r) => r.key === id);
  return row ? (cents(row.total) + cents(row.outsideColumns)) / 100 : 0;
}

function networkNeighbours(
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

type Partner = Neighbour & { projects: number; amountEur: number };

const partnerColumns = (unit: string, money: boolean): Column<Partner>[] => [
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

function CountryPage({ id, filters }: { id: string; filters: ExploreFilters }) {
  const f = analysisFilters(filters);
  const state = useQuery(ExploreCountryQuery, {
    id,
    filters: f,
    topicIds: f.topicIds,
    fromYear: f.fromYear,
    toYear: f.toYear,
    programmeIds: f.programmeIds,
  });
  return (
    <QueryView state={state} what="the country">
      {(data) => {
        const country = data.countries[0];
        if (!country) return <NotFound id={id} />;
        const amount = rowTotal(data.amount.rows, id);
        const projects = rowTotal(data.projectCount.rows, id);
        const partners = networkNeighbours(data.collaborationNetwork, id);
        return (
          <Page title={country.name} kind="Country" id={id} filters={filters}>
            <Section title="Key facts and figures" testId="key-figures">
              <div className="figures">
                <Figure
                  label="EU contributions to participants located here"
                  value={amount}
                  text={eurExact(amount)}
                  testId="figure-amount"
                />
                <Figure
                  label="projects with a participant here"
                  value={projects}
                  text={number(projects)}
                  testId="figure-projects"
                />
                <Figure
                  label="organisations"
                  value={country.organisationsConnection.totalCount}
                  text={number(country.organisationsConnection.totalCount)}
                  testId="figure-organisations"
                />
              </div>
              <Facts
                items={[
                  ["Official name", country.officialName],
                  ["ISO code", country.code],
                  ["Region", [country.region, country.subRegion].filter(Boolean).join(" / ")],
                  [
                    "Population",
                    country.population == null
                      ? null
                      : `${number(country.population)} (${country.populationYear ?? "year unknown"}, World Bank)`,
                  ],
                  [
                    "Funders based here",
                    country.funders.length
                      ? country.funders.map((funder) => (
                          <span key={funder.id}>
                            <EntityLink id={funder.id}>{funder.acronym ?? funder.name}</EntityLink>{" "}
                          </span>
                        ))
                      : null,
                  ],
                ]}
              />
            </Section>
            <Section title="Projects" testId="projects-section">
              <ProjectList
                where={projectsOf(id, filters)!}
                filename={fileOf(id, "projects")}
                withFundingTotal={false}
              />
            </Section>
            <Section title="Partner countries" testId="partners-section">
              <EgoNetwork center={country.name} neighbours={partners} unit="shared projects" />
              <ListTable
                rows={partners}
                columns={partnerColumns("Shared projects", true)}
                rowId={(row) => row.id}
                filename={fileOf(id, "partners")}
                testId="partners"
                initialSort={{ key: "weight", descending: true }}
              />
            </Section>
            <Section title="Sources" testId="sources-section">
              <Sources sources={country.sources} />
            </Section>
          </Page>
        );
      }}
    </QueryView>
  );
}

/** The organisations in the same projects as `id` (within the filters), by shared projects: every page read. */
function usePartners(where: Where, id: string): QueryState<Partner[]> {
  const key = JSON.stringify(where);
  const [state, setState] = useState<QueryState<Partner[]>>({ status: "loading" });
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: "loading" });
    (async () => {
      const partners = new Map<string, Partner>();
      for (let offset = 0; ; offset += 40) {
        const page = await request(
          ExplorePartnersQuery,
          { where: JSON.parse(key) as Where, offset },
          controller.signal,
        );
        for (const project of page.projects) {
          for (const other of project.participants) {
            if (other.id === id) continue;
            const partner = partners.get(other.id) ?? {
              id: other.id,
              label: other.name,
              weight: 0,
              projects: 0,
              amountEur: 0,
            };
            partner.weight += 1;
            partner.projects += 1;
            partners.set(other.id, partner);
          }
        }
        if (page.projects.length < 40) break;
      }
      if (!controller.signal.aborted) setState({ status: "done", data: [...partners.values()] });
    })().catch((error: unknown) => {
      if (!controller.signal.aborted) {
        setState({
          status: "error",
          error: error instanceof ApiError ? error : new ApiError(String(error), undefined),
        });
      }
    });
    return () => controller.abort();
  }, [key, id]);
  return state;
}

type ParticipationEdge = NonNullable<
  ExploreParticipationsResult["organisations"][number]
>["projectsConnection"]["edges"][number];

/** Every participation of the organisation (pages of 500 by cursor), with the topics of the filter. */
function useParticipations(id: string, filters: ExploreFilters): QueryState<ParticipationEdge[]> {
  const topicIds = filters.topicIds?.length ? filters.topicIds : null;
  const key = JSON.stringify(topicIds);
  const [state, setState] = useState<QueryState<ParticipationEdge[]>>({ status: "loading" });
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: "loading" });
    (async () => {
      const topics = JSON.parse(key) as string[] | null;
      const all: ParticipationEdge[] = [];
      let after: string | null = null;
      for (;;) {
        const page: ExploreParticipationsResult = await request(
          ExploreParticipationsQuery,
          { id, after, topicIds: topics, byTopic: topics !== null },
          controller.signal,
        );
        const connection = page.organisations[0]?.projectsConnection;
        if (!connection) break;
        all.push(...connection.edges);
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor ?? null;
      }
      if (!controller.signal.aborted) setState({ status: "done", data: all });
    })().catch((error: unknown) => {
      if (!controller.signal.aborted) {
        setState({
          status: "error",
          error: error instanceof ApiError ? error : new ApiError(String(error), undefined),
        });
      }
    });
    return () => controller.abort();
  }, [id, key]);
  return state;
}

function OrganisationPage({ id, filters }: { id: string; filters: ExploreFilters }) {
  const state = useQuery(ExploreOrganisationQuery, { id });
  const participations = useParticipations(id, filters);
  const partnerState = usePartners(projectsOf(id, filters)!, id);
  return (
    <QueryView state={state} what="the organisation">
      {(data) => {
        const org = data.organisations[0];
        if (!org) return <NotFound id={id} />;
        const inFilters = (project: { startYear?: number | null; topics?: { id: string }[] }) =>
          (filters.fromYear == null ||
            (project.startYear != null && project.startYear >= filters.fromYear)) &&
          (filters.toYear == null || (project.startYear != null && project.startYear <= filters.toYear)) &&
          (!filters.topicIds?.length || (project.topics?.length ?? 0) > 0);
        const complete = participations.status === "done";
        const edges = complete ? participations.data.filter((edge) => inFilters(edge.node)) : [];
        const contribution = edges.reduce((sum, edge) => sum + cents(edge.properties.contribution), 0) / 100;
        const partnerList = partnerState.status === "done" ? partnerState.data : [];
        return (
          <Page title={org.name} kind="Organisation" id={id} filters={filters}>
            <Section title="Key facts and figures" testId="key-figures">
              {complete ? (
                <div className="figures">
                  <Figure
                    label="EU contributions to this organisation"
                    value={contribution}
                    text={eurExact(contribution)}
                    testId="figure-amount"
                  />
                  <Figure
                    label="participations"
                    value={edges.length}
                    text={number(edges.length)}
                    testId="figure-participations"
                  />
                  {partnerState.status === "done" ? (
                    <Figure
                      label="partner organisations"
                      value={partnerList.length}
                      text={number(partnerList.length)}
                      testId="figure-partners"
                    />
                  ) : null}
                </div>
              ) : (
                <QueryView state={participations} what="the participations">
                  {() => null}
                </QueryView>
              )}
              <Facts
                items={[
                  ["Short name", org.shortName],
                  ["Kind", org.kind],
                  ["City", org.city],
                  [
                    "Country",
                    org.country.map((country) => (
                      <EntityLink key={country.id} id={country.id}>
                        {country.name}
                      </EntityLink>
                    )),
                  ],
                  ["SME", org.sme == null ? null : org.sme ? "yes" : "no"],
                  ["CORDIS organisation id", org.cordisId],
                  [
                    "Website",
                    org.website ? (
                      <a key="website" href={org.website} rel="noopener noreferrer" target="_blank">
                        {org.website}
                      </a>
                    ) : null,
                  ],
                ]}
              />
            </Section>
            <Section title="Projects" testId="projects-section">
              <ProjectList
                where={projectsOf(id, filters)!}
                filename={fileOf(id, "projects")}
                withFundingTotal={false}
              />
            </Section>
            <Section title="Partners (organisations in the same projects)" testId="partners-section">
              <QueryView state={partnerState} what="the partners">
                {() => (
                  <>
                    <EgoNetwork center={org.name} neighbours={partnerList} unit="shared projects" />
                    <ListTable
                      rows={partnerList}
                      columns={partnerColumns("Shared projects", false)}
                      rowId={(row) => row.id}
                      filename={fileOf(id, "partners")}
                      testId="partners"
                      initialSort={{ key: "weight", descending: true }}
                    />
                  </>
                )}
              </QueryView>
            </Section>
            <Section title="Sources" testId="sources-section">
              <Sources sources={org.sources} />
            </Section>
          </Page>
        );
      }}
    </QueryView>
  );
}

type ParticipantEdge = NonNullable<
  ExploreParticipantsResult["projects"][number]
>["participantsConnection"]["edges"][number];

/** Every participant of the project, in the source's order (pages of 100 by cursor). */
function useParticipants(id: string): QueryState<ParticipantEdge[]> {
  const [state, setState] = useState<QueryState<ParticipantEdge[]>>({ status: "loading" });
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: "loading" });
    (async () => {
      const all: ParticipantEdge[] = [];
      let after: string | null = null;
      for (;;) {
        const page: ExploreParticipantsResult = await request(
          ExploreParticipantsQuery,
          { id, after },
          controller.signal,
        );
        const connection = page.projects[0]?.participantsConnection;
        if (!connection) break;
        all.push(...connection.edges);
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor ?? null;
      }
      if (!controller.signal.aborted) setState({ status: "done", data: all });
    })().catch((error: unknown) => {
      if (!controller.signal.aborted) {
        setState({
          status: "error",
          error: error instanceof ApiError ? error : new ApiError(String(error), undefined),
        });
      }
    });
    return () => controller.abort();
  }, [id]);
  return state;
}

function ProjectPage({ id, filters }: { id: string; filters: ExploreFilters }) {
  const state = useQuery(ExploreProjectQuery, { id });
  const participantState = useParticipants(id);
  return (
    <QueryView state={state} what="the project">
      {(data) => {
        const project = data.projects[0];
        if (!project) return <NotFound id={id} />;
        const edges = participantState.status === "done" ? participantState.data : [];
        const participantCount = edges.length;
        const participants = edges.map((edge) => ({
          id: edge.node.id,
          label: edge.node.name,
          role: edge.properties.role,
          contribution: edge.properties.contribution ?? null,
          order: edge.properties.order ?? null,
          country: edge.node.country[0] ?? null,
        }));
        const contributions = participants.reduce((sum, p) => sum + cents(p.contribution), 0) / 100;
        const funders = new Map(
          project.programmes.flatMap((programme) =>
            programme.funders.map((funder) => [funder.id, funder] as const),
          ),
        );
        const cordis = cordisUrl(id);
        return (
          <Page
            title={project.acronym ? `${project.acronym}: ${project.title}` : project.title}
            kind="Project"
            id={id}
            filters={filters}
          >
            <Section title="Key facts and figures" testId="key-figures">
              <div className="figures">
                <Figure
                  label="EU funding (ecMaxContribution)"
                  value={project.funding ?? 0}
                  text={project.funding == null ? "unknown" : eurExact(project.funding)}
                  testId="figure-funding"
                />
                {participantState.status === "done" ? (
                  <>
                    <Figure
                      label="EU contributions to its participants"
                      value={contributions}
                      text={eurExact(contributions)}
                      testId="figure-amount"
                    />
                    <Figure
                      label="participants"
                      value={participantCount}
                      text={number(participantCount)}
                      testId="figure-participants"
                    />
                  </>
                ) : null}
              </div>
              <Facts
                items={[
                  ["Dates", [project.startDate, project.endDate].filter(Boolean).join(" – ")],
                  ["Status", project.status],
                  ["Total cost", project.totalCost == null ? null : eurExact(project.totalCost)],
                  ["Funding scheme", project.fundingScheme],
                  ["Grant reference", project.grantReference],
                  ["DOI", project.grantDoi],
                  ["PM relevance", project.pmRelevance],
                  ["Keywords", project.keywords],
                  ["Topics", project.topics.map((topic) => topic.name).join("; ")],
                ]}
              />
              {project.objective ? (
                <details>
                  <summary>Objective</summary>
                  <p>{project.objective}</p>
                </details>
              ) : null}
            </Section>
            <Section title="Funders and programmes" testId="funders-section">
              <ul>
                {project.programmes.map((programme) => (
                  <li key={programme.id}>
                    <EntityLink id={programme.id}>{programme.acronym ?? programme.name}</EntityLink> (
                    {programme.kind})
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
            </Section>
            <Section title="Participants" testId="partners-section">
              <QueryView state={participantState} what="the participants">
                {() => null}
              </QueryView>
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
                columns={[
                  {
                    key: "label",
                    label: "Participant",
                    value: (row) => row.label,
                    render: (row) => <EntityLink id={row.id}>{row.label}</EntityLink>,
                  },
                  {
                    key: "country",
                    label: "Country",
                    value: (row) => row.country?.name ?? "",
                    render: (row) =>
                      row.country ? <EntityLink id={row.country.id}>{row.country.name}</EntityLink> : "",
                  },
                  { key: "role", label: "Role", value: (row) => row.role },
                  {
                    key: "contribution",
                    label: "EU contribution, EUR",
                    value: (row) => row.contribution,
                    numeric: true,
                    render: (row) => (row.contribution == null ? "" : eurExact(row.contribution)),
                  },
                  { key: "order", label: "Order", value: (row) => row.order, numeric: true },
                ]}
              />
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

function FunderPage({ id, filters }: { id: string; filters: ExploreFilters }) {
  const f = analysisFilters(filters);
  const state = useQuery(ExploreFunderQuery, {
    id,
    filters: f,
    topicIds: f.topicIds,
    fromYear: f.fromYear,
    toYear: f.toYear,
    programmeIds: f.programmeIds,
  });
  return (
    <QueryView state={state} what="the funder">
      {(data) => {
        const funder = data.funders[0];
        if (!funder) return <NotFound id={id} />;
        const amount = rowTotal(data.amount.rows, id);
        const projects = rowTotal(data.projectCount.rows, id);
        const partners = networkNeighbours(data.collaborationNetwork, id);
        return (
          <Page title={funder.name} kind="Funder" id={id} filters={filters}>
            <Section title="Key facts and figures" testId="key-figures">
              <div className="figures">
                <Figure
                  label="EU and other funding of projects under its programmes"
                  value={amount}
                  text={eurExact(amount)}
                  testId="figure-amount"
                />
                <Figure
                  label="projects under its programmes and their calls"
                  value={projects}
                  text={number(projects)}
                  testId="figure-projects"
                />
                <Figure
                  label="programmes it funds"
                  value={funder.programmesConnection.edges.length}
                  text={number(funder.programmesConnection.edges.length)}
                  testId="figure-programmes"
                />
              </div>
              <Facts
                items={[
                  ["Acronym", funder.acronym],
                  ["Kind", funder.kind],
                  [
                    "Country",
                    funder.country.map((country) => (
                      <EntityLink key={country.id} id={country.id}>
                        {country.name}
                      </EntityLink>
                    )),
                  ],
                  ["Region", funder.region],
                  [
                    "Website",
                    funder.website ? (
                      <a key="website" href={funder.website} rel="noopener noreferrer" target="_blank">
                        {funder.website}
                      </a>
                    ) : null,
                  ],
                ]}
              />
            </Section>
            <Section title="Consortia and programmes" testId="funders-section">
              <ListTable
                rows={funder.consortiaConnection.edges.map((edge) => ({
                  id: edge.node.id,
                  label: edge.node.acronym ?? edge.node.name,
                  status: edge.properties.status,
                  since: edge.properties.since ?? null,
                }))}
                rowId={(row) => row.id}
                filename={fileOf(id, "consortia")}
                testId="consortia"
                columns={[
                  {
                    key: "label",
                    label: "Consortium",
                    value: (row) => row.label,
                    render: (row) => <EntityLink id={row.id}>{row.label}</EntityLink>,
                  },
                  { key: "status", label: "Status", value: (row) => row.status },
                  { key: "since", label: "Since", value: (row) => row.since, numeric: true },
                ]}
              />
              <ListTable
                rows={funder.programmesConnection.edges.map((edge) => ({
                  id: edge.node.id,
                  label: edge.node.acronym ?? edge.node.name,
                  kind: edge.node.kind,
                  commitment: edge.properties.commitment ?? null,
                }))}
                rowId={(row) => row.id}
                filename={fileOf(id, "programmes")}
                testId="programmes"
                columns={[
                  {
                    key: "label",
                    label: "Programme",
                    value: (row) => row.label,
                    render: (row) => <EntityLink id={row.id}>{row.label}</EntityLink>,
                  },
                  { key: "kind", label: "Kind", value: (row) => row.kind },
                  {
                    key: "commitment",
                    label: "Commitment, EUR",
                    value: (row) => row.commitment,
                    numeric: true,
                    render: (row) => (row.commitment == null ? "" : eurExact(row.commitment)),
                  },
                ]}
              />
            </Section>
            <Section title="Projects" testId="projects-section">
              <ProjectList
                where={projectsOf(id, filters)!}
                filename={fileOf(id, "projects")}
                withFundingTotal={true}
              />
            </Section>
            <Section title="Co-funders (programmes funded together)" testId="partners-section">
              <EgoNetwork center={funder.name} neighbours={partners} unit="co-funded programmes" />
              <ListTable
                rows={partners}
                columns={partnerColumns("Co-funded programmes", false)}
                rowId={(row) => row.id}
                filename={fileOf(id, "co-funders")}
                testId="partners"
                initialSort={{ key: "weight", descending: true }}
              />
            </Section>
            <Section title="Sources" testId="sources-section">
              <Sources sources={funder.sources} />
            </Section>
          </Page>
        );
      }}
    </QueryView>
  );
}

function ConsortiumPage({ id, filters }: { id: string; filters: ExploreFilters }) {
  const state = useQuery(ExploreConsortiumQuery, { id });
  return (
    <QueryView state={state} what="the consortium">
      {(data) => {
        const consortium = data.consortia[0];
        if (!consortium) return <NotFound id={id} />;
        const members = consortium.membersConnection.edges.map((edge) => ({
          id: edge.node.id,
          label: edge.node.acronym ? `${edge.node.acronym} (${edge.node.name})` : edge.node.name,
          status: edge.properties.status,
          since: edge.properties.since ?? null,
          country: edge.node.country[0] ?? null,
        }));
        const recorded = members.filter((member) => member.status === "MEMBER").length;
        return (
          <Page title={consortium.name} kind="Consortium" id={id} filters={filters}>
            <Section title="Key facts and figures" testId="key-figures">
              <div className="figures">
                <Figure
                  label="members recorded (status MEMBER)"
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
                  {consortium.statedMemberCount} members; the graph records {recorded}: member lists and gaps
                  are incomplete.
                </p>
              ) : null}
              <Facts
                items={[
                  ["Acronym", consortium.acronym],
                  ["Kind", consortium.kind],
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
              {consortium.description ? <p>{consortium.description}</p> : null}
            </Section>
            <Section title="Members" testId="partners-section">
              <EgoNetwork
                center={consortium.name}
                neighbours={members.map((member) => ({
                  id: member.id,
                  label: member.label,
                  weight: member.status === "MEMBER" ? 2 : 1,
                }))}
                unit="(2 member, 1 observer)"
              />
              <ListTable
                rows={members}
                rowId={(row) => row.id}
                filename={fileOf(id, "members")}
                testId="partners"
                columns={[
                  {
                    key: "label",
                    label: "Funder",
                    value: (row) => row.label,
                    render: (row) => <EntityLink id={row.id}>{row.label}</EntityLink>,
                  },
                  {
                    key: "country",
                    label: "Country",
                    value: (row) => row.country?.name ?? "",
                    render: (row) =>
                      row.country ? <EntityLink id={row.country.id}>{row.country.name}</EntityLink> : "",
                  },
                  { key: "status", label: "Status", value: (row) => row.status },
                  { key: "since", label: "Since", value: (row) => row.since, numeric: true },
                ]}
              />
            </Section>
            <Section title="Programmes" testId="funders-section">
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
                columns={[
                  {
                    key: "label",
                    label: "Programme",
                    value: (row) => row.label,
                    render: (row) => <EntityLink id={row.id}>{row.label}</EntityLink>,
                  },
                  { key: "kind", label: "Kind", value: (row) => row.kind },
                  { key: "startYear", label: "Start year", value: (row) => row.startYear, numeric: true },
                ]}
              />
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

function ProgrammePage({ id, filters }: { id: string; filters: ExploreFilters }) {
  const state = useQuery(ExploreProgrammeQuery, { id });
  return (
    <QueryView state={state} what="the programme">
      {(data) => {
        const programme = data.programmes[0];
        if (!programme) return <NotFound id={id} />;
        return (
          <Page title={programme.name} kind="Programme" id={id} filters={filters}>
            <Section title="Key facts" testId="key-figures">
              <Facts
                items={[
                  ["Acronym", programme.acronym],
                  ["Kind", programme.kind],
                  [
                    "Years",
                    [programme.startYear, programme.endYear].filter((year) => year != null).join(" – "),
                  ],
                  ["Budget", programme.budget == null ? programme.budgetNote : eurExact(programme.budget)],
                  [
                    "Part of",
                    programme.partOf.map((parent) => (
                      <EntityLink key={parent.id} id={parent.id}>
                        {parent.acronym ?? parent.name}
                      </EntityLink>
                    )),
                  ],
                  [
                    "Run by",
                    programme.runBy.map((consortium) => (
                      <EntityLink key={consortium.id} id={consortium.id}>
                        {consortium.acronym ?? consortium.name}
                      </EntityLink>
                    )),
                  ],
                  ["Calls", programme.parts.length ? `${programme.parts.length}` : null],
                ]}
              />
              {programme.description ? <p>{programme.description}</p> : null}
            </Section>
            <Section title="Funders" testId="funders-section">
              <ListTable
                rows={programme.fundersConnection.edges.map((edge) => ({
                  id: edge.node.id,
                  label: edge.node.acronym ?? edge.node.name,
                  commitment: edge.properties.commitment ?? null,
                }))}
                rowId={(row) => row.id}
                filename={fileOf(id, "funders")}
                testId="partners"
                columns={[
                  {
                    key: "label",
                    label: "Funder",
                    value: (row) => row.label,
                    render: (row) => <EntityLink id={row.id}>{row.label}</EntityLink>,
                  },
                  {
                    key: "commitment",
                    label: "Commitment, EUR",
                    value: (row) => row.commitment,
                    numeric: true,
                    render: (row) => (row.commitment == null ? "" : eurExact(row.commitment)),
                  },
                ]}
              />
            </Section>
            <Section title="Projects under it and its calls" testId="projects-section">
              <ProjectList
                where={projectsOf(id, filters)!}
                filename={fileOf(id, "projects")}
                withFundingTotal={true}
              />
            </Section>
            <Section title="Sources" testId="sources-section">
              <Sources sources={programme.sources} />
            </Section>
          </Page>
        );
      }}
    </QueryView>
  );
}

function Explore() {
  const { id, filters } = parseExploreLocation(window.location);
  const kind = exploreKind(id);
  const page =
    kind === "country" ? (
      <CountryPage id={id} filters={filters} />
    ) : kind === "org" ? (
      <OrganisationPage id={id} filters={filters} />
    ) : kind === "cordis" || kind === "project" ? (
      <ProjectPage id={id} filters={filters} />
    ) : kind === "funder" ? (
      <FunderPage id={id} filters={filters} />
    ) : kind === "consortium" ? (
      <ConsortiumPage id={id} filters={filters} />
    ) : kind === "programme" ? (
      <ProgrammePage id={id} filters={filters} />
    ) : (
      <NotFound id={id} />
    );
  return (
    <>
      <header className="page-header">
        <h1>PerMed Atlas · explore</h1>
        <nav>
          <a href="/dashboard">Dashboard</a> · <a href="/">GraphQL playground</a>
        </nav>
      </header>
      <main>{page}</main>
      <footer className="page-footer">
        Every figure comes from <code>/graphql</code> (the generated API and the analysis queries); a
        project's year is its start year.
      </footer>
    </>
  );
}

createRoot(document.getElementById("explore")!).render(<Explore />);
