/**
 * The workers connected now: their capacity, packages, running work and last sign of life
 * ({@link io.cdnodes.coordinator.workers.WorkerPool}, a plain class), the MDB that receives their events from
 * the resource adapter, and the timer that declares silent workers gone.
 */
package io.cdnodes.coordinator.workers;
