// The database under a Directus leaks into its replies: how LIKE treats case, where NULL sorts, what
// a column accepts and how the driver returns numbers. Every such difference standin copies is one
// member of a Dialect; the query engine and the write path consult the record, and nothing else in
// the core asks which database it stands in for. Each member was measured against Directus 12.4 on
// SQLite and on Postgres 15 (tools/postgres); test/dialect-postgres.test.ts holds Postgres's replies.

/** The databases standin can answer like; `DB_CLIENT` names them `sqlite3` and `pg`. */
export type DialectName = 'sqlite' | 'postgres';

export interface Dialect {
  readonly name: DialectName;
  /** `DB_CLIENT` as Directus names this database. */
  readonly client: 'sqlite3' | 'pg';
  /**
   * The case-sensitive LIKE operators (`_contains`, `_starts_with`, `_ends_with`, their negations, a
   * csv `_contains`): SQLite's LIKE folds ASCII letters, Postgres's matches case exactly. `%` and `_`
   * in a needle are wildcards on both.
   */
  readonly likeFoldsCase: boolean;
  /** NULL in an ascending sort (and GROUP BY rows): SQLite puts it first (smallest), Postgres last (largest). */
  readonly nullsFirst: boolean;
  /**
   * Aggregates the driver returns as text: Postgres's int8 and numeric results (`count`, `sum` and
   * `avg` of integers) come back as strings, `avg` with numeric's division scale.
   */
  readonly numericAggregatesAsText: boolean;
  /** bigInteger values as the driver returns them: Postgres's int8 is a string (exact past 2^53). */
  readonly bigIntegerAsText: boolean;
  /**
   * Typed columns: Postgres refuses text that is no integer, float, json, boolean or time for such a
   * column (a 500), integers past int4 and reals past float4 (VALUE_OUT_OF_RANGE), strings past
   * varchar(255) (VALUE_TOO_LONG), and keeps a float field as a float4. SQLite stores what it gets.
   */
  readonly typedColumns: boolean;
  /**
   * An m2o to a uuid key is a `uuid` column, and Directus types a field by its column: the field's
   * type is `uuid` (its filter operators, search) even where the snapshot says `string`.
   */
  readonly uuidForeignKeys: boolean;
  /**
   * GROUP BY is strict: ordering an aggregate read by a column that is neither grouped nor aggregated
   * fails ("must appear in the GROUP BY clause"); SQLite takes a bare column from some row.
   */
  readonly strictGroupBy: boolean;
  /**
   * Date functions (`year(…)`, EXTRACT: numeric) and relational counts (`count(o2m)`: int8) come back
   * as text (`"2024"`, `"0.000000"` for seconds, `"2"`); weeks are ISO weeks (SQLite: `%W`).
   */
  readonly functionsAsText: boolean;
  /** A foreign-key violation names the field, collection and value (Postgres's error detail; SQLite's has none). */
  readonly foreignKeyDetail: boolean;
  /**
   * Aggregate functions exist only for some column types: `sum`/`avg` of text, boolean, json or a
   * date, `min`/`max` of boolean, json or uuid fail ("function sum(character varying) does not exist"),
   * `countDistinct` of json or of a row holding json has no equality operator; `sum`/`avg` of a time
   * is an interval; `countDistinct(*)` counts distinct rows. SQLite computes every one of them
   * (`*` aside: a syntax error).
   */
  readonly typedAggregates: boolean;
  /**
   * Directus emits the events of an update batch's items inside the batch's transaction, and each
   * subscription reads its payload on a connection of its own. Postgres (READ COMMITTED) shows that read
   * the rows as they were before the batch, for every item but the last, whose read comes after the
   * commit (a two-item batch replayed 4 times: the first item's event old each time, the last's new).
   * SQLite's one connection makes the read wait for the commit: every event shows the new rows.
   */
  readonly eventsReadCommitted: boolean;
  /**
   * Directus's Postgres `count()` helper looks a json field up by the table it reads, which through a
   * join is an alias: `count(json)` at the end of a sort or filter path (`sort=pages_id.count(meta)`)
   * fails with "Cannot read properties of undefined (reading 'fields')" (a 500; WebSocket: nothing).
   * SQLite's helper looks it up by the collection.
   */
  readonly joinedJsonCountFails: boolean;
}

export const SQLITE: Dialect = {
  name: 'sqlite', client: 'sqlite3', likeFoldsCase: true, nullsFirst: true,
  numericAggregatesAsText: false, bigIntegerAsText: false, typedColumns: false, uuidForeignKeys: false, foreignKeyDetail: false,
  strictGroupBy: false, functionsAsText: false, typedAggregates: false, eventsReadCommitted: false,
  joinedJsonCountFails: false,
};

export const POSTGRES: Dialect = {
  name: 'postgres', client: 'pg', likeFoldsCase: false, nullsFirst: false,
  numericAggregatesAsText: true, bigIntegerAsText: true, typedColumns: true, uuidForeignKeys: true, foreignKeyDetail: true,
  strictGroupBy: true, functionsAsText: true, typedAggregates: true, eventsReadCommitted: true,
  joinedJsonCountFails: true,
};

export const DIALECTS: Readonly<Record<DialectName, Dialect>> = { sqlite: SQLITE, postgres: POSTGRES };

/** `sqlite`/`sqlite3` or `postgres`/`pg` (a flag or `DB_CLIENT`), else undefined. */
export const dialectNamed = (name: string): DialectName | undefined =>
  name === 'sqlite' || name === 'sqlite3' ? 'sqlite' : name === 'postgres' || name === 'pg' || name === 'postgresql' ? 'postgres' : undefined;
