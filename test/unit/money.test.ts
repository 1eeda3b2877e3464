import { describe, expect, it } from "vitest";
import { eurFromCents, roundToCent } from "../../src/analysis/money.js";

/** Expected values by hand: the amounts are written out as decimals, never derived with the code under test. */
describe("money: whole cents to EUR (fault: cents rounded away)", () => {
  it("eurFromCents keeps the cents of large and small amounts", () => {
    expect(eurFromCents(24_078_040_795)).toBe(240_780_407.95);
    expect(eurFromCents(1)).toBe(0.01);
    expect(eurFromCents(-12_345)).toBe(-123.45);
    expect(eurFromCents(0)).toBe(0);
  });

  it("whole cents added then converted are exact where adding EUR floats drifts", () => {
    // 0.10 + 0.20 EUR: the floats add to 0.30000000000000004, the cents to 30.
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(eurFromCents(10 + 20)).toBe(0.3);
  });

  it("roundToCent rounds a derived amount to the nearest cent, keeping the cents", () => {
    // EUR 1,000,000.00 over a population of 3: 333,333.333... per head, 333,333.33 to the cent.
    expect(roundToCent(1_000_000 / 3)).toBe(333_333.33);
    expect(roundToCent(2 / 3)).toBe(0.67);
    expect(roundToCent(1234.5)).toBe(1234.5);
  });
});
