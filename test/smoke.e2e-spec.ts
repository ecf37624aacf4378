import { bearer, registerAndLogin, startTestApp, type TestApp } from './support/test-app';

describe('smoke', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('lets a registered user reach a protected route', async () => {
    const user = await registerAndLogin(app);
    const response = await app
      .http()
      .get('/protected')
      .set(...bearer(user.accessToken))
      .expect(200);
    expect(response.body.user.email).toBe(user.email);
  });
});
