/**
 * The scheduling core, in plain Java: the {@link io.cdnodes.coordinator.scheduling.Scheduler} owns the live work
 * (unfinished evaluations, their projects and tasks, the connected workers), takes events with the current time and
 * returns {@link io.cdnodes.coordinator.scheduling.Decisions} as values. Reads go through
 * {@link io.cdnodes.coordinator.scheduling.SchedulingStore}; nothing here touches JPA, EJB or the connector. A
 * {@link io.cdnodes.coordinator.scheduling.Journal} puts memory back when an event's transaction rolls back. The
 * policy is split by responsibility: hand-out, tail twins, reports (and reruns of failed tests), planning,
 * finishing, worker losses, projects planned blind, with the plain planners and rules they use.
 */
package io.cdnodes.coordinator.scheduling;
