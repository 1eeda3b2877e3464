import { GraphQLError, getNamedType, isInterfaceType, isObjectType, type ValidationRule } from "graphql";

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
        const type = context.getType();
        const named = type ? getNamedType(type) : undefined;
        if (!isObjectType(named) && !isInterfaceType(named)) return;
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
