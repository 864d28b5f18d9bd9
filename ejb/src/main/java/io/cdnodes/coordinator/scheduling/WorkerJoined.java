package io.cdnodes.coordinator.scheduling;

import java.util.List;

/**
 * A worker connected and said who it is.
 *
 * @param connectionId   its connection
 * @param name           its name (several connections may share one: the newest counts)
 * @param remoteAddress  where it connected from
 * @param localAddress   where it connected to
 * @param slots          how many pytest processes it runs at once
 * @param cachedPackages the packages it already holds
 */
public record WorkerJoined(String connectionId, String name, String remoteAddress, String localAddress, int slots,
                           List<String> cachedPackages) {
    public WorkerJoined {
        cachedPackages = List.copyOf(cachedPackages);
    }
}
