/**
 * The adapter around the scheduling core: the {@link io.cdnodes.coordinator.dispatch.Dispatcher} (singleton, its
 * lock, one bean-managed transaction per event) turns worker frames, timers and intake into the core's events,
 * persists its decisions ({@link io.cdnodes.coordinator.dispatch.DecisionWriter}), reads for it with JPA
 * ({@link io.cdnodes.coordinator.dispatch.JpaSchedulingStore}), and after each commit sends what was decided
 * ({@link io.cdnodes.coordinator.dispatch.Outbox}); the MDB and the liveness timer that feed it; and the views of
 * who backs up whom.
 */
package io.cdnodes.coordinator.dispatch;
