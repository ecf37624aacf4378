import { relyingPartyProblems } from './relying-party';

describe('relyingPartyProblems (WebAuthn RP ID against the origins)', () => {
  it('accepts an RP ID equal to or a parent domain of every origin host', () => {
    expect(relyingPartyProblems('example.com', ['https://example.com'])).toEqual([]);
    expect(
      relyingPartyProblems('example.com', [
        'https://app.example.com',
        'https://id.example.com:8443',
      ]),
    ).toEqual([]);
    expect(relyingPartyProblems('localhost', ['http://localhost:3000'])).toEqual([]);
  });

  it('refuses an RP ID that is not a suffix of an origin host, naming it', () => {
    expect(relyingPartyProblems('example.com', ['https://example.org'])).toEqual([
      'rpId example.com is not a registrable suffix of the host of origin https://example.org: use example.org or a parent domain of it',
    ]);
    // A suffix of the string, not of the labels.
    expect(relyingPartyProblems('ample.com', ['https://example.com'])).toHaveLength(1);
    // A public suffix is no relying party.
    expect(relyingPartyProblems('com', ['https://example.com'])).toHaveLength(1);
  });

  it('refuses IP addresses, other schemes, paths and no origin at all', () => {
    expect(relyingPartyProblems('127.0.0.1', ['http://127.0.0.1:3000'])[0]).toMatch(/not an IP/);
    expect(relyingPartyProblems('example.com', ['ftp://example.com'])[0]).toMatch(/not an origin/);
    expect(relyingPartyProblems('example.com', ['https://example.com/app'])[0]).toMatch(
      /not an origin/,
    );
    expect(relyingPartyProblems('example.com', [])).toEqual([
      'origins must list at least one origin',
    ]);
    expect(relyingPartyProblems('Example.com', ['https://example.com'])[0]).toMatch(/lower-case/);
  });
});
