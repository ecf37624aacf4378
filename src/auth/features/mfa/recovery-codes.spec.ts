import { newRecoveryCodes, normalizeRecoveryCode, RECOVERY_CODE_COUNT } from './recovery-codes';

describe('recovery codes', () => {
  it('are ten distinct codes of four groups of four', () => {
    const codes = newRecoveryCodes();

    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  });

  it('are read whatever the case, spaces and dashes the user typed', () => {
    expect(normalizeRecoveryCode(' ABCD efgh-JKMN-pqrs ')).toBe('abcd-efgh-jkmn-pqrs');
    expect(normalizeRecoveryCode('abcdefghjkmnpqrs')).toBe('abcd-efgh-jkmn-pqrs');
    expect(normalizeRecoveryCode('short')).toBe('short');
  });
});
