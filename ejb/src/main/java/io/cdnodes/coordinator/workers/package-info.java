/**
 * What {@code /network/nodes} shows of the connected workers ({@link io.cdnodes.coordinator.workers.ConnectedWorkers}:
 * written by the dispatcher, read without its lock). The workers the scheduler hands work to are the scheduling
 * core's worker pool.
 */
package io.cdnodes.coordinator.workers;
