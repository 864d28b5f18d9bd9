/**
 * Per-test results: their persistence (one row per project and node id, first result of the current
 * attempt wins), and the summaries computed from them: percentages, grades, module breakdowns, JUnit XML.
 */
package io.cdnodes.coordinator.results;
