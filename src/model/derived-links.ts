/**
 * The `method` of an ADDRESSES link that a topic lens derives: RULE (a rule of the lens file matched)
 * or MODEL (the lens's linear model decided; seed/lenses/README.md). Derived links are replaced whenever
 * a lens is applied and never count as curated; a link without a method is stated by a source.
 */
export const DERIVED_LINK_METHODS = ["RULE", "MODEL"] as const;

export type DerivedLinkMethod = (typeof DERIVED_LINK_METHODS)[number];
