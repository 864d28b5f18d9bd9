package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SettingSourcesTest {

    private static final Map<String, String> CONFIGURED = Map.of(
            "CDNODES_WORKER_TOKEN", "t0ken",
            "CDNODES_PROTO_PORT", "7100",
            "CDNODES_MAX_CONNECTIONS", "12",
            "CDNODES_SOCKET", "off");

    @Test
    void anAdapterPropertyThatIsSetComesBeforeMicroProfileConfig() {
        Function<String, String> source = SettingSources.of(Map.of("ProtoPort", "7200", "MaxConnections", " "),
                CONFIGURED::get);

        ConnectorSettings s = ConnectorSettings.from(source);

        assertThat(s.protoPort()).isEqualTo(7200);
        assertThat(s.maxConnections()).as("a blank property leaves the setting to the next source").isEqualTo(12);
        assertThat(s.socketPath()).isNull();
        assertThat(s.token().isOpen()).isFalse();
    }

    @Test
    void blankValuesAreUnsetAndValuesAreTrimmed() {
        Function<String, String> source = SettingSources.of(Map.of("ProtoHost", " 0.0.0.0 "),
                Map.of("CDNODES_PROTO_PORT", "  ", "CDNODES_MAX_FRAME_BYTES", " 2048 ")::get);

        assertThat(source.apply("CDNODES_PROTO_HOST")).isEqualTo("0.0.0.0");
        assertThat(source.apply("CDNODES_PROTO_PORT")).isNull();
        assertThat(source.apply("CDNODES_MAX_FRAME_BYTES")).isEqualTo("2048");
        assertThat(source.apply("CDNODES_NOT_SET")).isNull();
    }

    @Test
    void anUnknownAdapterPropertyIsRefusedByName() {
        assertThatIllegalArgumentException().isThrownBy(() -> SettingSources.of(Map.of("WorkerToken", "x"),
                name -> null)).withMessageContaining("WorkerToken");
    }

    @Test
    void noSecretIsAnAdapterProperty() {
        assertThat(SettingSources.ADAPTER_PROPERTIES.values()).doesNotContain("CDNODES_WORKER_TOKEN",
                "CDNODES_INSECURE_NO_WORKER_TOKEN", "CDNODES_TLS_KEYSTORE_PASSWORD", "CDNODES_DATA_DIR",
                "CDNODES_HEARTBEAT_TIMEOUT_MS");
    }

    @Test
    void propertiesSetOnTheAdapterReachItsSettings() throws Exception {
        CdProtoResourceAdapter ra = new CdProtoResourceAdapter();
        ra.setProtoPort("0");
        ra.setSocket("off");
        ra.setRequireSandbox("true");
        ra.setMaxSlotsPerWorker("3");
        Map<String, String> configured = new HashMap<>(Map.of("CDNODES_WORKER_TOKEN", "t0ken",
                "CDNODES_PROTO_TLS", "false", "CDNODES_MAX_SLOTS_PER_WORKER", "9"));

        ConnectorSettings s = ConnectorSettings.from(SettingSources.of(properties(ra), configured::get));

        assertThat(s.requireSandbox()).isTrue();
        assertThat(s.maxSlotsPerWorker()).isEqualTo(3);
        assertThat(s.protoPort()).isZero();
        assertThat(ra.getMaxSlotsPerWorker()).isEqualTo("3");
        ra.setMaxSlotsPerWorker("");
        assertThat(ra.getMaxSlotsPerWorker()).isNull();
    }

    @Test
    void raXmlDeclaresExactlyTheAdapterPropertiesAndTheAdapterHasABeanPropertyForEach() throws Exception {
        String raXml = Files.readString(Path.of("src/main/rar/META-INF/ra.xml"));
        Matcher m = Pattern.compile("<config-property-name>([^<]+)</config-property-name>").matcher(raXml);
        Set<String> declared = new LinkedHashSet<>();
        while (m.find()) {
            declared.add(m.group(1));
        }
        assertThat(declared).containsExactlyElementsOf(SettingSources.ADAPTER_PROPERTIES.keySet());
        assertThat(beanProperties()).containsAll(declared);
    }

    /** The adapter's bean properties that are set, as the container would read them. */
    private static Map<String, String> properties(CdProtoResourceAdapter ra) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (PropertyDescriptor p : Introspector.getBeanInfo(CdProtoResourceAdapter.class).getPropertyDescriptors()) {
            String name = Character.toUpperCase(p.getName().charAt(0)) + p.getName().substring(1);
            if (SettingSources.ADAPTER_PROPERTIES.containsKey(name) && p.getReadMethod().invoke(ra) != null) {
                out.put(name, (String) p.getReadMethod().invoke(ra));
            }
        }
        return out;
    }

    private static Set<String> beanProperties() throws IntrospectionException {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(Introspector.getBeanInfo(CdProtoResourceAdapter.class).getPropertyDescriptors())
                .filter(p -> p.getReadMethod() != null && p.getWriteMethod() != null
                        && p.getPropertyType() == String.class)
                .forEach(p -> out.add(Character.toUpperCase(p.getName().charAt(0)) + p.getName().substring(1)));
        return out;
    }
}
