import { describe, expect, it } from "vitest";
import { descriptionWords, enumWords, idWords } from "../../web/src/shared/words.js";

describe("names for machines in words, for people", () => {
  it("puts the API's field names, relationship types and enum values of a description in words", () => {
    expect(
      descriptionWords(
        "Funder network: an edge counts the programmes both funders fund (FUNDED_BY), weight = programmes.",
      ),
    ).toBe("Funder network: an edge counts the programmes both funders fund, weight = programmes.");
    expect(
      descriptionWords(
        "funders linked by the transnational calls (Programme kind TRANSNATIONAL_CALL) they both fund (FUNDED_BY); ",
      ),
    ).toBe("funders linked by the transnational calls they both fund; ");
    expect(descriptionWords("(weight = projects); amountEur sums the EU contributions")).toBe(
      "(weight = projects); the amount in EUR sums the EU contributions",
    );
    expect(descriptionWords("the graph records 30 (status MEMBER). Gaps")).toBe(
      "the graph records 30 (members, not observers). Gaps",
    );
    expect(descriptionWords("per topic (scheme LEGAL_BASIS); EU_CALL and ERA_NET_COFUND")).toBe(
      "per topic (scheme legal basis); EU call and ERA-NET Cofund",
    );
    expect(descriptionWords("counted apart in outsideColumns.")).toBe("counted apart in “in no column”.");
  });

  it("puts the attribute of a stated fact in words and leaves the statement as the source says it", () => {
    expect(
      descriptionWords(
        "state that it funded projects (fundingOrganisationCount: 27 funding organisations; budget: 24.6 Mio€ (approx.); iPSC lines)",
      ),
    ).toBe(
      "state that it funded projects (funding organisation count: 27 funding organisations; budget: 24.6 Mio€ (approx.); iPSC lines)",
    );
  });

  it("leaves prose without names for machines as it is", () => {
    const text =
      "Country network: an edge counts the distinct projects in which both ends have a participant. Horizon Europe, H2020, CORE.";
    expect(descriptionWords(text)).toBe(text);
  });

  it("gives enum values and ids in words", () => {
    expect(enumWords("INTERNATIONAL_CONSORTIUM")).toBe("International consortium");
    expect(enumWords("THIRD_PARTY")).toBe("Third party");
    expect(idWords("topic:clinical-support-tools")).toBe("Clinical support tools");
  });
});
