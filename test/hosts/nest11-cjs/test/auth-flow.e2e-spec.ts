import { AppModule } from '../src/app.module.js';
import { type HttpAdapterName, type RunningHost, startHost } from './support/host-app.js';
import { hostChecks } from './support/host-checks.js';

// test/support/ is test/hosts/shared/, copied in by test/hosts/run.sh: every host runs the same checks.
describe.each<HttpAdapterName>(['express', 'fastify'])(
  'nest-session-auth in a Nest 11 CommonJS app on %s',
  (adapter) => {
    let host: RunningHost | undefined;
    const url = () => host?.url ?? 'http://app-did-not-start.invalid';

    beforeAll(async () => {
      host = await startHost(AppModule, adapter);
    });
    afterAll(async () => {
      await host?.stop();
    });

    for (const check of hostChecks()) {
      it(check.name, () => check.run(url()));
    }
  },
);
