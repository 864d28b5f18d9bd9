package io.cdnodes.web.stats;

import io.cdnodes.coordinator.stats.NodeView;
import io.cdnodes.coordinator.stats.StatsService;
import io.cdnodes.coordinator.stats.StatsView;
import jakarta.ejb.EJB;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** Totals, the current network, and the workers connected now. */
@Path("/")
public class StatsResource {

    @EJB
    private StatsService stats;

    @GET
    @Path("stats")
    @Produces(MediaType.APPLICATION_JSON)
    public StatsView stats() {
        return stats.stats();
    }

    @GET
    @Path("network")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, List<String>> network() {
        return stats.network();
    }

    /**
     * The workers connected now: address, name, slots, whether they sandbox their runs, Python and pytest versions,
     * connected since, last heartbeat, state (idle, busy, draining) and assignments held; with {@code recent=true}
     * also those gone in the last ten minutes (state {@code gone}, with when and why). {@code /network} keeps its own
     * shape (address to addresses).
     */
    @GET
    @Path("network/nodes")
    @Produces(MediaType.APPLICATION_JSON)
    public List<NodeView> nodes(@QueryParam("recent") @DefaultValue("false") boolean recent) {
        return recent ? stats.nodesNowAndGone() : stats.nodesNow();
    }
}
