/**
 * The read side: what an evaluation shows (progress, outcome counts, percentages, grades, its tests, its JUnit
 * XML), built from evaluations, their results and their pending tasks, as view records. Nothing here writes, and
 * no entity leaves through it.
 */
package io.cdnodes.coordinator.report;
