/** The explore page of a consortium (`consortium:<id>`). */
import { number } from "../dashboard/format.js";
import { QueryView } from "../dashboard/status.js";
import { useQuery } from "../dashboard/use-query.js";
import type { ExploreFilters } from "../shared/links.js";
import { enumWords } from "../shared/words.js";
import { fileOf, NotFound, Page, Section } from "./page-frame.js";
import { EgoNetwork, EntityLink, Facts, Figure, ListTable, ProjectList, Sources } from "./parts.js";
import { ExploreConsortiumQuery } from "./queries.js";
import { projectsOf } from "./where.js";

export function ConsortiumPage({ id, filters }: { id: string; filters: ExploreFilters }) {
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
                  {consortium.statedMemberCount} members; the graph records {recorded}: member lists and gaps
                  are incomplete.
                </p>
              ) : null}
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
                unit="membership"
                weightText={(weight) => (weight === 2 ? "member" : "observer")}
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
                  {
                    key: "status",
                    label: "Status",
                    value: (row) => row.status,
                    render: (row) => enumWords(row.status),
                  },
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
                  {
                    key: "kind",
                    label: "Kind",
                    value: (row) => row.kind,
                    render: (row) => enumWords(row.kind),
                  },
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
