/**
 * Retention ({@code CDNODES_RETENTION_DAYS}, off by default): finished evaluations older than the setting are
 * deleted with their projects, tasks, results, result files and the packages no remaining project uses. What is
 * deleted is decided by {@link io.cdnodes.coordinator.retention.RetentionPolicy} (plain, with a clock); a
 * non-persistent timer applies it.
 */
package io.cdnodes.coordinator.retention;
