package io.cdnodes.coordinator.scheduling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the scheduler's memory looked like before the event being decided, so that a transaction that rolls back
 * leaves it as it was. Every piece of state calls {@link #keep} before it first changes in an event: the first
 * call per object records how to put it back, later ones cost a look-up. {@link #commit()} forgets the records,
 * {@link #rollback()} restores them. What was kept is also what changed: {@link #kept()} tells the scheduler which
 * tasks, projects and evaluations to persist. Not thread-safe: owned by the {@link Scheduler}.
 */
final class Journal {

    private final Map<Object, Runnable> restores = new IdentityHashMap<>();
    private final List<Object> order = new ArrayList<>();

    /** Before {@code owner} first changes in this event: {@code restore} puts it back as it is now. */
    void keep(Object owner, Runnable restore) {
        if (!restores.containsKey(owner)) {
            restores.put(owner, restore);
            order.add(owner);
        }
    }

    /** Whether {@code owner} was kept already in this event (then keeping it again costs nothing). */
    boolean has(Object owner) {
        return restores.containsKey(owner);
    }

    /** Before a map first changes in this event (its order is kept too). */
    <K, V> void keep(Map<K, V> map) {
        if (!restores.containsKey(map)) {
            Map<K, V> copy = new LinkedHashMap<>(map);
            keep(map, () -> {
                map.clear();
                map.putAll(copy);
            });
        }
    }

    /** Before a set or list first changes in this event (its order is kept too). */
    <E> void keep(Collection<E> collection) {
        if (!restores.containsKey(collection)) {
            Collection<E> copy = collection instanceof Set ? new LinkedHashSet<>(collection) : new ArrayList<>(collection);
            keep(collection, () -> {
                collection.clear();
                collection.addAll(copy);
            });
        }
    }

    /** The objects kept since the last commit or rollback, in the order they were first kept. */
    List<Object> kept() {
        return order;
    }

    /** The event's changes are persisted: nothing to restore any more. */
    void commit() {
        restores.clear();
        order.clear();
    }

    /** The event's changes were not persisted: memory goes back to what it was before the event. */
    void rollback() {
        for (int i = order.size() - 1; i >= 0; i--) {
            restores.get(order.get(i)).run();
        }
        commit();
    }
}
