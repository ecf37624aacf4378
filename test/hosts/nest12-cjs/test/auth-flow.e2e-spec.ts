import { ManualClock } from 'nest-session-auth/testing';
import { AppModule } from '../src/app.module.js';
import { type HttpAdapterName, type RunningHost, startHost } from './support/host-app.js';
import { hostChecks } from './support/host-checks.js';

// test/support/ is test/hosts/shared/, copied in by test/hosts/run.sh: every host runs the same checks.
describe.each<HttpAdapterName>(['express', 'fastify'])(
  'nest-session-auth in a Nest 12 CommonJS app on %s',
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

describe('nest-session-auth/testing, from the installed tarball', () => {
  it('resolves and gives a ManualClock that moves only when told', () => {
    const clock = new ManualClock(1_000);
    clock.advance(500);
    clock.advanceSeconds(2);

    expect(clock.now()).toBe(3_500);
  });
});
