import { OutageWarning } from './outage-warning';

describe('OutageWarning', () => {
  function logger() {
    return { warn: jest.fn(), log: jest.fn() };
  }

  it('warns once for a run of failures, with the first reason', () => {
    const log = logger();
    const outage = new OutageWarning(log, 'Rate limits not counted');

    outage.failed(new Error('connection refused'));
    outage.failed(new Error('connection refused'));
    outage.failed('again');

    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledWith(
      'Rate limits not counted until it works again: connection refused',
    );
  });

  it('says once that it works again, and warns anew at the next outage', () => {
    const log = logger();
    const outage = new OutageWarning(log, 'Counters unavailable');

    outage.succeeded();
    expect(log.log).not.toHaveBeenCalled();
    outage.failed(new Error('down'));
    outage.succeeded();
    outage.succeeded();
    outage.failed(new Error('down again'));

    expect(log.log).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledTimes(2);
    expect(log.warn).toHaveBeenLastCalledWith(
      'Counters unavailable until it works again: down again',
    );
  });
});
