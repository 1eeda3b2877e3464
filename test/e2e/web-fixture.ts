import type { Driver } from "neo4j-driver";
import { TEST_DATABASE } from "../helpers/database.js";

/**
 * The playground (/) and the dashboard (/dashboard) in Debian's Chromium, headless, against the real
 * server and Neo4j, on the small ILLUSTRATIVE fixture below (invented organisations and figures).
 *
 * Countries (population, invented round numbers): DE 80 M, FR 60 M, ES 40 M, PT 10 M.
 * Organisations: o1, o2 in DE; o3 in FR; o4 in ES; o5 in PT.
 * Topics (scheme LEGAL_BASIS): A, B, C; C has no project.
 * Programmes: call-1 (2022) funded by funders f1 (DE) and f2 (FR); call-2 (2023) by f1 and f3 (ES);
 * both PART_OF framework, which no funder funds.
 * Projects (start year, call, topics; participants with EU contribution, EUR):
 *   P1 2022 call-1 A      o1 100,000  o3 200,000
 *   P2 2023 call-1 A, B   o2 300,000  o4 400,000  o3 50,000
 *   P3 2023 call-2 B      o5 500,000                          (PT alone)
 *   P4 2024 call-2 A      o1 10,000   o2 20,000                (DE alone)
 *
 * Worked out by hand:
 * - COUNTRY network: DE-FR (P1, P2), DE-ES (P2), ES-FR (P2); PT shares no project, and P4 pairs DE with
 *   itself: 3 nodes, 3 edges. With minWeight 2, or up to 2022 (P1 only): DE-FR, 2 nodes.
 * - ORGANISATION network: o1-o3 (P1); o2-o3, o2-o4, o3-o4 (P2); o1-o2 (P4); o5 alone: 4 nodes, 5 edges.
 * - FUNDER network: f1-f2 (call-1), f1-f3 (call-2): 3 nodes, 2 edges.
 * - country x topic matrix (EUR): 4 rows x 3 columns = 12 cells, 5 of them 0 (gaps):
 *       A                             B         C
 *   DE  100k + 300k + (10k+20k) = 430k 300k      0
 *   FR  200k + 50k = 250k              50k       0
 *   ES  400k                           400k      0
 *   PT  0                              500k      0
 *   Per million inhabitants: DE A 5,375; ES A 10,000; PT B 50,000. Up to 2022: DE, FR x A, B, C = 6 cells.
 * - funding trend: 4 series by COUNTRY, 2 by PROGRAMME (call-1, call-2).
 */
export async function writeWebFixture(driver: Driver): Promise<void> {
  await driver.executeQuery(
    `
    CREATE (sa:Entity:Source {id: 'source:e2e-a', title: 'E2E fixture source A'}),
           (sb:Entity:Source {id: 'source:e2e-b', title: 'E2E fixture source B'})
    CREATE (de:Entity:Country {id: 'country:DE', code: 'DE', name: 'Germany', population: 80000000.0}),
           (fr:Entity:Country {id: 'country:FR', code: 'FR', name: 'France', population: 60000000.0}),
           (es:Entity:Country {id: 'country:ES', code: 'ES', name: 'Spain', population: 40000000.0}),
           (pt:Entity:Country {id: 'country:PT', code: 'PT', name: 'Portugal', population: 10000000.0})
    CREATE (o1:Entity:Organisation {id: 'org:e2e-1', name: 'Org 1 (DE)'})-[:LOCATED_IN]->(de),
           (o2:Entity:Organisation {id: 'org:e2e-2', name: 'Org 2 (DE)'})-[:LOCATED_IN]->(de),
           (o3:Entity:Organisation {id: 'org:e2e-3', name: 'Org 3 (FR)'})-[:LOCATED_IN]->(fr),
           (o4:Entity:Organisation {id: 'org:e2e-4', name: 'Org 4 (ES)'})-[:LOCATED_IN]->(es),
           (o5:Entity:Organisation {id: 'org:e2e-5', name: 'Org 5 (PT)'})-[:LOCATED_IN]->(pt)
    CREATE (ta:Entity:Topic {id: 'topic:legal-basis:E2E.A', code: 'E2E.A', name: 'Topic A', scheme: 'LEGAL_BASIS'}),
           (tb:Entity:Topic {id: 'topic:legal-basis:E2E.B', code: 'E2E.B', name: 'Topic B', scheme: 'LEGAL_BASIS'}),
           (tc:Entity:Topic {id: 'topic:legal-basis:E2E.C', code: 'E2E.C', name: 'Topic C', scheme: 'LEGAL_BASIS'})
    CREATE (fw:Entity:Programme {id: 'programme:e2e-framework', name: 'E2E framework', kind: 'FRAMEWORK_PROGRAMME'}),
           (c1:Entity:Programme {id: 'programme:e2e-call-1', name: 'E2E call 1', kind: 'EU_CALL', startYear: 2022})-[:PART_OF]->(fw),
           (c2:Entity:Programme {id: 'programme:e2e-call-2', name: 'E2E call 2', kind: 'EU_CALL', startYear: 2023})-[:PART_OF]->(fw)
    CREATE (f1:Entity:Funder {id: 'funder:e2e-1', name: 'Funder 1', acronym: 'F1'})-[:BASED_IN]->(de),
           (f2:Entity:Funder {id: 'funder:e2e-2', name: 'Funder 2', acronym: 'F2'})-[:BASED_IN]->(fr),
           (f3:Entity:Funder {id: 'funder:e2e-3', name: 'Funder 3', acronym: 'F3'})-[:BASED_IN]->(es)
    CREATE (c1)-[:FUNDED_BY]->(f1), (c1)-[:FUNDED_BY]->(f2), (c2)-[:FUNDED_BY]->(f1), (c2)-[:FUNDED_BY]->(f3)
    CREATE (p1:Entity:Project {id: 'cordis:e2e-1', title: 'E2E project 1', startYear: 2022, funding: 300000.0})-[:FUNDED_UNDER]->(c1),
           (p2:Entity:Project {id: 'cordis:e2e-2', title: 'E2E project 2', startYear: 2023, funding: 750000.0})-[:FUNDED_UNDER]->(c1),
           (p3:Entity:Project {id: 'cordis:e2e-3', title: 'E2E project 3', startYear: 2023, funding: 500000.0})-[:FUNDED_UNDER]->(c2),
           (p4:Entity:Project {id: 'cordis:e2e-4', title: 'E2E project 4', startYear: 2024, funding: 30000.0})-[:FUNDED_UNDER]->(c2)
    CREATE (p1)-[:ADDRESSES]->(ta), (p2)-[:ADDRESSES]->(ta), (p2)-[:ADDRESSES]->(tb),
           (p3)-[:ADDRESSES]->(tb), (p4)-[:ADDRESSES]->(ta)
    CREATE (o1)-[:PARTICIPATES_IN {role: 'COORDINATOR', contribution: 100000.0, order: 1}]->(p1),
           (o3)-[:PARTICIPATES_IN {role: 'PARTNER', contribution: 200000.0, order: 2}]->(p1),
           (o2)-[:PARTICIPATES_IN {role: 'COORDINATOR', contribution: 300000.0, order: 1}]->(p2),
           (o4)-[:PARTICIPATES_IN {role: 'PARTNER', contribution: 400000.0, order: 2}]->(p2),
           (o3)-[:PARTICIPATES_IN {role: 'PARTNER', contribution: 50000.0, order: 3}]->(p2),
           (o5)-[:PARTICIPATES_IN {role: 'COORDINATOR', contribution: 500000.0, order: 1}]->(p3),
           (o1)-[:PARTICIPATES_IN {role: 'COORDINATOR', contribution: 10000.0, order: 1}]->(p4),
           (o2)-[:PARTICIPATES_IN {role: 'PARTNER', contribution: 20000.0, order: 2}]->(p4)
    WITH sa, sb
    MATCH (n:Entity) WHERE NOT n:Source
    WITH sa, sb, n, n.id IN ['cordis:e2e-3', 'cordis:e2e-4', 'programme:e2e-call-2', 'org:e2e-5'] AS fromB
    FOREACH (_ IN CASE WHEN fromB THEN [1] ELSE [] END | CREATE (n)-[:SOURCED_FROM]->(sb))
    FOREACH (_ IN CASE WHEN fromB THEN [] ELSE [1] END | CREATE (n)-[:SOURCED_FROM]->(sa))
    `,
    {},
    { database: TEST_DATABASE },
  );
}

export const LONG_TOPIC = "Pharmacogenomicstratificationapproaches in personalised medicine implementation";
export const TOPIC_B = "topic:legal-basis:E2E.B";

/** The dashboard's fixture plus the workbench's additions, as test/e2e/workbench.test.ts describes them (P5, o6, consortium:e2e, a long topic C). */
export async function writeWorkbenchFixture(driver: Driver): Promise<void> {
  await writeWebFixture(driver);
  await driver.executeQuery(
    `
    MATCH (sa:Source {id: 'source:e2e-a'}), (fr:Country {id: 'country:FR'}), (tb:Topic {id: $topicB}),
          (tc:Topic {id: 'topic:legal-basis:E2E.C'}), (c1:Programme {id: 'programme:e2e-call-1'}),
          (c2:Programme {id: 'programme:e2e-call-2'}), (f1:Funder {id: 'funder:e2e-1'}),
          (f2:Funder {id: 'funder:e2e-2'}), (f3:Funder {id: 'funder:e2e-3'})
    SET tc.name = $longTopic
    CREATE (p5:Entity:Project {id: 'cordis:999000001', title: 'E2E project 5', acronym: 'P5', startYear: 2023, funding: 1234.56})-[:FUNDED_UNDER]->(c2),
           (p5)-[:ADDRESSES]->(tb),
           (o6:Entity:Organisation {id: 'org:e2e-6', name: '=Évry "Lab", Paris'})-[:LOCATED_IN]->(fr),
           (o6)-[:PARTICIPATES_IN {role: 'COORDINATOR', contribution: 1234.56, order: 1}]->(p5),
           (k:Entity:Consortium {id: 'consortium:e2e', name: 'E2E consortium', acronym: 'E2EC', statedMemberCount: 5}),
           (f1)-[:MEMBER_OF {status: 'MEMBER'}]->(k), (f2)-[:MEMBER_OF {status: 'MEMBER'}]->(k),
           (f3)-[:MEMBER_OF {status: 'OBSERVER'}]->(k),
           (c1)-[:RUN_BY]->(k), (c2)-[:RUN_BY]->(k), (c1)-[:COVERS]->(tb), (c2)-[:COVERS]->(tb),
           (p5)-[:SOURCED_FROM]->(sa), (o6)-[:SOURCED_FROM]->(sa), (k)-[:SOURCED_FROM]->(sa)
    `,
    { topicB: TOPIC_B, longTopic: LONG_TOPIC },
    { database: TEST_DATABASE },
  );
}
