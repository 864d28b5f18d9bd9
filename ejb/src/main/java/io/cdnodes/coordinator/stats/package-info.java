/**
 * {@code /stats}, {@code /network} and {@code /network/nodes}: totals since the first start (from the database),
 * per-worker figures for the workers connected now, who talks to whom (from the resource adapter's live
 * connections), and what each connected worker is (name, slots, versions, whether it sandboxes, heartbeats).
 */
package io.cdnodes.coordinator.stats;
