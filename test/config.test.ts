import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, defaultNeo4jHeap, loadConfig } from "../src/config/config.js";

describe("configuration", () => {
  it("defaults to an embedded Neo4j in .atlas/ of the working directory and port 4000", () => {
    const config = loadConfig({}, "/home/user/atlas");
    expect(config.port).toBe(4000);
    expect(config.autoSeed).toBe(true);
    expect(config.database).toMatchObject({
      kind: "embedded",
      boltPort: 7687,
      dataDir: path.resolve("/home/user/atlas", ".atlas"),
      password: undefined,
    });
  });

  it("gives the embedded Neo4j a quarter of the machine's memory as heap, from 1g to 4g", () => {
    const gib = 2 ** 30;
    expect(defaultNeo4jHeap(2 * gib)).toBe("1g");
    expect(defaultNeo4jHeap(8 * gib)).toBe("2g");
    expect(defaultNeo4jHeap(12 * gib)).toBe("3g");
    expect(defaultNeo4jHeap(64 * gib)).toBe("4g");
    expect(loadConfig({ ATLAS_NEO4J_HEAP: "3g" }).database).toMatchObject({ heap: "3g" });
  });

  it("uses an external Neo4j when NEO4J_URI is set", () => {
    const config = loadConfig({
      NEO4J_URI: "neo4j+s://abc123.databases.neo4j.io",
      NEO4J_USERNAME: "reader",
      NEO4J_PASSWORD: "long-enough-secret",
      NEO4J_DATABASE: "atlas",
    });
    expect(config.database).toEqual({
      kind: "external",
      uri: "neo4j+s://abc123.databases.neo4j.io",
      username: "reader",
      password: "long-enough-secret",
      database: "atlas",
    });
  });

  it("lists every invalid variable at once, with the value given, and never echoes a password", () => {
    const attempt = () =>
      loadConfig({
        PORT: "eighty",
        ATLAS_NEO4J_BOLT_PORT: "70000",
        ATLAS_AUTO_SEED: "maybe",
        NEO4J_PASSWORD: "short",
      });
    expect(attempt).toThrow(ConfigError);
    const problems = (() => {
      try {
        attempt();
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    })();
    expect(problems).toHaveLength(4);
    expect(problems).toContain('PORT must be a number (got "eighty")');
    expect(problems).toContain('ATLAS_NEO4J_BOLT_PORT must be between 1 and 65535 (got "70000")');
    expect(problems).toContain('ATLAS_AUTO_SEED must be true or false (got "maybe")');
    expect(problems.join("\n")).not.toContain("short");
  });

  it("rejects an unsupported URI scheme and a URI without a password", () => {
    expect(() => loadConfig({ NEO4J_URI: "http://localhost:7474" })).toThrow(/NEO4J_URI must be a bolt:\/\//);
    expect(() => loadConfig({ NEO4J_URI: "bolt://localhost:7687" })).toThrow(
      /NEO4J_PASSWORD is required when NEO4J_URI is set/,
    );
  });
});
