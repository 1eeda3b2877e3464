import type { DashboardGapsQuery } from "../generated/graphql.js";
import { CsvButton } from "../shared/csv.js";
import { exploreHref, exploreKind } from "../shared/links.js";
import { idParam, useUrlState } from "../shared/url-state.js";
import { descriptionWords, idWords } from "../shared/words.js";
import { analysisFilters, type Filters } from "./filters.js";
import { number } from "./format.js";
import { ConsortiaQuery, GapsQuery } from "./queries.js";
import { CoverageNote, Empty, QueryView } from "./status.js";
import { useQuery } from "./use-query.js";

type Gap = DashboardGapsQuery["fundingGaps"][number];

const KIND_LABEL: Record<string, string> = {
  NO_PARTICIPATION_IN_TOPIC: "no participation in topic",
  BELOW_POPULATION_SHARE: "below population share",
  PROGRAMME_WITHOUT_PROJECTS: "programme without projects",
  TOPIC_WITHOUT_PROJECTS: "topic without projects",
  FUNDER_WITHOUT_PARTNER: "funder without partner",
  TOPIC_NOT_COVERED: "topic not covered by any project link",
  MEMBERSHIP_INCOMPLETE: "membership incomplete",
  PROJECTS_NOT_RECORDED: "funded projects not recorded",
};

function Subject({ id, label, filters }: { id: string; label: string; filters: Filters }) {
  return exploreKind(id) ? (
    <a href={exploreHref(id, analysisFilters(filters))} data-testid="gap-link">
      {label}
    </a>
  ) : (
    <span title={id}>{label}</span>
  );
}

const cell = (value: number | null | undefined) => (value == null ? "" : number(value));

/** The consortium shown (`?consortium=<id>`); absent: the first of the list. */
const CONSORTIUM_PARAM = idParam("consortium");

/**
 * fundingGaps of one consortium, with the dashboard's topic and year filters; caveats first. A
 * consortium of the URL that is not in the list gives way to the list's first.
 */
export function GapsPanel({ filters }: { filters: Filters }) {
  const consortia = useQuery(ConsortiaQuery, {});
  const [chosen, setChosen] = useUrlState<string>(CONSORTIUM_PARAM, "");
  const list = consortia.status === "done" ? consortia.data.consortia : [];
  const known = list.some((consortium) => consortium.id === chosen);
  const consortiumId = (known ? chosen : null) ?? list[0]?.id ?? null;
  return (
    <section className="panel" data-testid="gaps-panel" aria-labelledby="gaps-title" id="gaps">
      <header>
        <h2 id="gaps-title">Funding gaps of a consortium</h2>
        <label>
          Consortium{" "}
          <select
            value={consortiumId ?? ""}
            onChange={(event) => setChosen(event.target.value)}
            data-testid="gaps-consortium"
          >
            {list.map((consortium) => (
              <option key={consortium.id} value={consortium.id}>
                {consortium.acronym ?? consortium.name}
              </option>
            ))}
          </select>
        </label>
        {consortiumId ? <a href={exploreHref(consortiumId)}>explore the consortium</a> : null}
      </header>
      {consortiumId ? (
        <Gaps consortiumId={consortiumId} filters={filters} />
      ) : (
        <QueryView state={consortia} what="the consortia">
          {() => <Empty>No consortium in the graph.</Empty>}
        </QueryView>
      )}
    </section>
  );
}

function Gaps({ consortiumId, filters }: { consortiumId: string; filters: Filters }) {
  const state = useQuery(GapsQuery, { consortiumId, ...analysisFilters(filters) });
  return (
    <QueryView state={state} what="the funding gaps">
      {(data) => {
        const gaps = data.fundingGaps;
        // Missing data (the API's dataGap) is shown apart from missing funding, as caveats on the rest.
        const caveats = gaps.filter((gap) => gap.dataGap);
        const real = gaps.filter((gap) => !gap.dataGap);
        const incomplete = gaps.some((gap) => gap.membershipComplete === false);
        const row = (gap: Gap) => [
          gap.kind,
          gap.subjectId,
          gap.subjectLabel,
          gap.topicId ?? "",
          gap.expected,
          gap.actual,
          gap.reason,
          gap.sourceCount,
          gap.membershipComplete == null ? "" : String(gap.membershipComplete),
          String(gap.dataGap),
        ];
        return (
          <>
            <p className="description">
              Member countries (of funders that are members, not observers) with no participation in a topic
              or below half their population share, the consortium's programmes and topics without a funded
              project, and member funders that co-fund with no one. Each gap says why.
            </p>
            <CoverageNote statement={data.coverage.statement} />
            {caveats.length ? (
              <div className="caveat" data-testid="gaps-caveats">
                <strong>Coverage caveats</strong>: what the graph cannot tell, so the gaps below may be
                incomplete.
                <ul>
                  {caveats.map((gap) => (
                    <li
                      key={`${gap.kind}\u0000${gap.subjectId}`}
                      data-testid="gap-caveat"
                      data-kind={gap.kind}
                    >
                      {KIND_LABEL[gap.kind] ?? gap.kind}:{" "}
                      <Subject id={gap.subjectId} label={gap.subjectLabel} filters={filters} /> —{" "}
                      {descriptionWords(gap.reason)}
                    </li>
                  ))}
                </ul>
                {incomplete ? (
                  <p data-testid="membership-incomplete">
                    Fewer members are recorded than the consortium's sources state: member-country gaps are
                    computed from the recorded members only.
                  </p>
                ) : null}
              </div>
            ) : null}
            <div className="panel-tools">
              <span>
                {real.length} {real.length === 1 ? "gap" : "gaps"}, {caveats.length}{" "}
                {caveats.length === 1 ? "caveat" : "caveats"}
              </span>
              <CsvButton
                filename={`funding-gaps-${consortiumId.replace(/[^\w-]+/g, "-")}.csv`}
                testId="gaps-csv"
                header={[
                  "kind",
                  "subject_id",
                  "subject",
                  "topic_id",
                  "expected",
                  "actual",
                  "reason",
                  "source_count",
                  "membership_complete",
                  "data_gap",
                ]}
                rows={() => [...caveats, ...real].map(row)}
              />
            </div>
            {real.length === 0 ? (
              <Empty>No gap for these filters.</Empty>
            ) : (
              <div className="table-scroll">
                <table className="gaps-table" data-testid="gaps-table">
                  <thead>
                    <tr>
                      <th scope="col">Gap</th>
                      <th scope="col">Subject</th>
                      <th scope="col">Topic</th>
                      <th scope="col">Expected / found</th>
                      <th scope="col">Reason</th>
                    </tr>
                  </thead>
                  <tbody>
                    {real.map((gap) => (
                      <tr
                        key={`${gap.kind}\u0000${gap.subjectId}\u0000${gap.topicId ?? ""}`}
                        data-testid="gap"
                        data-kind={gap.kind}
                        data-subject={gap.subjectId}
                        data-topic={gap.topicId ?? ""}
                      >
                        <td>{KIND_LABEL[gap.kind] ?? gap.kind}</td>
                        <td>
                          <Subject id={gap.subjectId} label={gap.subjectLabel} filters={filters} />
                        </td>
                        <td title={gap.topicId ?? undefined}>{gap.topicId ? idWords(gap.topicId) : ""}</td>
                        <td className="num">
                          {gap.expected == null && gap.actual == null
                            ? ""
                            : `${cell(gap.expected)} / ${cell(gap.actual)}`}
                        </td>
                        <td>{descriptionWords(gap.reason)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        );
      }}
    </QueryView>
  );
}
