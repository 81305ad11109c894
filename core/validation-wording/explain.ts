// Why a value fails an effect Schema, as the issues zod 4 would raise for the same shape. Directus
// validates WebSocket messages with zod and words the failure from zod's issues; effect's own issue
// tree cannot stand in for them (effect picks union members by their literal keys and stops early,
// zod tries every member and reports them all), so the schema's AST is walked again with zod's rules.
// Only called once decoding has failed: it is the explanation, effect stays the validator.
import * as Schema from 'effect/Schema';
import type * as AST from 'effect/SchemaAST';

/** A path step: an object key or an array index. */
export type PathKey = string | number;

/** One zod issue; `path` is relative to the schema node that raised it, as in zod. */
export type Issue =
  | { readonly code: 'invalid_type'; readonly path: readonly PathKey[]; readonly expected: string; readonly input: unknown }
  | { readonly code: 'invalid_value'; readonly path: readonly PathKey[]; readonly values: readonly unknown[] }
  | { readonly code: 'invalid_union'; readonly path: readonly PathKey[]; readonly errors: readonly (readonly Issue[])[] }
  /** A failed refinement (a check such as an email pattern): zod lets parsing continue past it. */
  | { readonly code: 'custom'; readonly path: readonly PathKey[]; readonly message: string; readonly continues: boolean };

const prefixed = (key: PathKey, issues: readonly Issue[]): Issue[] => issues.map((issue) => ({ ...issue, path: [key, ...issue.path] }));

// zod's object and record accept non-null, non-array objects (JSON gives no other kinds).
const isObject = (input: unknown): input is Record<string, unknown> =>
  typeof input === 'object' && input !== null && !Array.isArray(input);

/** zod's `aborted`: a result stops a union only if some issue does not let parsing continue. */
const aborts = (issues: readonly Issue[]) => issues.some((issue) => issue.code !== 'custom' || !issue.continues);

const invalidType = (expected: string, input: unknown): Issue[] => [{ code: 'invalid_type', path: [], expected, input }];

/** The issues zod raises for `input` against the schema node `ast` (empty: it fits). */
export const explain = (ast: AST.AST, input: unknown): readonly Issue[] => {
  const issues = explainShape(ast, input);
  return issues.length > 0 || ast.checks === undefined ? issues : explainChecks(ast, input);
};

const explainShape = (ast: AST.AST, input: unknown): readonly Issue[] => {
  switch (ast._tag) {
    case 'Unknown': case 'Any': return [];
    case 'String': return typeof input === 'string' ? [] : invalidType('string', input);
    // zod's number excludes NaN and the infinities (JSON's 1e999), so the schemas use Schema.Finite.
    case 'Number': return typeof input === 'number' && Number.isFinite(input) ? [] : invalidType('number', input);
    case 'Boolean': return typeof input === 'boolean' ? [] : invalidType('boolean', input);
    case 'Null': return input === null ? [] : invalidType('null', input);
    case 'Literal': return input === ast.literal ? [] : [{ code: 'invalid_value', path: [], values: [ast.literal] }];
    case 'Arrays': return explainArray(ast, input);
    case 'Objects': return explainObject(ast, input);
    case 'Union': return explainUnion(ast, input);
    case 'Suspend': return explain(ast.thunk(), input);
    default: return Schema.is(Schema.make(ast))(input) ? [] : [{ code: 'custom', path: [], message: 'Invalid input', continues: false }];
  }
};

const explainArray = (ast: AST.Arrays, input: unknown): readonly Issue[] => {
  if (!Array.isArray(input)) return invalidType('array', input);
  const element = ast.rest[0];
  return element === undefined ? [] : input.flatMap((item, index) => prefixed(index, explain(element, item)));
};

// A struct is zod's object (known keys in declaration order; others stripped or passed through);
// a schema with only an index signature is zod's record.
const explainObject = (ast: AST.Objects, input: unknown): readonly Issue[] => {
  if (!isObject(input)) return invalidType(ast.propertySignatures.length === 0 && ast.indexSignatures.length > 0 ? 'record' : 'object', input);
  const issues: Issue[] = [];
  const known = new Set<PropertyKey>();
  for (const property of ast.propertySignatures) {
    known.add(property.name);
    if (typeof property.name !== 'string') continue;
    const value = Object.hasOwn(input, property.name) ? input[property.name] : undefined;
    // zod's optional(): an absent (undefined) value passes without looking at the inner schema.
    if (value === undefined && property.type.context?.isOptional === true) continue;
    issues.push(...prefixed(property.name, explain(property.type, value)));
  }
  for (const index of ast.indexSignatures) {
    for (const key of Object.keys(input)) {
      if (!known.has(key)) issues.push(...prefixed(key, explain(index.type, input[key])));
    }
  }
  return issues;
};

// zod tries every member: the first that fits wins; if exactly one member failed only on checks
// that let parsing continue, its issues stand alone; otherwise one union issue lists every member's.
const explainUnion = (ast: AST.Union, input: unknown): readonly Issue[] => {
  const results: (readonly Issue[])[] = [];
  for (const member of ast.types) {
    const issues = explain(member, input);
    if (issues.length === 0) return [];
    results.push(issues);
  }
  const continuing = results.filter((issues) => !aborts(issues));
  if (continuing.length === 1) return continuing[0]!;
  return [{ code: 'invalid_union', path: [], errors: results }];
};

// Refinements run only once the shape fits; each failure lets parsing continue, as zod's checks do.
const explainChecks = (ast: AST.AST, input: unknown): readonly Issue[] => {
  if (Schema.is(Schema.make(ast))(input)) return [];
  const message = ast.checks?.[0]?.annotations?.['message'];
  return [{ code: 'custom', path: [], message: typeof message === 'string' ? message : 'Invalid input', continues: true }];
};
