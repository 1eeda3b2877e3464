import { describe, expect, it } from "vitest";
import { amountIn } from "../../web/src/dashboard/format.js";
import { countryGroups, countryName } from "../../web/src/dashboard/money-groups.js";

/*
 * Issue 21.4: the dashboard's money by funder states the currency of every figure and sets national
 * money beside the EU's. The panel itself is driven in Chromium by test/e2e/funder-money.test.ts; these
 * are its two pure parts.
 */
describe("issue 21.4: money-by-funder lines", () => {
  it("writes every amount with its currency code, the currency's decimals, and cents wherever there are some", () => {
    expect(amountIn(2_876_000, "USD")).toBe("USD 2,876,000.00");
    expect(amountIn(150_000.25, "AUD")).toBe("AUD 150,000.25");
    // Currencies without minor units keep their usual form, but a stated fraction is not rounded away.
    expect(amountIn(45_000_000, "CLP")).toBe("CLP 45,000,000");
    expect(amountIn(1_000.5, "JPY")).toBe("JPY 1,000.5");
    expect(amountIn(0.01, "EUR")).toBe("EUR 0.01");
    // A well-formed code Intl may not know still gets its code, never a bare number.
    expect(amountIn(12.3, "XTS")).toMatch(/^XTS 12\.30?$/);
  });

  it("puts the EU group first, then the API's order, rows kept in order within each group", () => {
    const rows = [
      { country: "AU", funderId: "funder:openaire:ARC", currency: "AUD" },
      { country: "CL", funderId: "funder:openaire:CONICYT", currency: "CLP" },
      { country: "CL", funderId: "funder:openaire:CONICYT", currency: "USD" },
      { country: "EU", funderId: "funder:european-commission", currency: "EUR" },
      { country: "EU", funderId: "funder:openaire:EC", currency: "EUR" },
      { country: "US", funderId: "funder:openaire:NIH", currency: "USD" },
      { country: null, funderId: "funder:openaire:X", currency: "EUR" },
    ];
    const groups = countryGroups(rows);
    expect(groups.map((group) => group.country)).toEqual(["EU", "AU", "CL", "US", null]);
    expect(groups.flatMap((group) => group.rows)).toHaveLength(rows.length);
    expect(groups[0]!.rows.map((row) => row.funderId)).toEqual([
      "funder:european-commission",
      "funder:openaire:EC",
    ]);
    expect(groups[2]!.rows.map((row) => row.currency)).toEqual(["CLP", "USD"]);
    // No EU money at all: the API's order as given.
    expect(countryGroups(rows.filter((row) => row.country !== "EU")).map((group) => group.country)).toEqual([
      "AU",
      "CL",
      "US",
      null,
    ]);
    expect(countryGroups([])).toEqual([]);
  });

  it("names countries in words with their code, and says when none is stated", () => {
    expect(countryName("US")).toBe("United States (US)");
    expect(countryName("EU")).toBe("European Union (EU)");
    expect(countryName(null)).toBe("Country not stated");
  });
});
