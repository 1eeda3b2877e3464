/**
 * The years a record of the atlas may carry (a consortium's founding year, a membership's start, a
 * programme's start and end, a recognition's or publication's year): a year outside is a typo. 1900
 * is older than any funder of the landscape; 2100 leaves room for programmes planned decades ahead.
 * The analyses' year filters (src/analysis/project-filters.ts) take the same range. The dashboard's
 * year inputs (web/) start at FIRST_DASHBOARD_YEAR there, a display choice: no framework programme
 * project starts before 1984 (FP1).
 */
export const EARLIEST_YEAR = 1900;
export const LATEST_YEAR = 2100;
