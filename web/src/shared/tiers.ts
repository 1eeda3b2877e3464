/**
 * The PM relevance tiers of the default lens (Project.pmRelevance) in words, for people; the tier names
 * stay in URLs, CSVs and tooltips. A tier of a user's lens that is not listed here is shown as named.
 */
const TIER_LABELS: Record<string, string> = {
  CORE: "personalised medicine (core)",
  BIOMEDICAL: "other biomedical research",
  NOT_BIOMEDICAL: "not biomedical",
};

export function tierLabel(tier: string): string {
  return TIER_LABELS[tier] ?? tier;
}
