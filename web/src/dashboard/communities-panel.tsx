import { useState } from "react";
import type { CommunityQuality, DashboardCommunitiesQuery } from "../generated/graphql.js";
import { CsvButton } from "../shared/csv.js";
import type { CsvValue } from "../shared/csv-text.js";
import { choiceParam, integerParam, useUrlState } from "../shared/url-state.js";
import { plural } from "../shared/words.js";
import {
  type AnalyticsLevel,
  decimalParam,
  LEVELS,
  LevelSelect,
  NameList,
  namesBy,
  ScrollRegion,
} from "./analytics-shared.js";
import { type Filters, networkFilters } from "./filters.js";
import { number } from "./format.js";
import { CommunitiesQuery } from "./queries.js";
import { Described, Empty, QueryView } from "./status.js";
import { useQuery } from "./use-query.js";

type Communities = DashboardCommunitiesQuery["networkCommunities"];

const QUALITY_WORDS: Record<CommunityQuality, string> = {
  MODULARITY: "Modularity",
  CPM: "Constant Potts model (CPM)",
};
const DEFAULT_RESOLUTION = 1;
const DEFAULT_SEED = 20161116;

/** `?clevel=ORGANISATION&cquality=CPM&cres=0.05&cseed=7`: the network, quality, resolution and seed. */
const LEVEL_PARAM = choiceParam<AnalyticsLevel>("clevel", LEVELS);
const QUALITY_PARAM = choiceParam<CommunityQuality>("cquality", ["MODULARITY", "CPM"]);
const RESOLUTION_PARAM = decimalParam("cres", 0, 1000);
const SEED_PARAM = integerParam("cseed", 0, 999_999_999);

export const COMMUNITIES_CSV_HEADER = [
  "community",
  "size",
  "internal_weight",
  "total_weight",
  "member_id",
  "member",
];

function csvRows(communities: Communities, name: (key: string) => string): CsvValue[][] {
  return communities.communities.flatMap((community) =>
    community.members.map((key) => [
      community.index + 1,
      community.size,
      community.internalWeight,
      community.totalWeight,
      key,
      name(key),
    ]),
  );
}

/** The resolution as typed: applied when it is a number of at least 0 (Enter or leaving the field). */
function ResolutionInput({ value, onApply }: { value: number; onApply: (value: number) => void }) {
  const [text, setText] = useState(String(value));
  const apply = () => {
    const parsed = Number(text);
    if (text.trim() !== "" && Number.isFinite(parsed) && parsed >= 0 && parsed <= 1000) onApply(parsed);
    else setText(String(value));
  };
  return (
    <label>
      Resolution{" "}
      <input
        type="number"
        min={0}
        step="any"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onBlur={apply}
        onKeyDown={(event) => {
          if (event.key === "Enter") apply();
        }}
        data-testid="communities-resolution"
        className="short-number"
      />
    </label>
  );
}

/**
 * networkCommunities with the dashboard's filters: Leiden communities of the whole collaboration network,
 * their members by name, the partition's quality, and how much they depend on the random seed.
 */
export function CommunitiesPanel({ filters }: { filters: Filters }) {
  const [level, setLevel] = useUrlState<AnalyticsLevel>(LEVEL_PARAM, "COUNTRY");
  const [quality, setQuality] = useUrlState<CommunityQuality>(QUALITY_PARAM, "MODULARITY");
  const [resolution, setResolution] = useUrlState(RESOLUTION_PARAM, DEFAULT_RESOLUTION);
  const [seed] = useUrlState(SEED_PARAM, DEFAULT_SEED);
  const state = useQuery(CommunitiesQuery, {
    level,
    quality,
    resolution,
    seed,
    ...networkFilters(filters, level),
  });
  return (
    <section className="panel" data-testid="communities-panel" aria-labelledby="communities-title">
      <header>
        <h2 id="communities-title">Communities that hold</h2>
        <LevelSelect value={level} onChange={setLevel} testId="communities-level" />
        <label>
          Quality{" "}
          <select
            value={quality}
            onChange={(event) => setQuality(event.target.value as CommunityQuality)}
            data-testid="communities-quality"
          >
            {(Object.keys(QUALITY_WORDS) as CommunityQuality[]).map((option) => (
              <option key={option} value={option}>
                {QUALITY_WORDS[option]}
              </option>
            ))}
          </select>
        </label>
        <ResolutionInput key={resolution} value={resolution} onApply={setResolution} />
      </header>
      <p className="hint">
        Leiden communities of the whole collaboration network (every link, not only those drawn), which are
        always connected. A higher resolution gives more, smaller communities.
      </p>
      <QueryView state={state} what="the communities">
        {(data) => {
          const answer = data.networkCommunities;
          const name = namesBy(data.networkMetrics);
          const stability = answer.stability;
          return (
            <>
              <Described answer={answer} />
              <p
                className="stability"
                data-testid="communities-quality-value"
                data-value={String(answer.value)}
                data-quality={answer.quality}
                data-resolution={String(answer.resolution)}
                data-seed={String(answer.seed)}
              >
                <strong>{QUALITY_WORDS[answer.quality as CommunityQuality] ?? answer.quality}</strong>:{" "}
                {number(answer.value)} at resolution {answer.resolution} (seed {answer.seed}).
              </p>
              <p
                className="stability"
                data-testid="communities-stability"
                data-runs={String(stability.runs)}
                data-mean={String(stability.meanAgreement)}
                data-min={String(stability.minAgreement)}
                data-identical={String(stability.identicalRuns)}
              >
                <strong>Stability</strong> over {plural(stability.runs, "seed")}: {stability.identicalRuns} of{" "}
                {stability.runs} found this partition; agreement with it (normalised mutual information, 1 =
                the same) {number(stability.meanAgreement)} on average, lowest{" "}
                {number(stability.minAgreement)}; quality from {number(stability.minValue)} to{" "}
                {number(stability.maxValue)}.
                {stability.meanAgreement < 0.9
                  ? " These communities change with the seed: do not read them as structure."
                  : ""}
              </p>
              <div className="panel-tools">
                <span>{plural(answer.communities.length, "community", "communities")}</span>
                <CsvButton
                  filename={`communities-${level.toLowerCase()}.csv`}
                  testId="communities-csv"
                  header={COMMUNITIES_CSV_HEADER}
                  rows={() => csvRows(answer, name)}
                />
              </div>
              {answer.communities.length === 0 ? (
                <Empty>No link in the network for these filters: no community.</Empty>
              ) : (
                <ScrollRegion label="Communities" tall>
                  <table className="list-table analytics-wide" data-testid="communities-table">
                    <thead>
                      <tr>
                        <th scope="col">Community</th>
                        <th scope="col" className="num">
                          Members
                        </th>
                        <th scope="col" className="num">
                          Weight inside
                        </th>
                        <th scope="col" className="num">
                          Weighted degree
                        </th>
                        <th scope="col">Who</th>
                      </tr>
                    </thead>
                    <tbody>
                      {answer.communities.map((community) => (
                        <tr
                          key={community.index}
                          data-testid="community-row"
                          data-index={String(community.index)}
                          data-size={String(community.size)}
                          data-members={community.members.join(" ")}
                          data-internal-weight={String(community.internalWeight)}
                          data-total-weight={String(community.totalWeight)}
                        >
                          <td>{community.index + 1}</td>
                          <td className="num">{number(community.size)}</td>
                          <td className="num">{number(community.internalWeight)}</td>
                          <td className="num">{number(community.totalWeight)}</td>
                          <td>
                            <NameList names={community.members.map(name)} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollRegion>
              )}
            </>
          );
        }}
      </QueryView>
    </section>
  );
}
