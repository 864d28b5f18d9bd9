/**
 * {@code /stats} and {@code /network}: totals since the first start (from the database), per-worker figures
 * for the workers connected now, and who talks to whom (from the resource adapter's live connections).
 */
package io.cdnodes.coordinator.stats;
