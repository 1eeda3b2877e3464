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

/**
 * The tiers a page's URL names (`?tier=CORE&tier=BIOMEDICAL`), as the dashboard and the explore pages
 * read them; a value that is not a tier name (upper-case letters, digits, underscores) is dropped.
 */
export function tiersInUrl(params: URLSearchParams): string[] {
  return params.getAll("tier").filter((tier) => /^[A-Z][A-Z0-9_]*$/.test(tier));
}
