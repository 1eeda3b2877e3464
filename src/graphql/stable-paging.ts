import {
  type ArgumentNode,
  type ConstDirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  GraphQLError,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  print,
  type SelectionNode,
  type SelectionSetNode,
  valueFromASTUntyped,
  visit,
} from "graphql";
import { ERROR_CODES } from "../util/error-codes.js";
import {
  decodeCursor,
  encodeCursor,
  type PageCursor,
  queryFingerprint,
  staleCursorError,
} from "./page-cursor.js";
import { literalSearchQuery } from "./search-phrase.js";

/** The page sizes of a node type, from its `@limit(default, max)`. */
export interface PageSizes {
  defaultSize: number | undefined;
  maxSize: number | undefined;
}

/** `@limit(default, max)` of every @node type of the type definitions, by type name. */
export function pageSizesFromTypeDefs(typeDefs: string): Map<string, PageSizes> {
  const sizes = new Map<string, PageSizes>();
  for (const definition of parse(typeDefs).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const limit = definition.directives?.find((d) => d.name.value === "limit") as
      | ConstDirectiveNode
      | undefined;
    if (!limit) continue;
    const value = (name: string) => {
      const argument = limit.arguments?.find((a) => a.name.value === name);
      return argument ? (valueFromASTUntyped(argument.value) as number) : undefined;
    };
    sizes.set(definition.name.value, { defaultSize: value("default"), maxSize: value("max") });
  }
  return sizes;
}

/**
 * The type definitions as @neo4j/graphql is given them: every `@limit(max)` one higher, because a page
 * after a cursor also reads the cursor's own item (to check that it has not moved). The API's own limit
 * stays the written one: withStablePaging refuses larger pages before @neo4j/graphql sees them.
 */
export function withAnchorRoom(typeDefs: string): string {
  return print(
    visit(parse(typeDefs), {
      Directive(node) {
        if (node.name.value !== "limit") return undefined;
        return {
          ...node,
          arguments: node.arguments?.map((argument) =>
            argument.name.value === "max" && argument.value.kind === Kind.INT
              ? { ...argument, value: { ...argument.value, value: String(Number(argument.value.value) + 1) } }
              : argument,
          ),
        };
      },
    }),
  );
}

/** The alias under which every connection's edges carry their node's id, for cursors and their check. */
const ANCHOR = "atlasPageAnchorId";

type Args = Record<string, unknown>;
type Field = GraphQLField<unknown, unknown>;

const argumentOf = (field: Field, name: string) => field.args.find((a) => a.name === name);

/** A generated connection field: `first`/`after` arguments and a type with `edges { node }` and `pageInfo`. */
function connectionNodeType(field: Field): GraphQLNamedType | undefined {
  if (!argumentOf(field, "first") || !argumentOf(field, "after")) return undefined;
  const type = getNamedType(field.type);
  if (!isObjectType(type)) return undefined;
  const edges = type.getFields().edges;
  if (!edges || !type.getFields().pageInfo) return undefined;
  const edge = getNamedType(edges.type);
  return isObjectType(edge) && edge.getFields().node ? getNamedType(edge.getFields().node!.type) : undefined;
}

/**
 * The sort that finishes with the unique `id`, so that ties in the asked-for keys (status, start year,
 * funding scheme ...) are always broken the same way and every page of an order is a slice of one
 * total order. Without a sort, search fields order by score (best first), then id; other fields by id.
 */
function totalOrder(field: Field, sort: unknown): unknown[] | undefined {
  const argument = argumentOf(field, "sort");
  if (!argument) return undefined;
  const sortType = getNamedType(argument.type);
  if (!isInputObjectType(sortType)) return undefined;
  const keys = sortType.getFields();
  const nodeType = keys.node ? getNamedType(keys.node.type) : undefined;
  const byId = keys.id
    ? { id: "ASC" }
    : isInputObjectType(nodeType) && nodeType.getFields().id
      ? { node: { id: "ASC" } }
      : undefined;
  const given = Array.isArray(sort) ? sort : [];
  const base = given.length === 0 && keys.score ? [{ score: "DESC" }] : given;
  return byId ? [...base, byId] : base;
}

/** How one request of a connection field is read: which slice to fetch and what the client asked for. */
interface ConnectionPlan {
  /** Items the client asked for: `first`, or the type's default page size. */
  pageSize: number | undefined;
  /** The item of the `after` cursor; the slice is read from its position so that its id can be checked. */
  anchor: PageCursor | undefined;
  /** Fingerprint of the asked-for sort, where and phrase, written into each cursor. */
  query: string;
}

function connectionPlan(args: Args, sizes: PageSizes | undefined): ConnectionPlan {
  const query = queryFingerprint(args.sort, args.where, args.phrase);
  const anchor = typeof args.after === "string" ? decodeCursor(args.after, query) : undefined;
  const pageSize = typeof args.first === "number" ? args.first : sizes?.defaultSize;
  if (pageSize !== undefined && sizes?.maxSize !== undefined && pageSize > sizes.maxSize)
    throw pageTooLarge("first", pageSize, sizes.maxSize);
  return { pageSize, anchor, query };
}

function pageTooLarge(argumentName: string, value: number, max: number): GraphQLError {
  return new GraphQLError(
    `${argumentName}: a page holds at most ${max} items, ${value} were asked for (page through with cursors)`,
    { extensions: { code: ERROR_CODES.BAD_USER_INPUT, argumentName, limit: "maxPageSize", value } },
  );
}

/** The `first` and `after` that @neo4j/graphql is given for a plan (its cursors are plain offsets). */
function fetchArguments(plan: ConnectionPlan): Args {
  const start = plan.anchor?.position ?? 0;
  // At least one row even for `first: 0`: @neo4j/graphql reads 0 as "no limit" and would return all.
  const size = plan.pageSize === undefined ? undefined : Math.max(plan.pageSize, 1) + (plan.anchor ? 1 : 0);
  return {
    first: size,
    after: start > 0 ? Buffer.from(`arrayconnection:${start - 1}`).toString("base64") : undefined,
  };
}

interface ConnectionValue {
  edges?: { node?: Record<string, unknown> }[];
  totalCount?: unknown;
  aggregate?: unknown;
  groupBy?: unknown;
}

const toCount = (value: unknown): number | undefined =>
  typeof value === "number"
    ? value
    : value && typeof (value as { toNumber?: unknown }).toNumber === "function"
      ? (value as { toNumber(): number }).toNumber()
      : undefined;

/**
 * The page the client sees, from the rows read for a plan: checks that the cursor's item is still where
 * it was (STALE_CURSOR otherwise), gives every edge a cursor naming its item, and derives pageInfo from
 * positions and totalCount, so hasNextPage is true whenever items remain, whether or not `first` was given.
 */
function pageOf(value: ConnectionValue, plan: ConnectionPlan) {
  let edges = value.edges ?? [];
  let position = 0;
  if (plan.anchor) {
    if (edges[0]?.node?.[ANCHOR] !== plan.anchor.id) throw staleCursorError(plan.anchor);
    edges = edges.slice(1);
    position = plan.anchor.position + 1;
  }
  if (plan.pageSize !== undefined) edges = edges.slice(0, plan.pageSize);
  const paged = edges.map((edge, index) => ({
    ...edge,
    cursor: encodeCursor({ position: position + index, id: String(edge.node?.[ANCHOR]), query: plan.query }),
  }));
  const totalCount = toCount(value.totalCount);
  return {
    ...value,
    totalCount,
    edges: paged,
    pageInfo: {
      startCursor: paged[0]?.cursor ?? null,
      endCursor: paged.at(-1)?.cursor ?? null,
      hasPreviousPage: position > 0,
      hasNextPage: totalCount !== undefined && position + paged.length < totalCount,
    },
  };
}

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const fieldNode = (fieldName: string, selections: SelectionNode[], alias?: string): FieldNode => ({
  kind: Kind.FIELD,
  name: name(fieldName),
  ...(alias ? { alias: name(alias) } : {}),
  ...(selections.length ? { selectionSet: { kind: Kind.SELECTION_SET, selections } } : {}),
});

/** Whether a selection (through inline fragments) asks for one of the given fields. */
function selects(set: SelectionSetNode | undefined, names: string[]): boolean {
  return (set?.selections ?? []).some((selection) =>
    selection.kind === Kind.FIELD
      ? names.includes(selection.name.value)
      : selection.kind === Kind.INLINE_FRAGMENT && selects(selection.selectionSet, names),
  );
}

/**
 * Rewrites the selection of a generated root field before @neo4j/graphql translates it: every field
 * with a `sort` gets the total order, every connection field gets the slice of its plan and the ids of
 * its nodes. Changed arguments become variables of their own (values already coerced), so that sorts
 * given as variables, defaults or in fragments are all covered; fragment spreads are inlined.
 */
class SelectionRewriter {
  private counter = 0;
  readonly variables: Record<string, unknown>;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
    variables: Record<string, unknown>,
    private readonly sizes: Map<string, PageSizes>,
  ) {
    this.variables = { ...variables };
  }

  /** The arguments that @neo4j/graphql must see instead of the client's, and the plan of a connection. */
  arguments(field: Field, args: Args): { replaced: Args; plan?: ConnectionPlan } {
    const replaced: Args = {};
    const sort = totalOrder(field, args.sort);
    if (sort) replaced.sort = sort;
    const nodeType = connectionNodeType(field);
    if (nodeType) {
      const plan = connectionPlan(args, this.sizes.get(nodeType.name));
      Object.assign(replaced, fetchArguments(plan));
      return { replaced, plan };
    }
    const limit = args.limit;
    const sizes = this.sizes.get(getNamedType(field.type).name);
    if (typeof limit === "number" && sizes?.maxSize !== undefined && limit > sizes.maxSize)
      throw pageTooLarge("limit", limit, sizes.maxSize);
    return { replaced };
  }

  field(node: FieldNode, field: Field): FieldNode {
    const { replaced } = this.arguments(field, getArgumentValues(field, node, this.variables));
    let rewritten: FieldNode = { ...node, arguments: this.withArguments(node.arguments ?? [], replaced) };
    const type = getNamedType(field.type);
    if (node.selectionSet && isCompositeType(type)) {
      let selectionSet = this.selectionSet(node.selectionSet, type);
      const nodeType = connectionNodeType(field);
      if (nodeType && selects(selectionSet, ["edges", "pageInfo"]))
        selectionSet = {
          ...selectionSet,
          selections: [...selectionSet.selections, this.anchorSelection(nodeType)],
        };
      rewritten = { ...rewritten, selectionSet };
    }
    return rewritten;
  }

  /** `edges { node { atlasPageAnchorId: id } }`, per member type for a union or interface. */
  private anchorSelection(nodeType: GraphQLNamedType): FieldNode {
    const id = fieldNode("id", [], ANCHOR);
    const selections: SelectionNode[] = isAbstractType(nodeType)
      ? this.schema.getPossibleTypes(nodeType).map((member) => ({
          kind: Kind.INLINE_FRAGMENT,
          typeCondition: { kind: Kind.NAMED_TYPE, name: name(member.name) },
          selectionSet: { kind: Kind.SELECTION_SET, selections: [id] },
        }))
      : [id];
    return fieldNode("edges", [fieldNode("node", selections)]);
  }

  private withArguments(nodes: readonly ArgumentNode[], replaced: Args): ArgumentNode[] {
    const kept = nodes.filter((node) => !(node.name.value in replaced));
    for (const [argumentName, value] of Object.entries(replaced)) {
      if (value === undefined) continue;
      const variable = `atlasPage${this.counter++}`;
      this.variables[variable] = value;
      kept.push({
        kind: Kind.ARGUMENT,
        name: name(argumentName),
        value: { kind: Kind.VARIABLE, name: name(variable) },
      });
    }
    return kept;
  }

  private selectionSet(set: SelectionSetNode, type: GraphQLCompositeType): SelectionSetNode {
    const selections = set.selections.map((selection): SelectionNode => {
      if (selection.kind === Kind.FIELD) {
        const field =
          isObjectType(type) || isInterfaceType(type) ? type.getFields()[selection.name.value] : undefined;
        return field ? this.field(selection, field as Field) : selection;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const inner = selection.typeCondition
          ? this.schema.getType(selection.typeCondition.name.value)
          : type;
        return isCompositeType(inner)
          ? { ...selection, selectionSet: this.selectionSet(selection.selectionSet, inner) }
          : selection;
      }
      const fragment = this.fragments[selection.name.value];
      const inner = fragment && this.schema.getType(fragment.typeCondition.name.value);
      if (!fragment || !isCompositeType(inner)) return selection;
      return {
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: fragment.typeCondition,
        ...(selection.directives ? { directives: selection.directives } : {}),
        selectionSet: this.selectionSet(fragment.selectionSet, inner),
      };
    });
    return { ...set, selections };
  }
}

const EMPTY_PAGE = {
  totalCount: 0,
  edges: [],
  pageInfo: { startCursor: null, endCursor: null, hasPreviousPage: false, hasNextPage: false },
};

/**
 * Wraps a generated root field (query or mutation): its selection is rewritten (see SelectionRewriter)
 * before @neo4j/graphql reads it; a connection's answer is turned into the page of its plan; a search
 * phrase is searched for as plain words (see literalSearchQuery).
 */
function rootResolver(
  field: Field,
  original: GraphQLFieldResolver<unknown, unknown>,
  sizes: Map<string, PageSizes>,
): GraphQLFieldResolver<unknown, unknown> {
  return async (source, args: Args, context, info: GraphQLResolveInfo) => {
    const rewriter = new SelectionRewriter(info.schema, info.fragments, info.variableValues, sizes);
    const { replaced, plan } = rewriter.arguments(field, args);
    const fieldNodes = info.fieldNodes.map((node) => rewriter.field(node, field));
    const fetched: Args = { ...args, ...replaced };
    for (const key of Object.keys(fetched)) if (fetched[key] === undefined) delete fetched[key];
    if (typeof args.phrase === "string") {
      const query = literalSearchQuery(args.phrase);
      if (query === undefined) return EMPTY_PAGE;
      fetched.phrase = query;
    }
    const result = await original(source, fetched, context, {
      ...info,
      fieldNodes,
      variableValues: rewriter.variables,
    });
    return plan ? pageOf(result as ConnectionValue, plan) : result;
  };
}

/** Wraps a connection field below the root: the rows were read by the root field's rewritten query. */
function nestedConnectionResolver(
  sizes: PageSizes | undefined,
  original: GraphQLFieldResolver<unknown, unknown>,
): GraphQLFieldResolver<unknown, unknown> {
  return (source, args: Args, context, info) => {
    const record = source as Record<string, unknown> | null;
    const alias = info.fieldNodes[0]?.alias?.value;
    const value = (alias && record?.[alias]) || record?.[info.fieldName];
    if (!value || typeof value !== "object") return original(source, args, context, info);
    return pageOf(value as ConnectionValue, connectionPlan(args, sizes));
  };
}

/**
 * Makes every generated list and connection field of the schema page completely and stably:
 * - every `sort` ends with the unique `id` (search fields: score, then id), so ties never reorder
 *   between pages, for `limit`/`offset` and cursors alike;
 * - cursors name their item and are checked on use: after a write that moved items before the
 *   cursor, the next page is a STALE_CURSOR error instead of repeated or skipped items;
 * - a connection read without `first` gets the type's default page size, with an honest hasNextPage;
 * - a page larger than the type's `@limit(max)` is refused (BAD_USER_INPUT), never silently cut;
 * - search phrases are plain words (see literalSearchQuery).
 * Applies to every root query field whose type is a generated node type, union or connection, every
 * mutation (for the lists in its answer), and every connection field of the object types. Mutates and
 * returns the schema.
 */
export function withStablePaging(schema: GraphQLSchema, sizes: Map<string, PageSizes>): GraphQLSchema {
  const roots = [schema.getQueryType(), schema.getMutationType()].filter(
    (type) => type !== null && type !== undefined,
  );
  for (const root of roots) {
    for (const field of Object.values(root.getFields()) as Field[]) {
      const type = getNamedType(field.type);
      const generated =
        root === schema.getMutationType() ||
        connectionNodeType(field) !== undefined ||
        sizes.has(type.name) ||
        (isAbstractType(type) && schema.getPossibleTypes(type).every((member) => sizes.has(member.name)));
      if (generated && field.resolve) field.resolve = rootResolver(field, field.resolve, sizes);
    }
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || roots.includes(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields()) as Field[]) {
      const nodeType = connectionNodeType(field);
      if (nodeType && field.resolve)
        field.resolve = nestedConnectionResolver(sizes.get(nodeType.name), field.resolve);
    }
  }
  return schema;
}
