// The text Directus sends for a failed WebSocket message: zod 4's English issue messages, assembled
// as zod-validation-error's `fromZodError` does (its defaults: "Validation error: " prefix, issues
// joined by "; ", union members by " or " without repeats, first letter upper-cased, paths quoted).
import type { Issue, PathKey } from './explain.ts';

/** zod's `parsedType`: how the received value is named in "expected X, received Y". */
const receivedType = (input: unknown): string => {
  if (typeof input === 'number') return Number.isNaN(input) ? 'NaN' : 'number';
  if (Array.isArray(input)) return 'array';
  if (input === null) return 'null';
  return typeof input;
};

// zod's `stringifyPrimitive`.
const primitive = (value: unknown): string =>
  typeof value === 'string' ? `"${value}"` : typeof value === 'bigint' ? `${value}n` : String(value);

/** zod's English locale. */
const issueMessage = (issue: Issue): string => {
  switch (issue.code) {
    case 'invalid_type': return `Invalid input: expected ${issue.expected}, received ${receivedType(issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `Invalid input: expected ${primitive(issue.values[0])}`
        : `Invalid option: expected one of ${issue.values.map(primitive).join('|')}`;
    case 'invalid_union': return 'Invalid input';
    case 'custom': return issue.message;
  }
};

const identifier = /[$_\p{ID_Start}][$\u200c\u200d\p{ID_Continue}]*/u;

/** zod-validation-error's `joinPath`: `ids[0]`, `query.filter`, `["a b"]`. */
const joinPath = (path: readonly PathKey[]): string => {
  if (path.length === 1) return String(path[0]) || '""';
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    if (key.includes('"')) return `${text}["${key.replace(/"/g, '\\"')}"]`;
    // Unanchored, as in the library: a key that merely contains an identifier counts as one.
    if (!identifier.test(key)) return `${text}["${key}"]`;
    return `${text}${text.length === 0 ? '' : '.'}${key}`;
  }, '');
};

const titleCase = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const issueText = (issue: Issue): string => {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const members = issue.errors.map((issues) => issues.map(issueText).join('; '));
    return [...new Set(members)].join(' or ');
  }
  const message = titleCase(issueMessage(issue));
  const { path } = issue;
  if (path.length === 0) return message;
  if (path.length === 1 && typeof path[0] === 'number') return `${message} at index ${path[0]}`;
  return `${message} at "${joinPath(path)}"`;
};

/** The whole message, e.g. `Validation error: Invalid input: expected string, received undefined at "collection"`. */
export const formatIssues = (issues: readonly Issue[]): string => {
  const text = issues.slice(0, 99).map(issueText).join('; ');
  return text.length > 0 ? `Validation error: ${text}` : 'Validation error';
};
