import { inspect } from 'node:util';

/** A value of a log field: never a token, a password or a hash. */
export type LogField = string | number | boolean | null | undefined;

/** `text` on one line: the line breaks of an error message (a driver's, a stack) become single spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** The message of whatever was thrown, on one line. */
export function errorMessage(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}

/**
 * A log entry with fields, for Nest's `Logger`: one line under the default `ConsoleLogger`
 * (`Refresh token reuse detected (sessionId=…, ip=…)`, where a plain object would print as a multi-line dump), and
 * under pino (nestjs-pino) the same fields as structured keys beside `msg`, since they are the entry's own
 * enumerable properties.
 * @example `this.logger.warn(new LogLine('Session revoked', { sessionId, ip }))`
 */
export class LogLine {
  readonly msg: string;

  constructor(msg: string, fields: Record<string, LogField> = {}) {
    this.msg = oneLine(msg);
    for (const [key, value] of Object.entries(fields)) {
      Object.defineProperty(this, key, {
        value: typeof value === 'string' ? oneLine(value) : value,
        enumerable: true,
      });
    }
  }

  /** How `util.inspect`, hence Nest's `ConsoleLogger`, prints it. */
  [inspect.custom](): string {
    return this.toString();
  }

  toString(): string {
    const fields = Object.entries(this)
      .filter(([key, value]) => key !== 'msg' && value !== undefined)
      .map(([key, value]) => `${key}=${String(value)}`);
    return fields.length > 0 ? `${this.msg} (${fields.join(', ')})` : this.msg;
  }
}
