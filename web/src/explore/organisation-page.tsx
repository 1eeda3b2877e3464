/** The explore page of an organisation (`org:<PIC>`). */
import { request } from "../dashboard/api.js";
import { eurExact, number } from "../dashboard/format.js";
import { QueryView } from "../dashboard/status.js";
import { type QueryState, useQuery } from "../dashboard/use-query.js";
import type { ExploreParticipationsQuery as ExploreParticipationsResult } from "../generated/graphql.js";
import type { ExploreFilters } from "../shared/links.js";
import { enumWords } from "../shared/words.js";
import { type Partner, partnerColumns } from "./page-figures.js";
import { fileOf, NotFound, Page, Section } from "./page-frame.js";
import { EgoNetwork, EntityLink, Facts, Figure, ListTable, ProjectList, Sources } from "./parts.js";
import { ExploreOrganisationQuery, ExploreParticipationsQuery, ExplorePartnersQuery } from "./queries.js";
import { useLoaded } from "./use-loaded.js";
import { cents, projectsOf, type Where } from "./where.js";

function usePartners(where: Where, id: string): QueryState<Partner[]> {
  return useLoaded(JSON.stringify([where, id]), async (signal) => {
    const partners = new Map<string, Partner>();
    for (let offset = 0; ; offset += 40) {
      const page = await request(ExplorePartnersQuery, { where, offset }, signal);
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
    return [...partners.values()];
  });
}

type ParticipationEdge = NonNullable<
  ExploreParticipationsResult["organisations"][number]
>["projectsConnection"]["edges"][number];

/** Every participation of the organisation (pages of 500 by cursor), with the topics of the filter. */
function useParticipations(id: string, filters: ExploreFilters): QueryState<ParticipationEdge[]> {
  const topicIds = filters.topicIds?.length ? filters.topicIds : null;
  return useLoaded(JSON.stringify([id, topicIds]), async (signal) => {
    const all: ParticipationEdge[] = [];
    let after: string | null = null;
    for (;;) {
      const page: ExploreParticipationsResult = await request(
        ExploreParticipationsQuery,
        { id, after, topicIds, byTopic: topicIds !== null },
        signal,
      );
      const connection = page.organisations[0]?.projectsConnection;
      if (!connection) break;
      all.push(...connection.edges);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor ?? null;
    }
    return all;
  });
}

export function OrganisationPage({ id, filters }: { id: string; filters: ExploreFilters }) {
  const state = useQuery(ExploreOrganisationQuery, { id });
  const participations = useParticipations(id, filters);
  const partnerState = usePartners(projectsOf(id, filters)!, id);
  return (
    <QueryView state={state} what="the organisation">
      {(data) => {
        const org = data.organisations[0];
        if (!org) return <NotFound id={id} />;
        const inFilters = (project: {
          startYear?: number | null;
          pmRelevance?: string | null;
          topics?: { id: string }[];
        }) =>
          (!filters.pmRelevance?.length || filters.pmRelevance.includes(project.pmRelevance ?? "")) &&
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
                  ["Kind", enumWords(org.kind)],
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
