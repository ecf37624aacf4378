import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

const SECRET = 'production-access-secret-0123456789abcd';
const REFRESH_SECRET = 'production-refresh-secret-0123456789abc';
/** 32 characters as `openssl rand -base64 24` makes them. */
const RANDOM_32 = 'q3Vx9Lk2Zp7Rw1Ty8Nb4Hc6Mf0Gd5Js+';
const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: SECRET,
  JWT_REFRESH_SECRET: REFRESH_SECRET,
  SMTP_URL: 'smtp://mail.example.com:587',
  MFA_ENCRYPTION_KEY: 'production-mfa-encryption-key-0123456789',
};

/** The ConfigError that `loadConfig(env)` throws; fails the test when it throws nothing or something else. */
function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

/** One line per problem, and one of them names `variable`. */
function expectRefusedNaming(env: Record<string, string>, variable: string): ConfigError {
  const error = configErrorOf(env);
  expect(error.message).toContain(variable);
  expect(error.problems.some((problem) => problem.includes(variable))).toBe(true);
  for (const problem of error.problems) expect(problem).not.toContain('\n');
  return error;
}

describe('loadConfig', () => {
  describe('development defaults', () => {
    it('starts with no environment at all: the documented defaults', () => {
      const { config } = loadConfig({});

      expect(config).toMatchObject({
        nodeEnv: 'development',
        port: 3000,
        host: '127.0.0.1',
        httpAdapter: 'express',
        databaseUrl: 'sqlite:data/auth.sqlite',
        databaseTimeout: 3,
        sessionMaxAge: 2_592_000,
        refreshReuseGrace: 10,
        sessionsPerUser: 100,
        bcryptRounds: 12,
        refreshTransport: 'body',
        cookieSecure: false,
        throttle: { authLimit: 10, authTtl: 60 },
        corsOrigins: [],
        trustProxy: false,
      });
      expect(config.jwt).toMatchObject({
        algorithm: 'HS256',
        expiration: 900,
        refreshExpiration: 604_800,
        issuer: 'nest-auth',
        audience: 'nest-auth',
      });
      expect(config.redisUrl).toBeUndefined();
      expect(config.tls).toBeUndefined();
      expect(config.admin).toBeUndefined();
    });

    it('makes up two different random secrets of at least 32 characters, new on every start', () => {
      const first = loadConfig({}).config.jwt;
      const second = loadConfig({}).config.jwt;

      expect(first.secret.length).toBeGreaterThanOrEqual(32);
      expect(first.refreshSecret.length).toBeGreaterThanOrEqual(32);
      expect(first.secret).not.toBe(first.refreshSecret);
      expect(second.secret).not.toBe(first.secret);
      expect(second.refreshSecret).not.toBe(first.refreshSecret);
    });

    it('warns loudly about each made-up secret, saying tokens will not survive a restart', () => {
      const { warnings } = loadConfig({});

      expect(warnings).toHaveLength(2);
      expect(warnings.find((w) => w.startsWith('JWT_SECRET'))).toMatch(/not survive a restart/);
      expect(warnings.find((w) => w.startsWith('JWT_REFRESH_SECRET'))).toMatch(
        /not survive a restart/,
      );
    });

    it('gives no warning when both secrets are set properly', () => {
      const { config, warnings } = loadConfig({
        JWT_SECRET: SECRET,
        JWT_REFRESH_SECRET: REFRESH_SECRET,
      });

      expect(warnings).toEqual([]);
      expect(config.jwt.secret).toBe(SECRET);
      expect(config.jwt.refreshSecret).toBe(REFRESH_SECRET);
    });

    it('accepts BCRYPT_ROUNDS=4 outside production', () => {
      expect(loadConfig({ BCRYPT_ROUNDS: '4' }).config.bcryptRounds).toBe(4);
    });
  });

  describe('validation of every variable', () => {
    it('refuses JWT_EXPIRATION=abc, naming JWT_EXPIRATION', () => {
      expectRefusedNaming({ JWT_EXPIRATION: 'abc' }, 'JWT_EXPIRATION');
    });

    it.each([
      ['JWT_EXPIRATION', '0'],
      ['JWT_EXPIRATION', '-5'],
      ['JWT_EXPIRATION', '1.5'],
      ['JWT_REFRESH_EXPIRATION', 'week'],
      ['SESSION_MAX_AGE', 'forever'],
      ['REFRESH_REUSE_GRACE', '-1'],
      ['PORT', '70000'],
      ['BCRYPT_ROUNDS', 'twelve'],
      ['NODE_ENV', 'staging'],
      ['COOKIE_SECURE', 'maybe'],
      ['THROTTLE_AUTH_LIMIT', '-1'],
      ['THROTTLE_AUTH_TTL', '0'],
    ])('refuses %s=%s, naming the variable', (variable, value) => {
      expectRefusedNaming({ [variable]: value }, variable);
    });

    it('reads THROTTLE_AUTH_LIMIT=0 as "no per-client limit"', () => {
      expect(loadConfig({ THROTTLE_AUTH_LIMIT: '0' }).config.throttle.authLimit).toBe(0);
    });

    it('refuses DATABASE_URL=mysql://x, naming DATABASE_URL', () => {
      expectRefusedNaming({ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL');
    });

    it.each(['sqlite:data/other.sqlite', 'sqlite::memory:', 'postgres://user:pass@db:5432/auth'])(
      'accepts DATABASE_URL=%s',
      (url) => {
        expect(loadConfig({ DATABASE_URL: url }).config.databaseUrl).toBe(url);
      },
    );

    it.each(['0', '61', '1.5'])('refuses DATABASE_TIMEOUT=%s, naming DATABASE_TIMEOUT', (value) => {
      expectRefusedNaming({ DATABASE_TIMEOUT: value }, 'DATABASE_TIMEOUT');
    });

    it('reads DATABASE_TIMEOUT in seconds', () => {
      expect(loadConfig({ DATABASE_TIMEOUT: '10' }).config.databaseTimeout).toBe(10);
    });

    it('reports several bad variables together, one line each', () => {
      const error = configErrorOf({
        JWT_EXPIRATION: 'abc',
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        BCRYPT_ROUNDS: '99',
      });

      expect(error.problems).toHaveLength(4);
      for (const variable of ['JWT_EXPIRATION', 'PORT', 'DATABASE_URL', 'BCRYPT_ROUNDS']) {
        expect(error.message).toContain(variable);
        expect(error.problems.filter((problem) => problem.includes(variable))).toHaveLength(1);
      }
    });
  });

  describe('production', () => {
    it('starts with two proper secrets and no warning, with production defaults', () => {
      const { config, warnings } = loadConfig(PRODUCTION);

      expect(warnings).toEqual([]);
      expect(config).toMatchObject({
        nodeEnv: 'production',
        host: '0.0.0.0',
        cookieSecure: true,
        bcryptRounds: 12,
      });
    });

    it.each(['JWT_SECRET', 'JWT_REFRESH_SECRET'])('refuses to start without %s', (variable) => {
      const env: Record<string, string> = { ...PRODUCTION };
      delete env[variable];

      expectRefusedNaming(env, variable);
    });

    it.each(['JWT_SECRET', 'JWT_REFRESH_SECRET'])(
      'refuses %s shorter than 32 characters, and accepts 32',
      (variable) => {
        expectRefusedNaming({ ...PRODUCTION, [variable]: RANDOM_32.slice(0, 31) }, variable);
        expect(() => loadConfig({ ...PRODUCTION, [variable]: RANDOM_32 })).not.toThrow();
      },
    );

    it.each([
      ['JWT_SECRET', 'x'.repeat(32), 'has too little entropy'],
      ['JWT_REFRESH_SECRET', 'x'.repeat(64), 'has too little entropy'],
      ['JWT_SECRET', 'changeme-changeme-changeme-changeme', 'is one short block repeated'],
    ])('refuses %s=%s (little entropy), in one line naming it', (variable, secret, reason) => {
      const error = expectRefusedNaming({ ...PRODUCTION, [variable]: secret }, variable);
      expect(error.problems).toContainEqual(expect.stringMatching(`^${variable} ${reason}`));
      expect(error.message).not.toContain(secret);
    });

    it('accepts a weak secret outside production, with a warning naming it', () => {
      const { warnings } = loadConfig({
        JWT_SECRET: 'x'.repeat(32),
        JWT_REFRESH_SECRET: REFRESH_SECRET,
      });
      expect(warnings).toEqual([
        expect.stringMatching(
          /^JWT_SECRET has too little entropy .*accepted outside production only$/,
        ),
      ]);
    });

    it.each(['cookie', 'both'])(
      'warns once, naming COOKIE_SECURE, for COOKIE_SECURE=false with AUTH_REFRESH_TRANSPORT=%s',
      (transport) => {
        const { config, warnings } = loadConfig({
          ...PRODUCTION,
          AUTH_REFRESH_TRANSPORT: transport,
          COOKIE_SECURE: 'false',
        });
        expect(config.cookieSecure).toBe(false);
        expect(warnings).toEqual([expect.stringMatching(/^COOKIE_SECURE=false in production/)]);
      },
    );

    it('says nothing of COOKIE_SECURE=false with the body transport (no cookie), nor outside production', () => {
      expect(loadConfig({ ...PRODUCTION, COOKIE_SECURE: 'false' }).warnings).toEqual([]);
      expect(
        loadConfig({
          ...PRODUCTION,
          NODE_ENV: 'development',
          AUTH_REFRESH_TRANSPORT: 'cookie',
          COOKIE_SECURE: 'false',
        }).warnings,
      ).toEqual([]);
    });

    it.each([
      ['password', 'is one of the most commonly used passwords'],
      ['Password1', 'is one of the most commonly used passwords'],
      ['short', 'must be at least 8 characters long'],
    ])('refuses ADMIN_PASSWORD=%s, in one line naming it', (password, reason) => {
      const error = expectRefusedNaming(
        { ...PRODUCTION, ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: password },
        'ADMIN_PASSWORD',
      );
      expect(error.problems).toContainEqual(expect.stringContaining(`ADMIN_PASSWORD ${reason}`));
    });

    it('refuses equal secrets, naming both variables', () => {
      const error = expectRefusedNaming(
        { ...PRODUCTION, JWT_REFRESH_SECRET: SECRET },
        'JWT_SECRET',
      );

      expect(error.message).toContain('JWT_REFRESH_SECRET');
    });

    it('refuses BCRYPT_ROUNDS=8, naming BCRYPT_ROUNDS, and accepts 10', () => {
      expectRefusedNaming({ ...PRODUCTION, BCRYPT_ROUNDS: '8' }, 'BCRYPT_ROUNDS');
      expect(loadConfig({ ...PRODUCTION, BCRYPT_ROUNDS: '10' }).config.bcryptRounds).toBe(10);
    });

    it('never puts a secret into the error message', () => {
      const error = configErrorOf({ ...PRODUCTION, JWT_REFRESH_SECRET: SECRET });

      expect(error.message).not.toContain(SECRET);
    });
  });

  describe('TRUST_PROXY', () => {
    it.each([
      ['true', true],
      ['false', false],
      ['2', 2],
      ['loopback', 'loopback'],
      ['10.0.0.0/8, 192.168.1.1', '10.0.0.0/8, 192.168.1.1'],
      ['::1/128,loopback', '::1/128,loopback'],
    ])('accepts %s', (value, expected) => {
      expect(loadConfig({ TRUST_PROXY: value }).config.trustProxy).toEqual(expected);
    });

    it.each(['face', 'yes', '10.0.0.0/8/1', '300.1.1.1'])(
      'refuses %s, naming the variable',
      (value) => {
        expectRefusedNaming({ TRUST_PROXY: value }, 'TRUST_PROXY');
      },
    );
  });

  describe('mail', () => {
    it.each([
      [{ PORT: '4000' }, 'http://localhost:4000'],
      [{ PORT: '0' }, 'http://localhost:3000'],
      [{ PORT: '4000', APP_URL: 'https://app.example.com/' }, 'https://app.example.com'],
    ])('links to this server at its PORT unless APP_URL says otherwise: %j', (env, appUrl) => {
      expect(loadConfig(env).config.mail.appUrl).toBe(appUrl);
    });

    it('defaults to .eml files in data/outbox, optional verification and the contract lifetimes', () => {
      expect(loadConfig({}).config.mail).toMatchObject({
        appUrl: 'http://localhost:3000',
        smtpUrl: undefined,
        from: 'nest-auth <no-reply@localhost>',
        outboxDir: 'data/outbox',
        verification: 'optional',
        emailTokenTtl: 86_400,
        passwordResetTtl: 1800,
      });
    });

    it('refuses a production start without SMTP_URL, in one line naming it', () => {
      const withoutSmtp: Record<string, string> = { ...PRODUCTION };
      delete withoutSmtp.SMTP_URL;
      const error = expectRefusedNaming(withoutSmtp, 'SMTP_URL');
      expect(error.problems).toEqual([
        'SMTP_URL is required in production: without it mail is only written to files',
      ]);
    });

    it.each([
      ['SMTP_URL', 'http://mail.example.com'],
      ['APP_URL', 'app.example.com'],
      ['EMAIL_VERIFICATION', 'sometimes'],
      ['EMAIL_TOKEN_TTL', 'abc'],
      ['PASSWORD_RESET_TTL', '0'],
      ['MAIL_POLL_INTERVAL', '-1'],
    ])('refuses %s=%s', (name, value) => {
      expectRefusedNaming({ [name]: value }, name);
    });

    it('never echoes SMTP_URL, which may hold a password', () => {
      const error = configErrorOf({ SMTP_URL: 'http://user:s3cret@mail.example.com' });
      expect(error.message).not.toContain('s3cret');
    });
  });

  describe('second factor', () => {
    it('has the contract defaults: optional, no required role outside production, admin in production', () => {
      expect(loadConfig({}).config.mfa).toEqual({
        mode: 'optional',
        requiredRoles: [],
        rememberDevice: 2_592_000,
        stepUpMaxAge: 300,
        encryptionKey: undefined,
      });
      expect(loadConfig(PRODUCTION).config.mfa.requiredRoles).toEqual(['admin']);
      expect(
        loadConfig({ ...PRODUCTION, MFA_REQUIRED_ROLES: '' }).config.mfa.requiredRoles,
      ).toEqual(['admin']);
      expect(loadConfig({ MFA_REQUIRED_ROLES: 'admin, auditor' }).config.mfa.requiredRoles).toEqual(
        ['admin', 'auditor'],
      );
    });

    it('refuses a production start without MFA_ENCRYPTION_KEY while MFA is on, in one line naming it', () => {
      const withoutKey: Record<string, string> = { ...PRODUCTION };
      delete withoutKey.MFA_ENCRYPTION_KEY;
      const error = expectRefusedNaming(withoutKey, 'MFA_ENCRYPTION_KEY');
      expect(error.problems).toHaveLength(1);
      expect(loadConfig({ ...withoutKey, MFA: 'off' }).config.mfa.mode).toBe('off');
    });

    it.each([
      ['MFA', 'sometimes'],
      ['MFA_REMEMBER_DEVICE', 'abc'],
      ['STEP_UP_MAX_AGE', '0'],
      ['STEP_UP_MAX_AGE', '86401'],
      ['MFA_ENCRYPTION_KEY', 'short'],
    ])('refuses %s=%s', (name, value) => {
      expectRefusedNaming({ [name]: value }, name);
    });

    it('never echoes MFA_ENCRYPTION_KEY', () => {
      expect(configErrorOf({ MFA_ENCRYPTION_KEY: 'tooshort-s3cret' }).message).not.toContain(
        's3cret',
      );
    });
  });

  describe('passkeys (WEBAUTHN_*)', () => {
    it('derives the relying party from APP_URL: its host and its origin', () => {
      const { config } = loadConfig({ APP_URL: 'https://app.example.com/base' });
      expect(config.passkeys).toEqual({
        rpId: 'app.example.com',
        rpName: 'nest-auth',
        origins: ['https://app.example.com'],
      });
    });

    it('refuses an RP ID that is not a registrable suffix of every origin, in one line naming it', () => {
      const error = expectRefusedNaming(
        { WEBAUTHN_RP_ID: 'example.org', WEBAUTHN_ORIGINS: 'https://app.example.com' },
        'WEBAUTHN_RP_ID',
      );
      expect(error.problems).toEqual([
        'WEBAUTHN_RP_ID example.org is not a registrable suffix of the host of origin https://app.example.com: use app.example.com or a parent domain of it',
      ]);
      // Not checked when the feature is left out.
      expect(() =>
        loadConfig({ WEBAUTHN_RP_ID: 'example.org', AUTH_FEATURES: 'mfa' }),
      ).not.toThrow();
    });
  });
});
