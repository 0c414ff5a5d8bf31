/** meshform/testing: assertions on where requests go, for a team's own tests of its mesh. */
export { traceMatchers, type MatcherResult, type ReachExpectation, type TraceMatchers } from './trace-matchers.js';
