/** The explore page of a country (`country:XX`). */
import { eurExact, number } from "../dashboard/format.js";
import { CoverageNote, QueryView } from "../dashboard/status.js";
import { useQuery } from "../dashboard/use-query.js";
import type { ExploreFilters } from "../shared/links.js";
import { networkNeighbours, outsideText, partnerColumns, rowTotal } from "./page-figures.js";
import { fileOf, NotFound, Page, Section } from "./page-frame.js";
import { EgoNetwork, EntityLink, Facts, Figure, ListTable, ProjectList, Sources } from "./parts.js";
import { ExploreCountryQuery } from "./queries.js";
import { analysisFilters, projectsOf } from "./where.js";

export function CountryPage({ id, filters }: { id: string; filters: ExploreFilters }) {
  const f = analysisFilters(filters);
  const state = useQuery(ExploreCountryQuery, {
    id,
    filters: f,
    topicIds: f.topicIds,
    fromYear: f.fromYear,
    toYear: f.toYear,
    programmeIds: f.programmeIds,
    pmRelevance: f.pmRelevance,
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
              {outsideText(data.amount.rows, data.projectCount.rows, id)}
              <CoverageNote statement={data.amount.coverage.statement} />
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
