import { startTestApp, type TestApp } from './support/test-app';

interface OpenApiOperation {
  security?: Record<string, string[]>[];
  requestBody?: { content?: Record<string, { schema?: SchemaOrRef }> };
}
interface SchemaOrRef {
  $ref?: string;
  type?: string;
  properties?: Record<string, unknown>;
  required?: string[];
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: {
    securitySchemes?: Record<string, { type: string; scheme?: string; bearerFormat?: string }>;
    schemas?: Record<string, SchemaOrRef>;
  };
}

const AUTH_ROUTES: [string, string][] = [
  ['post', '/auth/register'],
  ['post', '/auth/login'],
  ['post', '/auth/refresh'],
  ['post', '/auth/logout'],
  ['get', '/auth/me'],
  ['get', '/auth/sessions'],
  ['delete', '/auth/sessions/{id}'],
  ['post', '/auth/password'],
];
const EXAMPLE_ROUTES: [string, string][] = [
  ['get', '/public'],
  ['get', '/protected'],
  ['get', '/admin'],
];

describe('operations', () => {
  let app: TestApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    app = await startTestApp();
    document = (await app.http().get('/docs-json').expect(200)).body as OpenApiDocument;
  });
  afterAll(() => app.close());

  /** The schema of an operation's JSON request body, with a `$ref` followed. */
  function requestSchema(method: string, path: string): SchemaOrRef | undefined {
    const schema =
      document.paths[path]?.[method]?.requestBody?.content?.['application/json']?.schema;
    if (schema?.$ref === undefined) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    return document.components?.schemas?.[name];
  }

  function bearerSchemeNames(): string[] {
    return Object.entries(document.components?.securitySchemes ?? {})
      .filter(([, scheme]) => scheme.type === 'http' && scheme.scheme?.toLowerCase() === 'bearer')
      .map(([name]) => name);
  }

  describe('GET /health', () => {
    it('answers 200 with the database up', async () => {
      const response = await app.http().get('/health').expect(200);

      expect(response.body).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' } },
      });
    });

    it('needs no token', async () => {
      const response = await app.http().get('/health');

      expect(response.status).toBe(200);
      expect(response.headers['www-authenticate']).toBeUndefined();
    });
  });

  describe('GET /docs', () => {
    it('serves the OpenAPI UI as HTML', async () => {
      const response = await app.http().get('/docs').redirects(2).expect(200);

      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toMatch(/<html/i);
      expect(response.text.toLowerCase()).toContain('swagger');
    });
  });

  describe('GET /docs-json', () => {
    it('serves an OpenAPI 3 document as JSON', async () => {
      const response = await app.http().get('/docs-json').expect(200);

      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body.openapi).toMatch(/^3\./);
      expect(typeof response.body.paths).toBe('object');
    });

    it('declares a bearer security scheme', () => {
      expect(bearerSchemeNames()).not.toHaveLength(0);
    });

    it.each([...AUTH_ROUTES, ...EXAMPLE_ROUTES])('documents %s %s', (method, path) => {
      expect(document.paths[path]).toBeDefined();
      expect(document.paths[path][method]).toBeDefined();
    });

    it('documents GET /health', () => {
      expect(document.paths['/health']?.get).toBeDefined();
    });

    it.each([
      ['post', '/auth/logout'],
      ['get', '/auth/me'],
      ['get', '/auth/sessions'],
      ['delete', '/auth/sessions/{id}'],
      ['post', '/auth/password'],
      ['get', '/protected'],
      ['get', '/admin'],
    ])('marks %s %s as needing the bearer token', (method, path) => {
      const requirements = document.paths[path][method].security ?? [];
      const schemes = requirements.flatMap((requirement) => Object.keys(requirement));

      expect(schemes.filter((scheme) => bearerSchemeNames().includes(scheme))).not.toHaveLength(0);
    });

    it.each([
      ['/auth/register', ['email', 'password'], []],
      // A remembered device's token (CONTRACT 4.15), optional.
      ['/auth/login', ['email', 'password'], ['deviceToken']],
      ['/auth/password', ['currentPassword', 'newPassword'], []],
    ])(
      'documents the request body of POST %s with its required fields',
      (path, fields, optional) => {
        const schema = requestSchema('post', path);

        expect(schema).toBeDefined();
        expect(Object.keys(schema?.properties ?? {}).sort()).toEqual(
          [...fields, ...optional].sort(),
        );
        expect([...(schema?.required ?? [])].sort()).toEqual([...fields].sort());
      },
    );

    it('documents the optional refreshToken body of POST /auth/refresh', () => {
      const schema = requestSchema('post', '/auth/refresh');

      expect(Object.keys(schema?.properties ?? {})).toEqual(['refreshToken']);
      expect(schema?.required ?? []).not.toContain('refreshToken');
    });
  });

  describe('security headers', () => {
    it('sends helmet headers on a normal response', async () => {
      const response = await app.http().get('/public').expect(200);

      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBeDefined();
      expect(response.headers['content-security-policy']).toBeDefined();
    });

    it.each([
      ['a 404', () => app.http().get('/no-such-route')],
      ['a 401', () => app.http().get('/protected')],
      ['a 400 from validation', () => app.http().post('/auth/register').send({})],
      [
        'a 400 from the body parser',
        () => app.http().post('/auth/login').set('Content-Type', 'application/json').send('{'),
      ],
    ])('sends helmet headers on an error response (%s)', async (_case, send) => {
      const response = await send();

      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    });

    it.each(['/public', '/health', '/no-such-route'])(
      'sends no Strict-Transport-Security over plain HTTP (%s)',
      async (path) => {
        const response = await app.http().get(path);

        expect(response.headers['strict-transport-security']).toBeUndefined();
      },
    );
  });

  describe('unknown routes', () => {
    it('answers 404 in Nest error shape, as JSON', async () => {
      const response = await app.http().get('/no-such-route').expect(404);

      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual({
        statusCode: 404,
        message: expect.any(String),
        error: 'Not Found',
        code: 'NOT_FOUND',
      });
    });

    it('answers 404, not 401, for an unknown route under /auth', async () => {
      const response = await app.http().post('/auth/no-such-route').send({}).expect(404);

      expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });
  });
});
