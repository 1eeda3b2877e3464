/**
 * Money in the analyses is summed in whole euro cents, as integers, so that every amount returned is
 * exact to the cent. Amounts are stored as EUR floats (a CORDIS "240780407.95" is the nearest double);
 * adding floats drifts ("240780407.95000002"), adding integers does not. JS numbers hold integers
 * exactly up to 2^53 cents, about EUR 90 trillion: far above any total of this landscape.
 */

/** Cypher: an amount in EUR (an expression, null counted as 0) as whole cents, an INTEGER. */
export const centsOf = (amountEur: string): string => `toInteger(round(coalesce(${amountEur}, 0.0) * 100))`;

/** EUR from whole cents: the double nearest to the exact decimal, which prints with at most 2 decimals. */
export const eurFromCents = (cents: number): number => cents / 100;

/** A per-capita or other derived amount, rounded to the cent. */
export const roundToCent = (eur: number): number => Math.round(eur * 100) / 100;
