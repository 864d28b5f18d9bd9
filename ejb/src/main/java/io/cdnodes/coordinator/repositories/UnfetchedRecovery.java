package io.cdnodes.coordinator.repositories;

import io.cdnodes.coordinator.evaluation.EnumColumns;
import io.cdnodes.coordinator.evaluation.ProjectStatus;
import io.cdnodes.coordinator.dispatch.Dispatcher;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * At start, fails the projects whose repositories were still being fetched when the coordinator stopped.
 * They cannot be fetched again: their token was only ever in the memory of the coordinator that stopped.
 * Before that, a database made before projects could be FETCHING learns the status (see {@link EnumColumns}).
 */
@Singleton
@Startup
@DependsOn("Dispatcher")
public class UnfetchedRecovery {

    static final String REASON = "the coordinator restarted before this repository was fetched; submit it again";

    private static final System.Logger LOG = System.getLogger(UnfetchedRecovery.class.getName());

    @PersistenceContext(unitName = "cdnodes")
    private EntityManager em;

    @EJB
    private Dispatcher dispatcher;

    @Resource(lookup = "jdbc/cdnodes")
    private DataSource data;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void recover() {
        try (Connection c = data.getConnection()) {
            if (EnumColumns.widen(c, "project", "status", ProjectStatus.class)) {
                LOG.log(System.Logger.Level.INFO, "the project table now accepts every project status");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot bring project.status up to date: " + e.getMessage(), e);
        }
        List<Long> ids = em.createQuery("select p.id from Project p where p.status = :s order by p.id", Long.class)
                .setParameter("s", ProjectStatus.FETCHING).getResultList();
        for (long id : ids) {
            dispatcher.projectNotFetched(id, REASON);
        }
        if (!ids.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "failed {0} project(s) whose repositories were still being fetched "
                    + "when the coordinator stopped", ids.size());
        }
    }
}
