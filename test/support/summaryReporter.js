// Mocha's spec reporter plus one closing line, `N passed, N failed` (`, N skipped` when tests
// were skipped), so `npm test` and .ci/run end with the counts a CI reader looks for.
'use strict';

const Mocha = require('mocha');

const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    // Registered after Spec's own epilogue, so this line comes last.
    runner.once(EVENT_RUN_END, () => {
      const { passes = 0, failures = 0, pending = 0 } = this.stats;
      process.stdout.write(`${passes} passed, ${failures} failed${pending > 0 ? `, ${pending} skipped` : ''}\n`);
    });
  }
}

module.exports = SummaryReporter;
