import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphqlRefusalCode } from '../../contexts/graphql-refusal';
import { httpErrorAnswer } from '../../http/errors/to-http-exception';
import { PASSKEY_ERRORS } from './passkeys.errors';

describe("the passkeys feature's error codes", () => {
  it('are answered on every face and listed in docs/errors.md with the same status and GraphQL code', () => {
    const docs = readFileSync(join(__dirname, '../../../../docs/errors.md'), 'utf8');
    for (const code of Object.values(PASSKEY_ERRORS)) {
      const row = docs
        .split('\n')
        .map((line) => line.split('|').map((cell) => cell.trim()))
        .find((cells) => cells[1] === `\`${code}\``);
      expect({ code, row }).toEqual({
        code,
        row: expect.arrayContaining([
          String(httpErrorAnswer(code)?.status),
          `\`${graphqlRefusalCode(code)}\``,
        ]),
      });
    }
  });
});
