/**
 * Why this scanner is kept next to jsonwebtoken: jsonwebtoken (through jws) reads the header and payload with
 * JSON.parse, which silently keeps the last of duplicate keys, so `{"sub":"u","sub":"admin"}` would be one claim
 * set to us and another to any parser that keeps the first. The check is not moot; it runs after the signature
 * verified (see TokenService), so a forged token never pays for it.
 */

/**
 * Whether `json` is one JSON object in which no object (at any depth) has a key twice. A small scanner rather than
 * JSON.parse, which silently keeps the last of duplicate keys.
 */
export function isJsonObjectWithUniqueKeys(json: string): boolean {
  const scanner = new JsonScanner(json);
  try {
    scanner.skipSpace();
    if (json[scanner.position] !== '{') return false;
    scanner.value();
    scanner.skipSpace();
    return scanner.position === json.length;
  } catch {
    return false;
  }
}

const LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
// JSON forbids raw control characters in strings: they are what the negated class leaves out.
// eslint-disable-next-line no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

class JsonScanner {
  position = 0;

  constructor(private readonly text: string) {}

  value(): void {
    this.skipSpace();
    const char = this.text[this.position];
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    if (char === '"') {
      this.string();
      return;
    }
    this.position += this.match(LITERAL, 'JSON value expected').length;
  }

  skipSpace(): void {
    while (' \t\n\r'.includes(this.text[this.position] ?? 'x')) this.position += 1;
  }

  private object(): void {
    const keys = new Set<string>();
    this.position += 1;
    this.skipSpace();
    if (this.text[this.position] === '}') {
      this.position += 1;
      return;
    }
    for (;;) {
      this.skipSpace();
      const key = this.string();
      if (keys.has(key)) throw new SyntaxError(`duplicate key ${key}`);
      keys.add(key);
      this.expect(':');
      this.value();
      this.skipSpace();
      if (this.text[this.position] === '}') {
        this.position += 1;
        return;
      }
      this.expect(',');
    }
  }

  private array(): void {
    this.position += 1;
    this.skipSpace();
    if (this.text[this.position] === ']') {
      this.position += 1;
      return;
    }
    for (;;) {
      this.value();
      this.skipSpace();
      if (this.text[this.position] === ']') {
        this.position += 1;
        return;
      }
      this.expect(',');
    }
  }

  /** A JSON string, decoded (so that `"a"` and `"\u0061"` count as the same key). */
  private string(): string {
    const literal = this.match(STRING, 'JSON string expected');
    this.position += literal.length;
    return JSON.parse(literal) as string;
  }

  /** `pattern` (sticky) at the current position: no copy of the rest of the text (this runs on every request). */
  private match(pattern: RegExp, expected: string): string {
    pattern.lastIndex = this.position;
    const match = pattern.exec(this.text);
    if (!match) throw new SyntaxError(expected);
    return match[0];
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.position] !== char) throw new SyntaxError(`${char} expected`);
    this.position += 1;
  }
}
