package io.cdnodes.connector.inbound;

import io.cdnodes.connector.api.ConnectionInfo;
import io.cdnodes.connector.api.WorkerEvent;
import io.cdnodes.connector.api.WorkerEventListener;
import io.cdnodes.connector.tls.ServerIdentity;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.work.WorkManager;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.transaction.xa.XAResource;

/**
 * The CD Nodes resource adapter. It listens for workers only while at least one MDB endpoint is active,
 * so that no worker is accepted before something can receive its events; it closes every connection when
 * the last endpoint goes away or the adapter stops. It does not start without a worker token (unless told
 * that none is meant) or, with TLS on, without a certificate: the deployment fails, saying why.
 *
 * <p>Threads: one accept loop per listener and a reader and a writer per connection, each a {@code Work} on the
 * work manager the server gives the adapter ({@link WorkManagerThreads}), holding its pool thread for its whole
 * life: the pool is sized for the connections admitted (README, "The connector's threads"). Endpoints are invoked
 * on the connection's reader, so one worker's events arrive in order.
 */
public class CdProtoResourceAdapter implements ResourceAdapter {

    private static final System.Logger LOG = System.getLogger(CdProtoResourceAdapter.class.getName());

    private final List<MessageEndpointFactory> endpoints = new CopyOnWriteArrayList<>();
    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final List<SocketListener> listeners = new ArrayList<>();
    private ConnectorSettings settings;
    private ServerIdentity tls;
    private SSLContext tlsContext;
    private AdapterThreads threads;

    /** The config properties set on this adapter (ra.xml, Resource Adapter Configs), by property name. */
    private final Map<String, String> properties = new ConcurrentHashMap<>();

    @Override
    public void start(BootstrapContext ctx) throws ResourceAdapterInternalException {
        WorkManager work = ctx == null ? null : ctx.getWorkManager();
        start(SettingSources.of(properties, SettingSources.configured()), Instant.now(),
                work == null ? AdapterThreads.daemons() : new WorkManagerThreads(work));
    }

    /** Reads and checks the settings, and gets the TLS certificate: whatever is wrong fails the deployment. */
    void start(Map<String, String> environment, Instant now) throws ResourceAdapterInternalException {
        start(SettingSources.of(Map.of(), environment::get), now, AdapterThreads.daemons());
    }

    private void start(Function<String, String> source, Instant now, AdapterThreads threads)
            throws ResourceAdapterInternalException {
        try {
            settings = ConnectorSettings.from(source);
        } catch (IllegalArgumentException e) {
            throw new ResourceAdapterInternalException("CD Nodes connector configuration: " + e.getMessage(), e);
        }
        try {
            tls = settings.tls().enabled() ? ServerIdentity.of(settings.tls(), now) : null;
            tlsContext = tls == null ? null : tls.serverContext();
        } catch (IOException | GeneralSecurityException e) {
            throw new ResourceAdapterInternalException("CD Nodes connector: no TLS certificate for CDProto: "
                    + e.getMessage(), e);
        }
        this.threads = threads;
        LOG.log(System.Logger.Level.INFO, "CD Nodes connector started (tcp {0}:{1}, socket {2}, worker token {3}, "
                        + "sandboxed workers {4})", settings.protoHost(), String.valueOf(settings.protoPort()),
                settings.socketPath(), settings.token().isOpen() ? "NOT REQUIRED" : "required",
                settings.requireSandbox() ? "only" : "not required");
        warnAboutWhatIsOpen();
        if (threads instanceof WorkManagerThreads) {
            LOG.log(System.Logger.Level.INFO, "CDProto runs on the work manager: up to {0} threads of the adapter''s "
                    + "thread pool (two per connection admitted, two for the listeners; connector/README.md)",
                    String.valueOf(2 * (settings.maxConnections() + settings.maxPendingConnections()) + 2));
        }
    }

    /** Says, at every start, what the settings leave open, and the certificate workers are to check. */
    private void warnAboutWhatIsOpen() {
        if (settings.token().isOpen()) {
            LOG.log(System.Logger.Level.WARNING, "CDNODES_INSECURE_NO_WORKER_TOKEN=true: CDProto accepts ANY worker "
                    + "without a token; whoever reaches it is sent every project's code and reports its results. "
                    + "Set CDNODES_WORKER_TOKEN.");
        }
        if (tls != null) {
            LOG.log(System.Logger.Level.INFO, "CDProto TLS 1.3 certificate {0}, SHA-256 fingerprint {1}; workers "
                    + "check it with --tls-fingerprint {1} or --tls-ca {2}", tls.origin(), tls.fingerprint().hex(),
                    settings.tls().dir().resolve("cdproto.crt"));
        } else {
            LOG.log(System.Logger.Level.WARNING, "CDNODES_PROTO_TLS=false: CDProto on tcp {0}:{1} is PLAIN TEXT; "
                    + "the worker token, every project and every result cross the network readable and changeable",
                    settings.protoHost(), String.valueOf(settings.protoPort()));
        }
    }

    @Override
    public void stop() {
        stopListening("the coordinator is stopping");
        LOG.log(System.Logger.Level.INFO, "CD Nodes connector stopped");
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        if (!(spec instanceof CdProtoActivationSpec)) {
            throw new ResourceException("unexpected activation spec " + spec);
        }
        endpoints.add(factory);
        synchronized (listeners) {
            if (listeners.isEmpty()) {
                startListening();
            }
        }
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        endpoints.remove(factory);
        if (endpoints.isEmpty()) {
            stopListening("the coordinator application was undeployed");
        }
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    // ---- config properties (ra.xml): each gives the setting SettingSources.ADAPTER_PROPERTIES names -------------

    public String getProtoHost() {
        return properties.get("ProtoHost");
    }

    public void setProtoHost(String value) {
        property("ProtoHost", value);
    }

    public String getProtoPort() {
        return properties.get("ProtoPort");
    }

    public void setProtoPort(String value) {
        property("ProtoPort", value);
    }

    public String getSocket() {
        return properties.get("Socket");
    }

    public void setSocket(String value) {
        property("Socket", value);
    }

    public String getSocketUids() {
        return properties.get("SocketUids");
    }

    public void setSocketUids(String value) {
        property("SocketUids", value);
    }

    public String getProtoTls() {
        return properties.get("ProtoTls");
    }

    public void setProtoTls(String value) {
        property("ProtoTls", value);
    }

    public String getTlsHostnames() {
        return properties.get("TlsHostnames");
    }

    public void setTlsHostnames(String value) {
        property("TlsHostnames", value);
    }

    public String getTlsPublishDir() {
        return properties.get("TlsPublishDir");
    }

    public void setTlsPublishDir(String value) {
        property("TlsPublishDir", value);
    }

    public String getMaxConnections() {
        return properties.get("MaxConnections");
    }

    public void setMaxConnections(String value) {
        property("MaxConnections", value);
    }

    public String getMaxPendingConnections() {
        return properties.get("MaxPendingConnections");
    }

    public void setMaxPendingConnections(String value) {
        property("MaxPendingConnections", value);
    }

    public String getMaxConnectionsPerAddress() {
        return properties.get("MaxConnectionsPerAddress");
    }

    public void setMaxConnectionsPerAddress(String value) {
        property("MaxConnectionsPerAddress", value);
    }

    public String getMaxSlotsPerWorker() {
        return properties.get("MaxSlotsPerWorker");
    }

    public void setMaxSlotsPerWorker(String value) {
        property("MaxSlotsPerWorker", value);
    }

    public String getMaxFrameBytes() {
        return properties.get("MaxFrameBytes");
    }

    public void setMaxFrameBytes(String value) {
        property("MaxFrameBytes", value);
    }

    public String getHandshakeTimeoutMs() {
        return properties.get("HandshakeTimeoutMs");
    }

    public void setHandshakeTimeoutMs(String value) {
        property("HandshakeTimeoutMs", value);
    }

    public String getHeartbeatIntervalMs() {
        return properties.get("HeartbeatIntervalMs");
    }

    public void setHeartbeatIntervalMs(String value) {
        property("HeartbeatIntervalMs", value);
    }

    public String getStalledFrameMs() {
        return properties.get("StalledFrameMs");
    }

    public void setStalledFrameMs(String value) {
        property("StalledFrameMs", value);
    }

    public String getRequireSandbox() {
        return properties.get("RequireSandbox");
    }

    public void setRequireSandbox(String value) {
        property("RequireSandbox", value);
    }

    private void property(String name, String value) {
        if (value == null || value.isBlank()) {
            properties.remove(name);
        } else {
            properties.put(name, value.trim());
        }
    }

    // ---- used by the outbound gateway -------------------------------------------------------------------

    public boolean send(String connectionId, Frame frame) {
        return registry.established(connectionId).map(c -> c.send(frame)).orElse(false);
    }

    public boolean sendPackage(String connectionId, String packageId, Path file) {
        return registry.established(connectionId).map(c -> c.sendPackage(packageId, file)).orElse(false);
    }

    public void disconnect(String connectionId, ErrorFrame error) {
        registry.any(connectionId).ifPresent(c -> c.close(error, error == null
                ? "closed by the coordinator" : "closed by the coordinator: " + error.message()));
    }

    public List<ConnectionInfo> connections() {
        return registry.establishedInfo();
    }

    public List<String> listenAddresses() {
        synchronized (listeners) {
            return listeners.stream().map(SocketListener::localAddress).toList();
        }
    }

    // ---- internals ----------------------------------------------------------------------------------------

    private void startListening() throws ResourceException {
        try {
            listeners.add(Listeners.tcp(settings, tlsContext, registry, this::deliver, threads));
            if (settings.socketPath() != null) {
                listeners.add(Listeners.unix(settings, registry, this::deliver, threads));
            }
        } catch (IOException e) {
            listeners.forEach(SocketListener::stop);
            listeners.clear();
            throw new ResourceException("CD Nodes connector cannot listen: " + e.getMessage(), e);
        }
        listeners.forEach(SocketListener::start);
    }

    private void stopListening(String reason) {
        synchronized (listeners) {
            listeners.forEach(SocketListener::stop);
            listeners.clear();
        }
        registry.closeAll(reason);
    }

    /** Hands an event to every active endpoint, each on a fresh endpoint instance, released in finally. */
    private void deliver(WorkerEvent event) {
        for (MessageEndpointFactory factory : endpoints) {
            MessageEndpoint endpoint = null;
            try {
                endpoint = factory.createEndpoint(null);
                ((WorkerEventListener) endpoint).onWorkerEvent(event);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.ERROR, "conn=" + event.connectionId() + ": endpoint failed on "
                        + event.getClass().getSimpleName(), e);
            } finally {
                if (endpoint != null) {
                    endpoint.release();
                }
            }
        }
    }

    // The JCA spec lets resource adapters define equality by their configuration; each deployment makes one
    // adapter, whose settings are read once at start, so identity is right.
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
