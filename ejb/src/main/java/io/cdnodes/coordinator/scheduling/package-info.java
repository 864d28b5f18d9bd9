/**
 * Scheduling: the persistent units of work ({@link io.cdnodes.coordinator.scheduling.Task}), the plain
 * classes that decide how collected tests become tasks and which worker gets what, and the
 * {@link io.cdnodes.coordinator.scheduling.Dispatcher} that applies those decisions to the database and the
 * workers.
 */
package io.cdnodes.coordinator.scheduling;
