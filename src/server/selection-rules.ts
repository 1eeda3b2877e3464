import { GraphQLError, type GraphQLOutputType, type ValidationRule } from "graphql";

/**
 * The named type under list and non-null wrappers, by shape: the schema comes from the CommonJS build of
 * graphql (@neo4j/graphql) while this module may load the ES build, and graphql's own `isObjectType`
 * refuses types "from another module or realm".
 */
function namedComposite(type: GraphQLOutputType | null | undefined): { name: string } | undefined {
  let current: unknown = type;
  while (current && typeof current === "object" && "ofType" in current)
    current = (current as { ofType: unknown }).ofType;
  return current && typeof current === "object" && "getFields" in current
    ? (current as unknown as { name: string })
    : undefined;
}

/**
 * Refuses a selection set that holds nothing but `__typename` below the root, e.g.
 * `projectsConnection { edges { node { __typename } } }` or `aggregate { node { __typename } }`.
 * @neo4j/graphql translates such a selection into invalid Cypher ("Variable `RETURN` not defined") or
 * a null for a non-null field (upstream neo4j/graphql#1139, same kind): without this rule the client gets
 * an internal error for a well-formed query. Found by the fuzz test (issue 12).
 *
 * Errors: GRAPHQL_VALIDATION_FAILED naming the field path; the root (`{ __typename }`) stays allowed.
 */
export const typenameOnlySelectionRule: ValidationRule = (context) => {
  const path: string[] = [];
  return {
    Field: {
      enter(node) {
        path.push(node.alias?.value ?? node.name.value);
        const selections = node.selectionSet?.selections;
        if (!selections?.length) return;
        const named = namedComposite(context.getType());
        if (!named) return;
        const onlyTypename = selections.every(
          (selection) => selection.kind === "Field" && selection.name.value === "__typename",
        );
        if (onlyTypename) {
          context.reportError(
            new GraphQLError(
              `Select at least one field besides __typename in "${path.join(".")}" (${named.name}).`,
              { nodes: [node] },
            ),
          );
        }
      },
      leave() {
        path.pop();
      },
    },
  };
};
