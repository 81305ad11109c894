// Where a JSON text first goes wrong. Node 20's JSON.parse names a position for some errors but not
// for others ("Unexpected token '}'"), so on failure we scan once more to point at line and column.
// Only called after JSON.parse has failed, so its speed does not matter.

export interface TextPosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

class SyntaxAt {
  readonly offset: number;
  constructor(offset: number) {
    this.offset = offset;
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPABLE = '"\\/bfnrt';
const HEX = /^[0-9a-fA-F]{4}$/;

const scan = (text: string): void => {
  let i = 0;
  const fail = (at = i): never => {
    throw new SyntaxAt(Math.min(at, text.length));
  };
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (char: string) => {
    if (text[i] !== char) fail();
    i++;
  };
  const literal = (word: string) => {
    for (const char of word) expect(char);
  };
  const string = () => {
    expect('"');
    for (;;) {
      if (i >= text.length) fail();
      const char = text[i]!;
      if (char === '"') return void i++;
      if (char < ' ') fail();
      if (char === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          if (!HEX.test(text.slice(i + 2, i + 6))) fail(i + 2);
          i += 6;
        } else if (next !== undefined && ESCAPABLE.includes(next)) i += 2;
        else fail(i + 1);
      } else i++;
    }
  };
  const value = (): void => {
    skipSpace();
    const char = text[i];
    if (char === '{') return members('}', () => (string(), skipSpace(), expect(':'), value()));
    if (char === '[') return members(']', value);
    if (char === '"') return string();
    if (char === 't') return literal('true');
    if (char === 'f') return literal('false');
    if (char === 'n') return literal('null');
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) fail();
    i = NUMBER.lastIndex;
  };
  const members = (close: string, member: () => void) => {
    i++;
    skipSpace();
    if (text[i] === close) return void i++;
    for (;;) {
      skipSpace();
      member();
      skipSpace();
      if (text[i] === ',') i++;
      else return expect(close);
    }
  };
  value();
  skipSpace();
  if (i < text.length) fail();
};

const positionOf = (text: string, offset: number): TextPosition => {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { offset, line, column: offset - before.lastIndexOf('\n') };
};

/** The position of the first syntax error, or undefined when the text is valid JSON (or too deep to scan). */
export const findJsonSyntaxError = (text: string): TextPosition | undefined => {
  try {
    scan(text);
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxAt) return positionOf(text, error.offset);
    return undefined; // RangeError on absurd nesting: no position rather than a crash
  }
};
