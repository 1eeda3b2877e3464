import { describe, expect, it } from "vitest";
import { isoCountry } from "../../src/identity/country.js";
import { isAcronymLike } from "../../src/identity/match-bodies.js";
import { foldText, nameTokens, normaliseName } from "../../src/identity/normalise.js";
import { rorRecordFromJson } from "../../src/identity/ror-record.js";
import { websiteDomain } from "../../src/identity/website.js";

// Expected values written by hand from the spellings the sources use (CORDIS legal names, ROR labels).
describe("normaliseName", () => {
  it("folds case and accents", () => {
    expect(normaliseName("Université Libre de Bruxelles")).toBe("universite libre de bruxelles");
    expect(normaliseName("UNIVERSITE LIBRE DE BRUXELLES")).toBe("universite libre de bruxelles");
    expect(normaliseName("Københavns Universitet")).toBe(normaliseName("KOBENHAVNS UNIVERSITET"));
    expect(normaliseName("Itä-Suomen yliopisto")).toBe("ita suomen yliopisto");
    expect(normaliseName("Uniwersytet Łódzki")).toBe("uniwersytet lodzki");
    expect(normaliseName("Târgu Mureș")).toBe("targu mures");
  });

  it("meets the German transliterations both ways (and collapses ue, oe, ae in every word, on both sides)", () => {
    expect(normaliseName("Queen Mary University")).toBe("quen mary university");
    const spellings = [
      "Technische Universität München",
      "TECHNISCHE UNIVERSITAET MUENCHEN",
      "TECHNISCHE UNIVERSITAT MUNCHEN",
    ];
    expect(new Set(spellings.map(normaliseName))).toEqual(new Set(["technische universitat munchen"]));
    expect(normaliseName("Universitätsklinikum Köln")).toBe(normaliseName("UNIVERSITAETSKLINIKUM KOELN"));
    expect(normaliseName("Gießen")).toBe(normaliseName("GIESSEN"));
    expect(normaliseName("Deutsches Institut für Ernährungsforschung")).toBe(
      normaliseName("DEUTSCHES INSTITUT FUER ERNAEHRUNGSFORSCHUNG"),
    );
  });

  it("removes trailing legal forms, dotted or not, and keeps the words of foundations", () => {
    expect(normaliseName("Forschungszentrum Jülich GmbH")).toBe("forschungszentrum julich");
    expect(normaliseName("Max-Planck-Gesellschaft zur Förderung der Wissenschaften e.V.")).toBe(
      "max planck gesellschaft zur forderung der wissenschaften",
    );
    expect(normaliseName("EGNOSIS SRL")).toBe("egnosis");
    expect(normaliseName("Telefónica Investigación y Desarrollo S.A.U.")).toBe(
      "telefonica investigacion y desarrollo",
    );
    expect(normaliseName("Novo Nordisk A/S")).toBe("novo nordisk");
    expect(normaliseName("Norsk Hydro ASA")).toBe("norsk hydro");
    expect(normaliseName("Sciensano ASBL")).toBe("sciensano");
    expect(normaliseName("Universitair Ziekenhuis Antwerpen VZW")).toBe("universitair ziekenhuis antwerpen");
    expect(normaliseName("AIFACTORY SP ZOO")).toBe("aifactory sp zoo");
    expect(normaliseName("Instytut Sp. z o.o.")).toBe("instytut");
    expect(normaliseName("Bristol-Myers Squibb GmbH & Co. KGaA")).toBe("bristol myers squibb");
    expect(normaliseName("Cancer Research UK LBG")).toBe("cancer research uk");
    expect(normaliseName("Fondazione per il Tuo Cuore ONLUS")).toBe("fondazione per il tuo cuore");
    // Foundations are not legal forms: "Novo Nordisk Foundation" and "Novo Nordisk" are two bodies.
    expect(normaliseName("Novo Nordisk Foundation")).toBe("novo nordisk foundation");
    expect(normaliseName("Stichting Katholieke Universiteit")).toBe("stichting katholieke universiteit");
    // A name that is only a legal form keeps it.
    expect(normaliseName("AS")).toBe("as");
  });

  it("joins dotted initials and treats other punctuation as a space", () => {
    expect(normaliseName("F.R.S.-FNRS")).toBe("frs fnrs");
    expect(normaliseName("UPV/EHU")).toBe("upv ehu");
    expect(normaliseName("Sant Joan de Déu  -  Barcelona")).toBe("sant joan de deu barcelona");
    expect(normaliseName("Queen’s University Belfast")).toBe(normaliseName("QUEEN'S UNIVERSITY BELFAST"));
  });

  it("turns control characters and invisible marks into spaces", () => {
    expect(normaliseName("UNIVERSITY\u0000OF\tDUNDEE\r\n")).toBe("university of dundee");
    expect(normaliseName("Uni\u200bversity\u0085of Oslo\u001b")).toBe("uni versity of oslo");
    expect(normaliseName("\ufeffKarolinska Institutet")).toBe("karolinska institutet");
  });

  it("gives an empty string for empty, blank or missing names, never an error", () => {
    expect(normaliseName("")).toBe("");
    expect(normaliseName("   ")).toBe("");
    expect(normaliseName("- / .")).toBe("");
    expect(normaliseName(undefined)).toBe("");
    expect(normaliseName(null)).toBe("");
    expect(foldText(42 as unknown as string)).toBe("");
  });

  it("survives lone surrogates (invalid UTF-16) and keeps valid pairs", () => {
    expect(normaliseName("Institut\ud800 Pasteur")).toBe("institut pasteur");
    expect(normaliseName("\udc00Charité\ud83d")).toBe("charite");
    expect(() => normaliseName("x\ud83d\ude00y")).not.toThrow();
    expect(normaliseName("東京大学")).toBe("東京大学");
  });

  it("leaves stop words out of the tokens", () => {
    expect(nameTokens(normaliseName("Università degli Studi di Milano"))).toEqual([
      "universita",
      "studi",
      "milano",
    ]);
    expect(nameTokens("")).toEqual([]);
  });
});

describe("isAcronymLike", () => {
  it("is a single short word as written", () => {
    expect(isAcronymLike("ISCIII")).toBe(true);
    expect(isAcronymLike("F.R.S.-FNRS")).toBe(true);
    expect(isAcronymLike("EGNOSIS SRL")).toBe(false);
    expect(isAcronymLike("NAVARRABIOMED")).toBe(false);
    expect(isAcronymLike("")).toBe(false);
  });
});

describe("websiteDomain", () => {
  it("reads the host as CORDIS and ROR write it", () => {
    expect(websiteDomain("http://www.isciii.es")).toBe("isciii.es");
    expect(websiteDomain("www.regionsyddanmark.dk")).toBe("regionsyddanmark.dk");
    expect(websiteDomain("https://WWW2.Example.ORG:8080/en/home?x=1")).toBe("example.org");
    expect(websiteDomain("http://www.uk-essen.de/frauenklinik/")).toBe("uk-essen.de");
    expect(websiteDomain("uni-mainz.de/")).toBe("uni-mainz.de");
  });

  it("gives null for what names no host", () => {
    for (const value of [
      "",
      "N/A",
      "info@isciii.es",
      "http://localhost",
      "http://10.0.0.1",
      "not a url",
      undefined,
    ])
      expect(websiteDomain(value)).toBeNull();
  });
});

describe("isoCountry", () => {
  it("maps CORDIS's UK and EL and reads graph ids", () => {
    expect(isoCountry("UK")).toBe("GB");
    expect(isoCountry("EL")).toBe("GR");
    expect(isoCountry("country:DE")).toBe("DE");
    expect(isoCountry(" es ")).toBe("ES");
    expect(isoCountry("")).toBeNull();
    expect(isoCountry("Germany")).toBeNull();
    expect(isoCountry(undefined)).toBeNull();
  });
});

describe("rorRecordFromJson", () => {
  const names = [{ value: "Instituto de Salud Carlos III", types: ["ror_display", "label"], lang: "es" }];
  it("reads the extract's shape and the official v2 dump's location", () => {
    const extract = rorRecordFromJson({
      id: "https://ror.org/00ca2c886",
      names,
      status: "active",
      types: ["funder"],
      country: { code: "ES", name: "Spain" },
      links: [{ type: "website", value: "https://www.isciii.es" }],
      external_ids: [{ type: "fundref", preferred: "501100004587", all: ["501100004587"] }],
      relationships: [],
    });
    expect(extract).toMatchObject({ country: "ES", websiteDomains: ["isciii.es"] });
    expect(extract.externalIds).toEqual({ fundref: ["501100004587"], wikidata: [], grid: [], isni: [] });
    const dump = rorRecordFromJson({
      id: "https://ror.org/00ca2c886",
      names,
      locations: [{ geonames_id: 3117735, geonames_details: { country_code: "ES", name: "Madrid" } }],
      external_ids: [{ type: "grid", all: "grid.512889.f" }],
    });
    expect(dump).toMatchObject({ country: "ES", status: "active", externalIds: { grid: ["grid.512889.f"] } });
  });

  it("refuses what is not a record", () => {
    expect(() => rorRecordFromJson({ name: "no id" })).toThrow(/not a ROR schema-v2 record/);
    expect(() => rorRecordFromJson(null)).toThrow(/not a ROR schema-v2 record/);
  });
});
