/**
 * The vocabularies a Topic belongs to (`Topic.scheme`): ATLAS (curated PM areas), CORDIS_TOPIC (call
 * topics), EUROSCIVOC and LEGAL_BASIS. The seed validates against this list and the analyses refuse
 * any other `topicScheme`.
 */
export const TOPIC_SCHEMES = ["ATLAS", "CORDIS_TOPIC", "EUROSCIVOC", "LEGAL_BASIS"] as const;

export type TopicScheme = (typeof TOPIC_SCHEMES)[number];
