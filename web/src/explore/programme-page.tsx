/** The explore page of a programme or call (`programme:<id>`). */
import { eurExact } from "../dashboard/format.js";
import { QueryView } from "../dashboard/status.js";
import { useQuery } from "../dashboard/use-query.js";
import type { ExploreFilters } from "../shared/links.js";
import { enumWords } from "../shared/words.js";
import { fileOf, NotFound, Page, Section } from "./page-frame.js";
import {
  type Column,
  EntityLink,
  entityColumn,
  eurColumn,
  Facts,
  ListTable,
  ProjectList,
  Sources,
} from "./parts.js";
import { ExploreProgrammeQuery } from "./queries.js";
import { projectsOf } from "./where.js";

export function ProgrammePage({ id, filters }: { id: string; filters: ExploreFilters }) {
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
                  ["Kind", enumWords(programme.kind)],
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
                columns={FUNDER_COLUMNS}
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

type FunderRow = { id: string; label: string; commitment: number | null };

const FUNDER_COLUMNS: Column<FunderRow>[] = [
  entityColumn("Funder"),
  eurColumn("commitment", "Commitment, EUR", (row) => row.commitment),
];
