/** The explore page of a funder (`funder:<id>`). */
import { eurExact, number } from "../dashboard/format.js";
import { CoverageNote, QueryView } from "../dashboard/status.js";
import { useQuery } from "../dashboard/use-query.js";
import type { ExploreFunderQuery as ExploreFunderResult } from "../generated/graphql.js";
import type { ExploreFilters } from "../shared/links.js";
import { enumWords } from "../shared/words.js";
import { networkNeighbours, outsideText, partnerColumns, rowTotal } from "./page-figures.js";
import { fileOf, NotFound, Page, Section } from "./page-frame.js";
import {
  type Column,
  EgoNetwork,
  EntityLink,
  entityColumn,
  enumColumn,
  eurColumn,
  Facts,
  Figure,
  ListTable,
  ProjectList,
  Sources,
} from "./parts.js";
import { ExploreFunderQuery } from "./queries.js";
import { analysisFilters, projectsOf } from "./where.js";

type Funder = NonNullable<ExploreFunderResult["funders"][number]>;

/** The funder, and the funding, projects and co-funders of its programmes within the filters. */
function useFunder(id: string, filters: ExploreFilters) {
  const f = analysisFilters(filters);
  return useQuery(ExploreFunderQuery, {
    id,
    filters: f,
    topicIds: f.topicIds,
    fromYear: f.fromYear,
    toYear: f.toYear,
    programmeIds: f.programmeIds,
  });
}

export function FunderPage({ id, filters }: { id: string; filters: ExploreFilters }) {
  const state = useFunder(id, filters);
  return (
    <QueryView state={state} what="the funder">
      {(data) => {
        const funder = data.funders[0];
        if (!funder) return <NotFound id={id} />;
        const partners = networkNeighbours(data.collaborationNetwork, id);
        return (
          <Page title={funder.name} kind="Funder" id={id} filters={filters}>
            <Section title="Key facts and figures" testId="key-figures">
              <FunderFigures data={data} funder={funder} id={id} />
              {outsideText(data.amount.rows, data.projectCount.rows, id)}
              <CoverageNote statement={data.amount.coverage.statement} />
              <FunderFacts funder={funder} />
            </Section>
            <Section title="Consortia and programmes" testId="funders-section">
              <FunderConsortia funder={funder} id={id} />
              <FunderProgrammes funder={funder} id={id} />
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

/** The funding and the projects under the funder's programmes (the funder's matrix rows), and its programmes. */
function FunderFigures({ data, funder, id }: { data: ExploreFunderResult; funder: Funder; id: string }) {
  const amount = rowTotal(data.amount.rows, id);
  const projects = rowTotal(data.projectCount.rows, id);
  return (
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
  );
}

function FunderFacts({ funder }: { funder: Funder }) {
  return (
    <Facts
      items={[
        ["Acronym", funder.acronym],
        ["Kind", enumWords(funder.kind)],
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
  );
}

type ConsortiumRow = { id: string; label: string; status: string; since: number | null };

const CONSORTIUM_COLUMNS: Column<ConsortiumRow>[] = [
  entityColumn("Consortium"),
  enumColumn("status", "Status", (row) => row.status),
  { key: "since", label: "Since", value: (row) => row.since, numeric: true },
];

/** The consortia the funder belongs to (as member or observer, and since when). */
function FunderConsortia({ funder, id }: { funder: Funder; id: string }) {
  return (
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
      columns={CONSORTIUM_COLUMNS}
    />
  );
}

type ProgrammeRow = { id: string; label: string; kind: string; commitment: number | null };

const PROGRAMME_COLUMNS: Column<ProgrammeRow>[] = [
  entityColumn("Programme"),
  enumColumn("kind", "Kind", (row) => row.kind),
  eurColumn("commitment", "Commitment, EUR", (row) => row.commitment),
];

/** The programmes the funder funds, with its commitment to each. */
function FunderProgrammes({ funder, id }: { funder: Funder; id: string }) {
  return (
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
      columns={PROGRAMME_COLUMNS}
    />
  );
}
