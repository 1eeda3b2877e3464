/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date, represented as a 'yyyy-mm-dd' string */
  Date: { input: string; output: string; }
};

export type ConnectionAggregationCountFilterInput = {
  edges?: InputMaybe<IntScalarFilters>;
  nodes?: InputMaybe<IntScalarFilters>;
};

export type Count = {
  __typename?: 'Count';
  nodes: Scalars['Int']['output'];
};

export type CountConnection = {
  __typename?: 'CountConnection';
  edges: Scalars['Int']['output'];
  nodes: Scalars['Int']['output'];
};

export type CountriesConnection = {
  __typename?: 'CountriesConnection';
  aggregate: CountryAggregate;
  edges: Array<CountryEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

/** A country, identified by its ISO 3166-1 alpha-2 code (id `country:<code>`). */
export type Country = {
  __typename?: 'Country';
  /** ISO 3166-1 alpha-2, e.g. DE; CORDIS's EL and UK are mapped to GR and GB. */
  code: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** UN M49 region, e.g. Europe. */
  region: Maybe<Scalars['String']['output']>;
  sources: Array<Source>;
  sourcesConnection: CountrySourcesConnection;
};


/** A country, identified by its ISO 3166-1 alpha-2 code (id `country:<code>`). */
export type CountrySourcesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<Array<SourceSort>>;
  where?: InputMaybe<SourceWhere>;
};


/** A country, identified by its ISO 3166-1 alpha-2 code (id `country:<code>`). */
export type CountrySourcesConnectionArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<Array<CountrySourcesConnectionSort>>;
  where?: InputMaybe<CountrySourcesConnectionWhere>;
};

export type CountryAggregate = {
  __typename?: 'CountryAggregate';
  count: Count;
  node: CountryAggregateNode;
};

export type CountryAggregateNode = {
  __typename?: 'CountryAggregateNode';
  code: StringAggregateSelection;
  name: StringAggregateSelection;
  region: StringAggregateSelection;
};

export type CountryCreateInput = {
  code: Scalars['String']['input'];
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
  region?: InputMaybe<Scalars['String']['input']>;
  sources?: InputMaybe<CountrySourcesFieldInput>;
};

export type CountryDeleteInput = {
  sources?: InputMaybe<Array<CountrySourcesDeleteFieldInput>>;
};

export type CountryEdge = {
  __typename?: 'CountryEdge';
  cursor: Scalars['String']['output'];
  node: Country;
};

/** Fields to sort Countries by. The order in which sorts are applied is not guaranteed when specifying many fields in one CountrySort object. */
export type CountrySort = {
  code?: InputMaybe<SortDirection>;
  id?: InputMaybe<SortDirection>;
  name?: InputMaybe<SortDirection>;
  region?: InputMaybe<SortDirection>;
};

export type CountrySourceSourcesAggregateSelection = {
  __typename?: 'CountrySourceSourcesAggregateSelection';
  count: CountConnection;
  node: Maybe<CountrySourceSourcesNodeAggregateSelection>;
};

export type CountrySourceSourcesNodeAggregateSelection = {
  __typename?: 'CountrySourceSourcesNodeAggregateSelection';
  publisher: StringAggregateSelection;
  title: StringAggregateSelection;
  url: StringAggregateSelection;
};

export type CountrySourcesAggregateInput = {
  AND?: InputMaybe<Array<CountrySourcesAggregateInput>>;
  NOT?: InputMaybe<CountrySourcesAggregateInput>;
  OR?: InputMaybe<Array<CountrySourcesAggregateInput>>;
  count?: InputMaybe<IntScalarFilters>;
  /** @deprecated Please use the relevant generic filter '{ count: { eq: ... } } }' instead. */
  count_EQ?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter '{ count: { gt: ... } } }' instead. */
  count_GT?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter '{ count: { gte: ... } } }' instead. */
  count_GTE?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter '{ count: { lt: ... } } }' instead. */
  count_LT?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter '{ count: { lte: ... } } }' instead. */
  count_LTE?: InputMaybe<Scalars['Int']['input']>;
  node?: InputMaybe<CountrySourcesNodeAggregationWhereInput>;
};

export type CountrySourcesConnectFieldInput = {
  where?: InputMaybe<SourceConnectWhere>;
};

export type CountrySourcesConnection = {
  __typename?: 'CountrySourcesConnection';
  aggregate: CountrySourceSourcesAggregateSelection;
  edges: Array<CountrySourcesRelationship>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type CountrySourcesConnectionAggregateInput = {
  AND?: InputMaybe<Array<CountrySourcesConnectionAggregateInput>>;
  NOT?: InputMaybe<CountrySourcesConnectionAggregateInput>;
  OR?: InputMaybe<Array<CountrySourcesConnectionAggregateInput>>;
  count?: InputMaybe<ConnectionAggregationCountFilterInput>;
  node?: InputMaybe<CountrySourcesNodeAggregationWhereInput>;
};

export type CountrySourcesConnectionFilters = {
  /** Filter Countries by aggregating results on related CountrySourcesConnections */
  aggregate?: InputMaybe<CountrySourcesConnectionAggregateInput>;
  /** Return Countries where all of the related CountrySourcesConnections match this filter */
  all?: InputMaybe<CountrySourcesConnectionWhere>;
  /** Return Countries where none of the related CountrySourcesConnections match this filter */
  none?: InputMaybe<CountrySourcesConnectionWhere>;
  /** Return Countries where one of the related CountrySourcesConnections match this filter */
  single?: InputMaybe<CountrySourcesConnectionWhere>;
  /** Return Countries where some of the related CountrySourcesConnections match this filter */
  some?: InputMaybe<CountrySourcesConnectionWhere>;
};

export type CountrySourcesConnectionSort = {
  node?: InputMaybe<SourceSort>;
};

export type CountrySourcesConnectionWhere = {
  AND?: InputMaybe<Array<CountrySourcesConnectionWhere>>;
  NOT?: InputMaybe<CountrySourcesConnectionWhere>;
  OR?: InputMaybe<Array<CountrySourcesConnectionWhere>>;
  node?: InputMaybe<SourceWhere>;
};

export type CountrySourcesCreateFieldInput = {
  node: SourceCreateInput;
};

export type CountrySourcesDeleteFieldInput = {
  where?: InputMaybe<CountrySourcesConnectionWhere>;
};

export type CountrySourcesDisconnectFieldInput = {
  where?: InputMaybe<CountrySourcesConnectionWhere>;
};

export type CountrySourcesFieldInput = {
  connect?: InputMaybe<Array<CountrySourcesConnectFieldInput>>;
  create?: InputMaybe<Array<CountrySourcesCreateFieldInput>>;
};

export type CountrySourcesNodeAggregationWhereInput = {
  AND?: InputMaybe<Array<CountrySourcesNodeAggregationWhereInput>>;
  NOT?: InputMaybe<CountrySourcesNodeAggregationWhereInput>;
  OR?: InputMaybe<Array<CountrySourcesNodeAggregationWhereInput>>;
  publisher?: InputMaybe<StringScalarAggregationFilters>;
  /** @deprecated Please use the relevant generic filter 'publisher: { averageLength: { eq: ... } } }' instead. */
  publisher_AVERAGE_LENGTH_EQUAL?: InputMaybe<Scalars['Float']['input']>;
  /** @deprecated Please use the relevant generic filter 'publisher: { averageLength: { gt: ... } } }' instead. */
  publisher_AVERAGE_LENGTH_GT?: InputMaybe<Scalars['Float']['input']>;
  /** @deprecated Please use the relevant generic filter 'publisher: { averageLength: { gte: ... } } }' instead. */
  publisher_AVERAGE_LENGTH_GTE?: InputMaybe<Scalars['Float']['input']>;
  /** @deprecated Please use the relevant generic filter 'publisher: { averageLength: { lt: ... } } }' instead. */
  publisher_AVERAGE_LENGTH_LT?: InputMaybe<Scalars['Float']['input']>;
  /** @deprecated Please use the relevant generic filter 'publisher: { averageLength: { lte: ... } } }' instead. */
  publisher_AVERAGE_LENGTH_LTE?: InputMaybe<Scalars['Float']['input']>;
  /** @deprecated Please use the relevant generic filter 'publisher: { longestLength: { eq: ... } } }' instead. */
  publisher_LONGEST_LENGTH_EQUAL?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'publisher: { longestLength: { gt: ... } } }' instead. */
  publisher_LONGEST_LENGTH_GT?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'publisher: { longestLength: { gte: ... } } }' instead. */
  publisher_LONGEST_LENGTH_GTE?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'publisher: { longestLength: { lt: ... } } }' instead. */
  publisher_LONGEST_LENGTH_LT?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'publisher: { longestLength: { lte: ... } } }' instead. */
  publisher_LONGEST_LENGTH_LTE?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'publisher: { shortestLength: { eq: ... } } }' instead. */
  publisher_SHORTEST_LENGTH_EQUAL?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'publisher: { shortestLength: { gt: ... } } }' instead. */
  publisher_SHORTEST_LENGTH_GT?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'publisher: { shortestLength: { gte: ... } } }' instead. */
  publisher_SHORTEST_LENGTH_GTE?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'publisher: { shortestLength: { lt: ... } } }' instead. */
  publisher_SHORTEST_LENGTH_LT?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'publisher: { shortestLength: { lte: ... } } }' instead. */
  publisher_SHORTEST_LENGTH_LTE?: InputMaybe<Scalars['Int']['input']>;
  title?: InputMaybe<StringScalarAggregationFilters>;
  /** @deprecated Please use the relevant generic filter 'title: { averageLength: { eq: ... } } }' instead. */
  title_AVERAGE_LENGTH_EQUAL?: InputMaybe<Scalars['Float']['input']>;
  /** @deprecated Please use the relevant generic filter 'title: { averageLength: { gt: ... } } }' instead. */
  title_AVERAGE_LENGTH_GT?: InputMaybe<Scalars['Float']['input']>;
  /** @deprecated Please use the relevant generic filter 'title: { averageLength: { gte: ... } } }' instead. */
  title_AVERAGE_LENGTH_GTE?: InputMaybe<Scalars['Float']['input']>;
  /** @deprecated Please use the relevant generic filter 'title: { averageLength: { lt: ... } } }' instead. */
  title_AVERAGE_LENGTH_LT?: InputMaybe<Scalars['Float']['input']>;
  /** @deprecated Please use the relevant generic filter 'title: { averageLength: { lte: ... } } }' instead. */
  title_AVERAGE_LENGTH_LTE?: InputMaybe<Scalars['Float']['input']>;
  /** @deprecated Please use the relevant generic filter 'title: { longestLength: { eq: ... } } }' instead. */
  title_LONGEST_LENGTH_EQUAL?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'title: { longestLength: { gt: ... } } }' instead. */
  title_LONGEST_LENGTH_GT?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'title: { longestLength: { gte: ... } } }' instead. */
  title_LONGEST_LENGTH_GTE?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'title: { longestLength: { lt: ... } } }' instead. */
  title_LONGEST_LENGTH_LT?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'title: { longestLength: { lte: ... } } }' instead. */
  title_LONGEST_LENGTH_LTE?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'title: { shortestLength: { eq: ... } } }' instead. */
  title_SHORTEST_LENGTH_EQUAL?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'title: { shortestLength: { gt: ... } } }' instead. */
  title_SHORTEST_LENGTH_GT?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'title: { shortestLength: { gte: ... } } }' instead. */
  title_SHORTEST_LENGTH_GTE?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'title: { shortestLength: { lt: ... } } }' instead. */
  title_SHORTEST_LENGTH_LT?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'title: { shortestLength: { lte: ... } } }' instead. */
  title_SHORTEST_LENGTH_LTE?: InputMaybe<Scalars['Int']['input']>;
  url?: InputMaybe<StringScalarAggregationFilters>;
  /** @deprecated Please use the relevant generic filter 'url: { averageLength: { eq: ... } } }' instead. */
  url_AVERAGE_LENGTH_EQUAL?: InputMaybe<Scalars['Float']['input']>;
  /** @deprecated Please use the relevant generic filter 'url: { averageLength: { gt: ... } } }' instead. */
  url_AVERAGE_LENGTH_GT?: InputMaybe<Scalars['Float']['input']>;
  /** @deprecated Please use the relevant generic filter 'url: { averageLength: { gte: ... } } }' instead. */
  url_AVERAGE_LENGTH_GTE?: InputMaybe<Scalars['Float']['input']>;
  /** @deprecated Please use the relevant generic filter 'url: { averageLength: { lt: ... } } }' instead. */
  url_AVERAGE_LENGTH_LT?: InputMaybe<Scalars['Float']['input']>;
  /** @deprecated Please use the relevant generic filter 'url: { averageLength: { lte: ... } } }' instead. */
  url_AVERAGE_LENGTH_LTE?: InputMaybe<Scalars['Float']['input']>;
  /** @deprecated Please use the relevant generic filter 'url: { longestLength: { eq: ... } } }' instead. */
  url_LONGEST_LENGTH_EQUAL?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'url: { longestLength: { gt: ... } } }' instead. */
  url_LONGEST_LENGTH_GT?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'url: { longestLength: { gte: ... } } }' instead. */
  url_LONGEST_LENGTH_GTE?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'url: { longestLength: { lt: ... } } }' instead. */
  url_LONGEST_LENGTH_LT?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'url: { longestLength: { lte: ... } } }' instead. */
  url_LONGEST_LENGTH_LTE?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'url: { shortestLength: { eq: ... } } }' instead. */
  url_SHORTEST_LENGTH_EQUAL?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'url: { shortestLength: { gt: ... } } }' instead. */
  url_SHORTEST_LENGTH_GT?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'url: { shortestLength: { gte: ... } } }' instead. */
  url_SHORTEST_LENGTH_GTE?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'url: { shortestLength: { lt: ... } } }' instead. */
  url_SHORTEST_LENGTH_LT?: InputMaybe<Scalars['Int']['input']>;
  /** @deprecated Please use the relevant generic filter 'url: { shortestLength: { lte: ... } } }' instead. */
  url_SHORTEST_LENGTH_LTE?: InputMaybe<Scalars['Int']['input']>;
};

export type CountrySourcesRelationship = {
  __typename?: 'CountrySourcesRelationship';
  cursor: Scalars['String']['output'];
  node: Source;
};

export type CountrySourcesUpdateConnectionInput = {
  node?: InputMaybe<SourceUpdateInput>;
  where?: InputMaybe<CountrySourcesConnectionWhere>;
};

export type CountrySourcesUpdateFieldInput = {
  connect?: InputMaybe<Array<CountrySourcesConnectFieldInput>>;
  create?: InputMaybe<Array<CountrySourcesCreateFieldInput>>;
  delete?: InputMaybe<Array<CountrySourcesDeleteFieldInput>>;
  disconnect?: InputMaybe<Array<CountrySourcesDisconnectFieldInput>>;
  update?: InputMaybe<CountrySourcesUpdateConnectionInput>;
};

export type CountryUpdateInput = {
  code?: InputMaybe<StringScalarMutations>;
  /** @deprecated Please use the generic mutation 'code: { set: ... } }' instead. */
  code_SET?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<IdScalarMutations>;
  /** @deprecated Please use the generic mutation 'id: { set: ... } }' instead. */
  id_SET?: InputMaybe<Scalars['ID']['input']>;
  name?: InputMaybe<StringScalarMutations>;
  /** @deprecated Please use the generic mutation 'name: { set: ... } }' instead. */
  name_SET?: InputMaybe<Scalars['String']['input']>;
  region?: InputMaybe<StringScalarMutations>;
  /** @deprecated Please use the generic mutation 'region: { set: ... } }' instead. */
  region_SET?: InputMaybe<Scalars['String']['input']>;
  sources?: InputMaybe<Array<CountrySourcesUpdateFieldInput>>;
};

export type CountryWhere = {
  AND?: InputMaybe<Array<CountryWhere>>;
  NOT?: InputMaybe<CountryWhere>;
  OR?: InputMaybe<Array<CountryWhere>>;
  code?: InputMaybe<StringScalarFilters>;
  /** @deprecated Please use the relevant generic filter code: { contains: ... } */
  code_CONTAINS?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter code: { endsWith: ... } */
  code_ENDS_WITH?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter code: { eq: ... } */
  code_EQ?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter code: { in: ... } */
  code_IN?: InputMaybe<Array<Scalars['String']['input']>>;
  /** @deprecated Please use the relevant generic filter code: { startsWith: ... } */
  code_STARTS_WITH?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<IdScalarFilters>;
  /** @deprecated Please use the relevant generic filter id: { contains: ... } */
  id_CONTAINS?: InputMaybe<Scalars['ID']['input']>;
  /** @deprecated Please use the relevant generic filter id: { endsWith: ... } */
  id_ENDS_WITH?: InputMaybe<Scalars['ID']['input']>;
  /** @deprecated Please use the relevant generic filter id: { eq: ... } */
  id_EQ?: InputMaybe<Scalars['ID']['input']>;
  /** @deprecated Please use the relevant generic filter id: { in: ... } */
  id_IN?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** @deprecated Please use the relevant generic filter id: { startsWith: ... } */
  id_STARTS_WITH?: InputMaybe<Scalars['ID']['input']>;
  name?: InputMaybe<StringScalarFilters>;
  /** @deprecated Please use the relevant generic filter name: { contains: ... } */
  name_CONTAINS?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter name: { endsWith: ... } */
  name_ENDS_WITH?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter name: { eq: ... } */
  name_EQ?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter name: { in: ... } */
  name_IN?: InputMaybe<Array<Scalars['String']['input']>>;
  /** @deprecated Please use the relevant generic filter name: { startsWith: ... } */
  name_STARTS_WITH?: InputMaybe<Scalars['String']['input']>;
  region?: InputMaybe<StringScalarFilters>;
  /** @deprecated Please use the relevant generic filter region: { contains: ... } */
  region_CONTAINS?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter region: { endsWith: ... } */
  region_ENDS_WITH?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter region: { eq: ... } */
  region_EQ?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter region: { in: ... } */
  region_IN?: InputMaybe<Array<InputMaybe<Scalars['String']['input']>>>;
  /** @deprecated Please use the relevant generic filter region: { startsWith: ... } */
  region_STARTS_WITH?: InputMaybe<Scalars['String']['input']>;
  sources?: InputMaybe<SourceRelationshipFilters>;
  /** @deprecated Aggregate filters are moved inside the sourcesConnection filter, please use { sourcesConnection: { aggregate: {...} } } instead */
  sourcesAggregate?: InputMaybe<CountrySourcesAggregateInput>;
  sourcesConnection?: InputMaybe<CountrySourcesConnectionFilters>;
  /**
   * Return Countries where all of the related CountrySourcesConnections match this filter
   * @deprecated Please use the relevant generic filter 'sourcesConnection: { all: { node: ... } } }' instead.
   */
  sourcesConnection_ALL?: InputMaybe<CountrySourcesConnectionWhere>;
  /**
   * Return Countries where none of the related CountrySourcesConnections match this filter
   * @deprecated Please use the relevant generic filter 'sourcesConnection: { none: { node: ... } } }' instead.
   */
  sourcesConnection_NONE?: InputMaybe<CountrySourcesConnectionWhere>;
  /**
   * Return Countries where one of the related CountrySourcesConnections match this filter
   * @deprecated Please use the relevant generic filter 'sourcesConnection: { single: { node: ... } } }' instead.
   */
  sourcesConnection_SINGLE?: InputMaybe<CountrySourcesConnectionWhere>;
  /**
   * Return Countries where some of the related CountrySourcesConnections match this filter
   * @deprecated Please use the relevant generic filter 'sourcesConnection: { some: { node: ... } } }' instead.
   */
  sourcesConnection_SOME?: InputMaybe<CountrySourcesConnectionWhere>;
  /**
   * Return Countries where all of the related Sources match this filter
   * @deprecated Please use the relevant generic filter 'sources: { all: ... }' instead.
   */
  sources_ALL?: InputMaybe<SourceWhere>;
  /**
   * Return Countries where none of the related Sources match this filter
   * @deprecated Please use the relevant generic filter 'sources: { none: ... }' instead.
   */
  sources_NONE?: InputMaybe<SourceWhere>;
  /**
   * Return Countries where one of the related Sources match this filter
   * @deprecated Please use the relevant generic filter 'sources: {  single: ... }' instead.
   */
  sources_SINGLE?: InputMaybe<SourceWhere>;
  /**
   * Return Countries where some of the related Sources match this filter
   * @deprecated Please use the relevant generic filter 'sources: {  some: ... }' instead.
   */
  sources_SOME?: InputMaybe<SourceWhere>;
};

export type CreateCountriesMutationResponse = {
  __typename?: 'CreateCountriesMutationResponse';
  countries: Array<Country>;
  info: CreateInfo;
};

/** Information about the number of nodes and relationships created during a create mutation */
export type CreateInfo = {
  __typename?: 'CreateInfo';
  nodesCreated: Scalars['Int']['output'];
  relationshipsCreated: Scalars['Int']['output'];
};

export type CreateSourcesMutationResponse = {
  __typename?: 'CreateSourcesMutationResponse';
  info: CreateInfo;
  sources: Array<Source>;
};

/** Date filters */
export type DateScalarFilters = {
  eq?: InputMaybe<Scalars['Date']['input']>;
  gt?: InputMaybe<Scalars['Date']['input']>;
  gte?: InputMaybe<Scalars['Date']['input']>;
  in?: InputMaybe<Array<Scalars['Date']['input']>>;
  lt?: InputMaybe<Scalars['Date']['input']>;
  lte?: InputMaybe<Scalars['Date']['input']>;
};

/** Date mutations */
export type DateScalarMutations = {
  set?: InputMaybe<Scalars['Date']['input']>;
};

/** Information about the number of nodes and relationships deleted during a delete mutation */
export type DeleteInfo = {
  __typename?: 'DeleteInfo';
  nodesDeleted: Scalars['Int']['output'];
  relationshipsDeleted: Scalars['Int']['output'];
};

/** Float filters */
export type FloatScalarFilters = {
  eq?: InputMaybe<Scalars['Float']['input']>;
  gt?: InputMaybe<Scalars['Float']['input']>;
  gte?: InputMaybe<Scalars['Float']['input']>;
  in?: InputMaybe<Array<Scalars['Float']['input']>>;
  lt?: InputMaybe<Scalars['Float']['input']>;
  lte?: InputMaybe<Scalars['Float']['input']>;
};

/** ID filters */
export type IdScalarFilters = {
  contains?: InputMaybe<Scalars['ID']['input']>;
  endsWith?: InputMaybe<Scalars['ID']['input']>;
  eq?: InputMaybe<Scalars['ID']['input']>;
  in?: InputMaybe<Array<Scalars['ID']['input']>>;
  startsWith?: InputMaybe<Scalars['ID']['input']>;
};

/** ID mutations */
export type IdScalarMutations = {
  set?: InputMaybe<Scalars['ID']['input']>;
};

/** Int filters */
export type IntScalarFilters = {
  eq?: InputMaybe<Scalars['Int']['input']>;
  gt?: InputMaybe<Scalars['Int']['input']>;
  gte?: InputMaybe<Scalars['Int']['input']>;
  in?: InputMaybe<Array<Scalars['Int']['input']>>;
  lt?: InputMaybe<Scalars['Int']['input']>;
  lte?: InputMaybe<Scalars['Int']['input']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  createCountries: CreateCountriesMutationResponse;
  createSources: CreateSourcesMutationResponse;
  deleteCountries: DeleteInfo;
  deleteSources: DeleteInfo;
  updateCountries: UpdateCountriesMutationResponse;
  updateSources: UpdateSourcesMutationResponse;
};


export type MutationCreateCountriesArgs = {
  input: Array<CountryCreateInput>;
};


export type MutationCreateSourcesArgs = {
  input: Array<SourceCreateInput>;
};


export type MutationDeleteCountriesArgs = {
  delete?: InputMaybe<CountryDeleteInput>;
  where?: InputMaybe<CountryWhere>;
};


export type MutationDeleteSourcesArgs = {
  where?: InputMaybe<SourceWhere>;
};


export type MutationUpdateCountriesArgs = {
  update?: InputMaybe<CountryUpdateInput>;
  where?: InputMaybe<CountryWhere>;
};


export type MutationUpdateSourcesArgs = {
  update?: InputMaybe<SourceUpdateInput>;
  where?: InputMaybe<SourceWhere>;
};

/** Pagination information (Relay) */
export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  countries: Array<Country>;
  countriesConnection: CountriesConnection;
  sources: Array<Source>;
  sourcesConnection: SourcesConnection;
};


export type QueryCountriesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<Array<CountrySort>>;
  where?: InputMaybe<CountryWhere>;
};


export type QueryCountriesConnectionArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<Array<CountrySort>>;
  where?: InputMaybe<CountryWhere>;
};


export type QuerySourcesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<Array<SourceSort>>;
  where?: InputMaybe<SourceWhere>;
};


export type QuerySourcesConnectionArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<Array<SourceSort>>;
  where?: InputMaybe<SourceWhere>;
};

/** An enum for sorting in either ascending or descending order. */
export type SortDirection =
  /** Sort by field values in ascending order. */
  | 'ASC'
  /** Sort by field values in descending order. */
  | 'DESC';

/**
 * Where a fact comes from: a document, a web page or a data export, with the date it was published or read.
 * Every node links to its sources through SOURCED_FROM, so that every figure can be traced.
 */
export type Source = {
  __typename?: 'Source';
  /** The publication date, or the date the source was retrieved when it carries none. */
  date: Maybe<Scalars['Date']['output']>;
  id: Scalars['ID']['output'];
  publisher: Maybe<Scalars['String']['output']>;
  title: Scalars['String']['output'];
  url: Maybe<Scalars['String']['output']>;
};

export type SourceAggregate = {
  __typename?: 'SourceAggregate';
  count: Count;
  node: SourceAggregateNode;
};

export type SourceAggregateNode = {
  __typename?: 'SourceAggregateNode';
  publisher: StringAggregateSelection;
  title: StringAggregateSelection;
  url: StringAggregateSelection;
};

export type SourceConnectWhere = {
  node: SourceWhere;
};

export type SourceCreateInput = {
  date?: InputMaybe<Scalars['Date']['input']>;
  id: Scalars['ID']['input'];
  publisher?: InputMaybe<Scalars['String']['input']>;
  title: Scalars['String']['input'];
  url?: InputMaybe<Scalars['String']['input']>;
};

export type SourceEdge = {
  __typename?: 'SourceEdge';
  cursor: Scalars['String']['output'];
  node: Source;
};

export type SourceRelationshipFilters = {
  /** Filter type where all of the related Sources match this filter */
  all?: InputMaybe<SourceWhere>;
  /** Filter type where none of the related Sources match this filter */
  none?: InputMaybe<SourceWhere>;
  /** Filter type where one of the related Sources match this filter */
  single?: InputMaybe<SourceWhere>;
  /** Filter type where some of the related Sources match this filter */
  some?: InputMaybe<SourceWhere>;
};

/** Fields to sort Sources by. The order in which sorts are applied is not guaranteed when specifying many fields in one SourceSort object. */
export type SourceSort = {
  date?: InputMaybe<SortDirection>;
  id?: InputMaybe<SortDirection>;
  publisher?: InputMaybe<SortDirection>;
  title?: InputMaybe<SortDirection>;
  url?: InputMaybe<SortDirection>;
};

export type SourceUpdateInput = {
  date?: InputMaybe<DateScalarMutations>;
  /** @deprecated Please use the generic mutation 'date: { set: ... } }' instead. */
  date_SET?: InputMaybe<Scalars['Date']['input']>;
  id?: InputMaybe<IdScalarMutations>;
  /** @deprecated Please use the generic mutation 'id: { set: ... } }' instead. */
  id_SET?: InputMaybe<Scalars['ID']['input']>;
  publisher?: InputMaybe<StringScalarMutations>;
  /** @deprecated Please use the generic mutation 'publisher: { set: ... } }' instead. */
  publisher_SET?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<StringScalarMutations>;
  /** @deprecated Please use the generic mutation 'title: { set: ... } }' instead. */
  title_SET?: InputMaybe<Scalars['String']['input']>;
  url?: InputMaybe<StringScalarMutations>;
  /** @deprecated Please use the generic mutation 'url: { set: ... } }' instead. */
  url_SET?: InputMaybe<Scalars['String']['input']>;
};

export type SourceWhere = {
  AND?: InputMaybe<Array<SourceWhere>>;
  NOT?: InputMaybe<SourceWhere>;
  OR?: InputMaybe<Array<SourceWhere>>;
  date?: InputMaybe<DateScalarFilters>;
  /** @deprecated Please use the relevant generic filter date: { eq: ... } */
  date_EQ?: InputMaybe<Scalars['Date']['input']>;
  /** @deprecated Please use the relevant generic filter date: { gt: ... } */
  date_GT?: InputMaybe<Scalars['Date']['input']>;
  /** @deprecated Please use the relevant generic filter date: { gte: ... } */
  date_GTE?: InputMaybe<Scalars['Date']['input']>;
  /** @deprecated Please use the relevant generic filter date: { in: ... } */
  date_IN?: InputMaybe<Array<InputMaybe<Scalars['Date']['input']>>>;
  /** @deprecated Please use the relevant generic filter date: { lt: ... } */
  date_LT?: InputMaybe<Scalars['Date']['input']>;
  /** @deprecated Please use the relevant generic filter date: { lte: ... } */
  date_LTE?: InputMaybe<Scalars['Date']['input']>;
  id?: InputMaybe<IdScalarFilters>;
  /** @deprecated Please use the relevant generic filter id: { contains: ... } */
  id_CONTAINS?: InputMaybe<Scalars['ID']['input']>;
  /** @deprecated Please use the relevant generic filter id: { endsWith: ... } */
  id_ENDS_WITH?: InputMaybe<Scalars['ID']['input']>;
  /** @deprecated Please use the relevant generic filter id: { eq: ... } */
  id_EQ?: InputMaybe<Scalars['ID']['input']>;
  /** @deprecated Please use the relevant generic filter id: { in: ... } */
  id_IN?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** @deprecated Please use the relevant generic filter id: { startsWith: ... } */
  id_STARTS_WITH?: InputMaybe<Scalars['ID']['input']>;
  publisher?: InputMaybe<StringScalarFilters>;
  /** @deprecated Please use the relevant generic filter publisher: { contains: ... } */
  publisher_CONTAINS?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter publisher: { endsWith: ... } */
  publisher_ENDS_WITH?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter publisher: { eq: ... } */
  publisher_EQ?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter publisher: { in: ... } */
  publisher_IN?: InputMaybe<Array<InputMaybe<Scalars['String']['input']>>>;
  /** @deprecated Please use the relevant generic filter publisher: { startsWith: ... } */
  publisher_STARTS_WITH?: InputMaybe<Scalars['String']['input']>;
  title?: InputMaybe<StringScalarFilters>;
  /** @deprecated Please use the relevant generic filter title: { contains: ... } */
  title_CONTAINS?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter title: { endsWith: ... } */
  title_ENDS_WITH?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter title: { eq: ... } */
  title_EQ?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter title: { in: ... } */
  title_IN?: InputMaybe<Array<Scalars['String']['input']>>;
  /** @deprecated Please use the relevant generic filter title: { startsWith: ... } */
  title_STARTS_WITH?: InputMaybe<Scalars['String']['input']>;
  url?: InputMaybe<StringScalarFilters>;
  /** @deprecated Please use the relevant generic filter url: { contains: ... } */
  url_CONTAINS?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter url: { endsWith: ... } */
  url_ENDS_WITH?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter url: { eq: ... } */
  url_EQ?: InputMaybe<Scalars['String']['input']>;
  /** @deprecated Please use the relevant generic filter url: { in: ... } */
  url_IN?: InputMaybe<Array<InputMaybe<Scalars['String']['input']>>>;
  /** @deprecated Please use the relevant generic filter url: { startsWith: ... } */
  url_STARTS_WITH?: InputMaybe<Scalars['String']['input']>;
};

export type SourcesConnection = {
  __typename?: 'SourcesConnection';
  aggregate: SourceAggregate;
  edges: Array<SourceEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type StringAggregateSelection = {
  __typename?: 'StringAggregateSelection';
  longest: Maybe<Scalars['String']['output']>;
  shortest: Maybe<Scalars['String']['output']>;
};

/** Filters for an aggregation of a string field */
export type StringScalarAggregationFilters = {
  averageLength?: InputMaybe<FloatScalarFilters>;
  longestLength?: InputMaybe<IntScalarFilters>;
  shortestLength?: InputMaybe<IntScalarFilters>;
};

/** String filters */
export type StringScalarFilters = {
  contains?: InputMaybe<Scalars['String']['input']>;
  endsWith?: InputMaybe<Scalars['String']['input']>;
  eq?: InputMaybe<Scalars['String']['input']>;
  in?: InputMaybe<Array<Scalars['String']['input']>>;
  startsWith?: InputMaybe<Scalars['String']['input']>;
};

/** String mutations */
export type StringScalarMutations = {
  set?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateCountriesMutationResponse = {
  __typename?: 'UpdateCountriesMutationResponse';
  countries: Array<Country>;
  info: UpdateInfo;
};

/** Information about the number of nodes and relationships created and deleted during an update mutation */
export type UpdateInfo = {
  __typename?: 'UpdateInfo';
  nodesCreated: Scalars['Int']['output'];
  nodesDeleted: Scalars['Int']['output'];
  relationshipsCreated: Scalars['Int']['output'];
  relationshipsDeleted: Scalars['Int']['output'];
};

export type UpdateSourcesMutationResponse = {
  __typename?: 'UpdateSourcesMutationResponse';
  info: UpdateInfo;
  sources: Array<Source>;
};

export type CountriesQueryVariables = Exact<{
  limit?: number | null | undefined;
}>;


export type CountriesQuery = { countries: Array<{ id: string, code: string, name: string, region: string | null, sources: Array<{ id: string, title: string, url: string | null }> }> };


export const CountriesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Countries"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"countries"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}},{"kind":"Argument","name":{"kind":"Name","value":"sort"},"value":{"kind":"ListValue","values":[{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"name"},"value":{"kind":"EnumValue","value":"ASC"}}]}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"sources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]}}]} as unknown as DocumentNode<CountriesQuery, CountriesQueryVariables>;


export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ConnectionAggregationCountFilterInput: ConnectionAggregationCountFilterInput;
  Count: ResolverTypeWrapper<Count>;
  CountConnection: ResolverTypeWrapper<CountConnection>;
  CountriesConnection: ResolverTypeWrapper<CountriesConnection>;
  Country: ResolverTypeWrapper<Country>;
  CountryAggregate: ResolverTypeWrapper<CountryAggregate>;
  CountryAggregateNode: ResolverTypeWrapper<CountryAggregateNode>;
  CountryCreateInput: CountryCreateInput;
  CountryDeleteInput: CountryDeleteInput;
  CountryEdge: ResolverTypeWrapper<CountryEdge>;
  CountrySort: CountrySort;
  CountrySourceSourcesAggregateSelection: ResolverTypeWrapper<CountrySourceSourcesAggregateSelection>;
  CountrySourceSourcesNodeAggregateSelection: ResolverTypeWrapper<CountrySourceSourcesNodeAggregateSelection>;
  CountrySourcesAggregateInput: CountrySourcesAggregateInput;
  CountrySourcesConnectFieldInput: CountrySourcesConnectFieldInput;
  CountrySourcesConnection: ResolverTypeWrapper<CountrySourcesConnection>;
  CountrySourcesConnectionAggregateInput: CountrySourcesConnectionAggregateInput;
  CountrySourcesConnectionFilters: CountrySourcesConnectionFilters;
  CountrySourcesConnectionSort: CountrySourcesConnectionSort;
  CountrySourcesConnectionWhere: CountrySourcesConnectionWhere;
  CountrySourcesCreateFieldInput: CountrySourcesCreateFieldInput;
  CountrySourcesDeleteFieldInput: CountrySourcesDeleteFieldInput;
  CountrySourcesDisconnectFieldInput: CountrySourcesDisconnectFieldInput;
  CountrySourcesFieldInput: CountrySourcesFieldInput;
  CountrySourcesNodeAggregationWhereInput: CountrySourcesNodeAggregationWhereInput;
  CountrySourcesRelationship: ResolverTypeWrapper<CountrySourcesRelationship>;
  CountrySourcesUpdateConnectionInput: CountrySourcesUpdateConnectionInput;
  CountrySourcesUpdateFieldInput: CountrySourcesUpdateFieldInput;
  CountryUpdateInput: CountryUpdateInput;
  CountryWhere: CountryWhere;
  CreateCountriesMutationResponse: ResolverTypeWrapper<CreateCountriesMutationResponse>;
  CreateInfo: ResolverTypeWrapper<CreateInfo>;
  CreateSourcesMutationResponse: ResolverTypeWrapper<CreateSourcesMutationResponse>;
  Date: ResolverTypeWrapper<Scalars['Date']['output']>;
  DateScalarFilters: DateScalarFilters;
  DateScalarMutations: DateScalarMutations;
  DeleteInfo: ResolverTypeWrapper<DeleteInfo>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  FloatScalarFilters: FloatScalarFilters;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  IDScalarFilters: IdScalarFilters;
  IDScalarMutations: IdScalarMutations;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  IntScalarFilters: IntScalarFilters;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SortDirection: SortDirection;
  Source: ResolverTypeWrapper<Source>;
  SourceAggregate: ResolverTypeWrapper<SourceAggregate>;
  SourceAggregateNode: ResolverTypeWrapper<SourceAggregateNode>;
  SourceConnectWhere: SourceConnectWhere;
  SourceCreateInput: SourceCreateInput;
  SourceEdge: ResolverTypeWrapper<SourceEdge>;
  SourceRelationshipFilters: SourceRelationshipFilters;
  SourceSort: SourceSort;
  SourceUpdateInput: SourceUpdateInput;
  SourceWhere: SourceWhere;
  SourcesConnection: ResolverTypeWrapper<SourcesConnection>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  StringAggregateSelection: ResolverTypeWrapper<StringAggregateSelection>;
  StringScalarAggregationFilters: StringScalarAggregationFilters;
  StringScalarFilters: StringScalarFilters;
  StringScalarMutations: StringScalarMutations;
  UpdateCountriesMutationResponse: ResolverTypeWrapper<UpdateCountriesMutationResponse>;
  UpdateInfo: ResolverTypeWrapper<UpdateInfo>;
  UpdateSourcesMutationResponse: ResolverTypeWrapper<UpdateSourcesMutationResponse>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Boolean: Scalars['Boolean']['output'];
  ConnectionAggregationCountFilterInput: ConnectionAggregationCountFilterInput;
  Count: Count;
  CountConnection: CountConnection;
  CountriesConnection: CountriesConnection;
  Country: Country;
  CountryAggregate: CountryAggregate;
  CountryAggregateNode: CountryAggregateNode;
  CountryCreateInput: CountryCreateInput;
  CountryDeleteInput: CountryDeleteInput;
  CountryEdge: CountryEdge;
  CountrySort: CountrySort;
  CountrySourceSourcesAggregateSelection: CountrySourceSourcesAggregateSelection;
  CountrySourceSourcesNodeAggregateSelection: CountrySourceSourcesNodeAggregateSelection;
  CountrySourcesAggregateInput: CountrySourcesAggregateInput;
  CountrySourcesConnectFieldInput: CountrySourcesConnectFieldInput;
  CountrySourcesConnection: CountrySourcesConnection;
  CountrySourcesConnectionAggregateInput: CountrySourcesConnectionAggregateInput;
  CountrySourcesConnectionFilters: CountrySourcesConnectionFilters;
  CountrySourcesConnectionSort: CountrySourcesConnectionSort;
  CountrySourcesConnectionWhere: CountrySourcesConnectionWhere;
  CountrySourcesCreateFieldInput: CountrySourcesCreateFieldInput;
  CountrySourcesDeleteFieldInput: CountrySourcesDeleteFieldInput;
  CountrySourcesDisconnectFieldInput: CountrySourcesDisconnectFieldInput;
  CountrySourcesFieldInput: CountrySourcesFieldInput;
  CountrySourcesNodeAggregationWhereInput: CountrySourcesNodeAggregationWhereInput;
  CountrySourcesRelationship: CountrySourcesRelationship;
  CountrySourcesUpdateConnectionInput: CountrySourcesUpdateConnectionInput;
  CountrySourcesUpdateFieldInput: CountrySourcesUpdateFieldInput;
  CountryUpdateInput: CountryUpdateInput;
  CountryWhere: CountryWhere;
  CreateCountriesMutationResponse: CreateCountriesMutationResponse;
  CreateInfo: CreateInfo;
  CreateSourcesMutationResponse: CreateSourcesMutationResponse;
  Date: Scalars['Date']['output'];
  DateScalarFilters: DateScalarFilters;
  DateScalarMutations: DateScalarMutations;
  DeleteInfo: DeleteInfo;
  Float: Scalars['Float']['output'];
  FloatScalarFilters: FloatScalarFilters;
  ID: Scalars['ID']['output'];
  IDScalarFilters: IdScalarFilters;
  IDScalarMutations: IdScalarMutations;
  Int: Scalars['Int']['output'];
  IntScalarFilters: IntScalarFilters;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  Source: Source;
  SourceAggregate: SourceAggregate;
  SourceAggregateNode: SourceAggregateNode;
  SourceConnectWhere: SourceConnectWhere;
  SourceCreateInput: SourceCreateInput;
  SourceEdge: SourceEdge;
  SourceRelationshipFilters: SourceRelationshipFilters;
  SourceSort: SourceSort;
  SourceUpdateInput: SourceUpdateInput;
  SourceWhere: SourceWhere;
  SourcesConnection: SourcesConnection;
  String: Scalars['String']['output'];
  StringAggregateSelection: StringAggregateSelection;
  StringScalarAggregationFilters: StringScalarAggregationFilters;
  StringScalarFilters: StringScalarFilters;
  StringScalarMutations: StringScalarMutations;
  UpdateCountriesMutationResponse: UpdateCountriesMutationResponse;
  UpdateInfo: UpdateInfo;
  UpdateSourcesMutationResponse: UpdateSourcesMutationResponse;
};

export type CountResolvers<ContextType = any, ParentType extends ResolversParentTypes['Count'] = ResolversParentTypes['Count']> = {
  nodes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CountConnectionResolvers<ContextType = any, ParentType extends ResolversParentTypes['CountConnection'] = ResolversParentTypes['CountConnection']> = {
  edges?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  nodes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CountriesConnectionResolvers<ContextType = any, ParentType extends ResolversParentTypes['CountriesConnection'] = ResolversParentTypes['CountriesConnection']> = {
  aggregate?: Resolver<ResolversTypes['CountryAggregate'], ParentType, ContextType>;
  edges?: Resolver<Array<ResolversTypes['CountryEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CountryResolvers<ContextType = any, ParentType extends ResolversParentTypes['Country'] = ResolversParentTypes['Country']> = {
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  region?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  sources?: Resolver<Array<ResolversTypes['Source']>, ParentType, ContextType, Partial<CountrySourcesArgs>>;
  sourcesConnection?: Resolver<ResolversTypes['CountrySourcesConnection'], ParentType, ContextType, Partial<CountrySourcesConnectionArgs>>;
};

export type CountryAggregateResolvers<ContextType = any, ParentType extends ResolversParentTypes['CountryAggregate'] = ResolversParentTypes['CountryAggregate']> = {
  count?: Resolver<ResolversTypes['Count'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['CountryAggregateNode'], ParentType, ContextType>;
};

export type CountryAggregateNodeResolvers<ContextType = any, ParentType extends ResolversParentTypes['CountryAggregateNode'] = ResolversParentTypes['CountryAggregateNode']> = {
  code?: Resolver<ResolversTypes['StringAggregateSelection'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['StringAggregateSelection'], ParentType, ContextType>;
  region?: Resolver<ResolversTypes['StringAggregateSelection'], ParentType, ContextType>;
};

export type CountryEdgeResolvers<ContextType = any, ParentType extends ResolversParentTypes['CountryEdge'] = ResolversParentTypes['CountryEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Country'], ParentType, ContextType>;
};

export type CountrySourceSourcesAggregateSelectionResolvers<ContextType = any, ParentType extends ResolversParentTypes['CountrySourceSourcesAggregateSelection'] = ResolversParentTypes['CountrySourceSourcesAggregateSelection']> = {
  count?: Resolver<ResolversTypes['CountConnection'], ParentType, ContextType>;
  node?: Resolver<Maybe<ResolversTypes['CountrySourceSourcesNodeAggregateSelection']>, ParentType, ContextType>;
};

export type CountrySourceSourcesNodeAggregateSelectionResolvers<ContextType = any, ParentType extends ResolversParentTypes['CountrySourceSourcesNodeAggregateSelection'] = ResolversParentTypes['CountrySourceSourcesNodeAggregateSelection']> = {
  publisher?: Resolver<ResolversTypes['StringAggregateSelection'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['StringAggregateSelection'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['StringAggregateSelection'], ParentType, ContextType>;
};

export type CountrySourcesConnectionResolvers<ContextType = any, ParentType extends ResolversParentTypes['CountrySourcesConnection'] = ResolversParentTypes['CountrySourcesConnection']> = {
  aggregate?: Resolver<ResolversTypes['CountrySourceSourcesAggregateSelection'], ParentType, ContextType>;
  edges?: Resolver<Array<ResolversTypes['CountrySourcesRelationship']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CountrySourcesRelationshipResolvers<ContextType = any, ParentType extends ResolversParentTypes['CountrySourcesRelationship'] = ResolversParentTypes['CountrySourcesRelationship']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Source'], ParentType, ContextType>;
};

export type CreateCountriesMutationResponseResolvers<ContextType = any, ParentType extends ResolversParentTypes['CreateCountriesMutationResponse'] = ResolversParentTypes['CreateCountriesMutationResponse']> = {
  countries?: Resolver<Array<ResolversTypes['Country']>, ParentType, ContextType>;
  info?: Resolver<ResolversTypes['CreateInfo'], ParentType, ContextType>;
};

export type CreateInfoResolvers<ContextType = any, ParentType extends ResolversParentTypes['CreateInfo'] = ResolversParentTypes['CreateInfo']> = {
  nodesCreated?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  relationshipsCreated?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CreateSourcesMutationResponseResolvers<ContextType = any, ParentType extends ResolversParentTypes['CreateSourcesMutationResponse'] = ResolversParentTypes['CreateSourcesMutationResponse']> = {
  info?: Resolver<ResolversTypes['CreateInfo'], ParentType, ContextType>;
  sources?: Resolver<Array<ResolversTypes['Source']>, ParentType, ContextType>;
};

export interface DateScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Date'], any> {
  name: 'Date';
}

export type DeleteInfoResolvers<ContextType = any, ParentType extends ResolversParentTypes['DeleteInfo'] = ResolversParentTypes['DeleteInfo']> = {
  nodesDeleted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  relationshipsDeleted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = any, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  createCountries?: Resolver<ResolversTypes['CreateCountriesMutationResponse'], ParentType, ContextType, RequireFields<MutationCreateCountriesArgs, 'input'>>;
  createSources?: Resolver<ResolversTypes['CreateSourcesMutationResponse'], ParentType, ContextType, RequireFields<MutationCreateSourcesArgs, 'input'>>;
  deleteCountries?: Resolver<ResolversTypes['DeleteInfo'], ParentType, ContextType, Partial<MutationDeleteCountriesArgs>>;
  deleteSources?: Resolver<ResolversTypes['DeleteInfo'], ParentType, ContextType, Partial<MutationDeleteSourcesArgs>>;
  updateCountries?: Resolver<ResolversTypes['UpdateCountriesMutationResponse'], ParentType, ContextType, Partial<MutationUpdateCountriesArgs>>;
  updateSources?: Resolver<ResolversTypes['UpdateSourcesMutationResponse'], ParentType, ContextType, Partial<MutationUpdateSourcesArgs>>;
};

export type PageInfoResolvers<ContextType = any, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = any, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  countries?: Resolver<Array<ResolversTypes['Country']>, ParentType, ContextType, Partial<QueryCountriesArgs>>;
  countriesConnection?: Resolver<ResolversTypes['CountriesConnection'], ParentType, ContextType, Partial<QueryCountriesConnectionArgs>>;
  sources?: Resolver<Array<ResolversTypes['Source']>, ParentType, ContextType, Partial<QuerySourcesArgs>>;
  sourcesConnection?: Resolver<ResolversTypes['SourcesConnection'], ParentType, ContextType, Partial<QuerySourcesConnectionArgs>>;
};

export type SourceResolvers<ContextType = any, ParentType extends ResolversParentTypes['Source'] = ResolversParentTypes['Source']> = {
  date?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  publisher?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  url?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type SourceAggregateResolvers<ContextType = any, ParentType extends ResolversParentTypes['SourceAggregate'] = ResolversParentTypes['SourceAggregate']> = {
  count?: Resolver<ResolversTypes['Count'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['SourceAggregateNode'], ParentType, ContextType>;
};

export type SourceAggregateNodeResolvers<ContextType = any, ParentType extends ResolversParentTypes['SourceAggregateNode'] = ResolversParentTypes['SourceAggregateNode']> = {
  publisher?: Resolver<ResolversTypes['StringAggregateSelection'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['StringAggregateSelection'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['StringAggregateSelection'], ParentType, ContextType>;
};

export type SourceEdgeResolvers<ContextType = any, ParentType extends ResolversParentTypes['SourceEdge'] = ResolversParentTypes['SourceEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Source'], ParentType, ContextType>;
};

export type SourcesConnectionResolvers<ContextType = any, ParentType extends ResolversParentTypes['SourcesConnection'] = ResolversParentTypes['SourcesConnection']> = {
  aggregate?: Resolver<ResolversTypes['SourceAggregate'], ParentType, ContextType>;
  edges?: Resolver<Array<ResolversTypes['SourceEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type StringAggregateSelectionResolvers<ContextType = any, ParentType extends ResolversParentTypes['StringAggregateSelection'] = ResolversParentTypes['StringAggregateSelection']> = {
  longest?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  shortest?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type UpdateCountriesMutationResponseResolvers<ContextType = any, ParentType extends ResolversParentTypes['UpdateCountriesMutationResponse'] = ResolversParentTypes['UpdateCountriesMutationResponse']> = {
  countries?: Resolver<Array<ResolversTypes['Country']>, ParentType, ContextType>;
  info?: Resolver<ResolversTypes['UpdateInfo'], ParentType, ContextType>;
};

export type UpdateInfoResolvers<ContextType = any, ParentType extends ResolversParentTypes['UpdateInfo'] = ResolversParentTypes['UpdateInfo']> = {
  nodesCreated?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  nodesDeleted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  relationshipsCreated?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  relationshipsDeleted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type UpdateSourcesMutationResponseResolvers<ContextType = any, ParentType extends ResolversParentTypes['UpdateSourcesMutationResponse'] = ResolversParentTypes['UpdateSourcesMutationResponse']> = {
  info?: Resolver<ResolversTypes['UpdateInfo'], ParentType, ContextType>;
  sources?: Resolver<Array<ResolversTypes['Source']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = any> = {
  Count?: CountResolvers<ContextType>;
  CountConnection?: CountConnectionResolvers<ContextType>;
  CountriesConnection?: CountriesConnectionResolvers<ContextType>;
  Country?: CountryResolvers<ContextType>;
  CountryAggregate?: CountryAggregateResolvers<ContextType>;
  CountryAggregateNode?: CountryAggregateNodeResolvers<ContextType>;
  CountryEdge?: CountryEdgeResolvers<ContextType>;
  CountrySourceSourcesAggregateSelection?: CountrySourceSourcesAggregateSelectionResolvers<ContextType>;
  CountrySourceSourcesNodeAggregateSelection?: CountrySourceSourcesNodeAggregateSelectionResolvers<ContextType>;
  CountrySourcesConnection?: CountrySourcesConnectionResolvers<ContextType>;
  CountrySourcesRelationship?: CountrySourcesRelationshipResolvers<ContextType>;
  CreateCountriesMutationResponse?: CreateCountriesMutationResponseResolvers<ContextType>;
  CreateInfo?: CreateInfoResolvers<ContextType>;
  CreateSourcesMutationResponse?: CreateSourcesMutationResponseResolvers<ContextType>;
  Date?: GraphQLScalarType;
  DeleteInfo?: DeleteInfoResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Source?: SourceResolvers<ContextType>;
  SourceAggregate?: SourceAggregateResolvers<ContextType>;
  SourceAggregateNode?: SourceAggregateNodeResolvers<ContextType>;
  SourceEdge?: SourceEdgeResolvers<ContextType>;
  SourcesConnection?: SourcesConnectionResolvers<ContextType>;
  StringAggregateSelection?: StringAggregateSelectionResolvers<ContextType>;
  UpdateCountriesMutationResponse?: UpdateCountriesMutationResponseResolvers<ContextType>;
  UpdateInfo?: UpdateInfoResolvers<ContextType>;
  UpdateSourcesMutationResponse?: UpdateSourcesMutationResponseResolvers<ContextType>;
};

