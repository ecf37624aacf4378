import { inspect } from 'node:util';
import { errorMessage, LogLine } from './log-line';

describe('LogLine', () => {
  it('inspects as one line, message then fields, skipping undefined ones', () => {
    const line = new LogLine('Session revoked', { sessionId: 's-1', ip: undefined, count: 2 });

    expect(inspect(line)).toBe('Session revoked (sessionId=s-1, count=2)');
  });

  it('hands pino the message and the fields as plain keys', () => {
    const line = new LogLine('Session revoked', { sessionId: 's-1' });

    expect({ ...line }).toEqual({ msg: 'Session revoked', sessionId: 's-1' });
  });

  it('puts multi-line text on one line', () => {
    const line = new LogLine('Failed\n  badly', { reason: 'first\r\nsecond' });

    expect(inspect(line)).toBe('Failed badly (reason=first second)');
    expect(errorMessage(new Error('connect ECONNREFUSED\n    at TCP'))).toBe(
      'connect ECONNREFUSED at TCP',
    );
  });
});
