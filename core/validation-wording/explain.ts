// Why a value fails an effect Schema, as the issues zod 4 would raise for the same shape. Directus
// validates WebSocket messages with zod and words the failure from zod's issues; effect's own issue
// tree cannot stand in for them (effect picks union members by their literal keys and stops early,
// zod tries every member and reports them all), so the schema's AST is walked again with zod's rules.
// Only called once decoding has failed: it is the explanation, effect stays the validator.
import * as Schema from 'effect/Schema';
import type * as AST from 'effect/SchemaAST';

/** A path step: an object key or an array index. */
export type PathKey = string | number;

/**
 * One zod issue. `path` runs from the message's root (zod keeps it relative to the node that raised
 * the issue and joins the parts when it words a union; the joined path is the same).
 */
export type Issue =
  | { readonly code: 'invalid_type'; readonly path: readonly PathKey[]; readonly expected: string; readonly input: unknown }
  | { readonly code: 'invalid_value'; readonly path: readonly PathKey[]; readonly values: readonly unknown[] }
  | { readonly code: 'invalid_union'; readonly path: readonly PathKey[]; readonly errors: readonly (readonly Issue[])[] }
  /** A failed refinement (a check such as an email pattern): zod lets parsing continue past it. */
  | { readonly code: 'custom'; readonly path: readonly PathKey[]; readonly message: string; readonly continues: boolean };

/**
 * How many failing elements of one array are explained. Directus lists them all; past this many the
 * text would run to megabytes and its making would hold the server for seconds (a 1 MB frame of
 * `{}` ids takes minutes), so standin stops here: the only place its words differ from Directus's.
 */
export const MAX_EXPLAINED_ELEMENTS = 1000;

// zod's object and record accept non-null, non-array objects (JSON gives no other kinds).
const isObject = (input: unknown): input is Record<string, unknown> =>
  typeof input === 'object' && input !== null && !Array.isArray(input);

/** zod's `aborted`: a result stops a union only if some issue does not let parsing continue. */
const aborts = (issues: readonly Issue[]) => issues.some((issue) => issue.code !== 'custom' || !issue.continues);

const invalidType = (path: readonly PathKey[], expected: string, input: unknown): Issue[] => [{ code: 'invalid_type', path, expected, input }];

/** The issues zod raises for `input` against the schema node `ast` (empty: it fits). */
export const explain = (ast: AST.AST, input: unknown, path: readonly PathKey[] = []): readonly Issue[] => {
  const issues = explainShape(ast, input, path);
  return issues.length > 0 || ast.checks === undefined ? issues : explainChecks(ast, input, path);
};

const explainShape = (ast: AST.AST, input: unknown, path: readonly PathKey[]): readonly Issue[] => {
  switch (ast._tag) {
    case 'Unknown': case 'Any': return [];
    case 'String': return typeof input === 'string' ? [] : invalidType(path, 'string', input);
    // zod's number excludes NaN and the infinities (JSON's 1e999), so the schemas use Schema.Finite.
    case 'Number': return typeof input === 'number' && Number.isFinite(input) ? [] : invalidType(path, 'number', input);
    case 'Boolean': return typeof input === 'boolean' ? [] : invalidType(path, 'boolean', input);
    case 'Null': return input === null ? [] : invalidType(path, 'null', input);
    case 'Literal': return input === ast.literal ? [] : [{ code: 'invalid_value', path, values: [ast.literal] }];
    case 'Arrays': return explainArray(ast, input, path);
    case 'Objects': return explainObject(ast, input, path);
    case 'Union': return explainUnion(ast, input, path);
    case 'Suspend': return explain(ast.thunk(), input, path);
    default: return Schema.is(Schema.make(ast))(input) ? [] : [{ code: 'custom', path, message: 'Invalid input', continues: false }];
  }
};

const explainArray = (ast: AST.Arrays, input: unknown, path: readonly PathKey[]): readonly Issue[] => {
  if (!Array.isArray(input)) return invalidType(path, 'array', input);
  const element = ast.rest[0];
  const issues: Issue[] = [];
  if (element === undefined) return issues;
  let failing = 0;
  for (let index = 0; index < input.length && failing < MAX_EXPLAINED_ELEMENTS; index++) {
    const found = explain(element, input[index], [...path, index]);
    if (found.length > 0) failing++;
    // A loop, not a spread: push(...found) overflows the stack on a large array.
    for (const issue of found) issues.push(issue);
  }
  return issues;
};

// A struct is zod's object (known keys in declaration order; others stripped or passed through);
// a schema with only an index signature is zod's record.
const explainObject = (ast: AST.Objects, input: unknown, path: readonly PathKey[]): readonly Issue[] => {
  if (!isObject(input)) return invalidType(path, ast.propertySignatures.length === 0 && ast.indexSignatures.length > 0 ? 'record' : 'object', input);
  const issues: Issue[] = [];
  const known = new Set<PropertyKey>();
  for (const property of ast.propertySignatures) {
    known.add(property.name);
    if (typeof property.name !== 'string') continue;
    const value = Object.hasOwn(input, property.name) ? input[property.name] : undefined;
    // zod's optional(): an absent (undefined) value passes without looking at the inner schema.
    if (value === undefined && property.type.context?.isOptional === true) continue;
    for (const issue of explain(property.type, value, [...path, property.name])) issues.push(issue);
  }
  for (const index of ast.indexSignatures) {
    for (const key of Object.keys(input)) {
      if (!known.has(key)) for (const issue of explain(index.type, input[key], [...path, key])) issues.push(issue);
    }
  }
  return issues;
};

// zod tries every member: the first that fits wins; if exactly one member failed only on checks
// that let parsing continue, its issues stand alone; otherwise one union issue lists every member's.
const explainUnion = (ast: AST.Union, input: unknown, path: readonly PathKey[]): readonly Issue[] => {
  const results: (readonly Issue[])[] = [];
  for (const member of ast.types) {
    const issues = explain(member, input, path);
    if (issues.length === 0) return [];
    results.push(issues);
  }
  const continuing = results.filter((issues) => !aborts(issues));
  if (continuing.length === 1) return continuing[0]!;
  return [{ code: 'invalid_union', path, errors: results }];
};

// Refinements run only once the shape fits; each failure lets parsing continue, as zod's checks do.
const explainChecks = (ast: AST.AST, input: unknown, path: readonly PathKey[]): readonly Issue[] => {
  if (Schema.is(Schema.make(ast))(input)) return [];
  const message = ast.checks?.[0]?.annotations?.['message'];
  return [{ code: 'custom', path, message: typeof message === 'string' ? message : 'Invalid input', continues: true }];
};
