/**
 * Per-test results: their persistence (one row per project and node id, first result of the current attempt
 * wins), their counts ({@link io.cdnodes.coordinator.results.Tally}), their JUnit XML, and the result files
 * written when an evaluation ends.
 */
package io.cdnodes.coordinator.results;
