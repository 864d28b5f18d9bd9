package io.cdnodes.coordinator.dispatch;

/**
 * A CDI event the {@link DispatchTrigger} fires on the managed executor and the {@link Dispatcher} observes: a
 * dispatch round, or recording the results received since the last flush. An event rather than an injection, so
 * that the trigger and the dispatcher do not depend on each other.
 */
public enum Round { DISPATCH, FLUSH }
