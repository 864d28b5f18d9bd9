package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.cdnodes.protocol.codec.FrameDecoder;
import io.cdnodes.protocol.codec.FrameEncoder;
import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import io.cdnodes.protocol.frame.Frame;
import io.cdnodes.protocol.frame.Welcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Unix socket is its owner's alone (mode 0600) unless more uids are listed, and the kernel's word on a peer's
 * uid decides who is let in. Another uid is played by a real process under {@code setpriv} (root only).
 */
class UnixSocketAccessTest {

    private static final int NOBODY = 65534;
    /** Connects, sends the bytes given in hex, prints in hex what comes back until the end (or the error). */
    private static final String CLIENT = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(10)
            try:
                s.connect(sys.argv[1])
            except OSError as e:
                print("connect-failed", e.errno); sys.exit(0)
            try:
                s.sendall(bytes.fromhex(sys.argv[2]))
            except BrokenPipeError:
                pass  # refused at once: what the coordinator wrote before it closed is still there to read
            out = b""
            while True:
                b = s.recv(65536)
                if not b: break
                out += b
                if len(out) > 60: break
            print("got", out.hex())
            """;

    private ListenerFixture fx;

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void theSocketIsMadeForItsOwnerAloneAndItsOwnerGetsIn() throws Exception {
        fx = new ListenerFixture(Channel.UNIX, ListenerFixture.Knobs.defaults());
        Path socket = fx.settings.socketPath();

        assertThat(mode(socket)).isEqualTo("rw-------");
        Path staging = socket.resolveSibling(".s.sock.d");
        assertThat(mode(staging)).as("the folder it is bound in").isEqualTo("rwx------");
        TestClient c = fx.connect();
        c.send(TestClient.hello("owner", ListenerFixture.TOKEN, List.of()));
        assertThat(c.next()).isInstanceOf(Welcome.class);
    }

    @Test
    void anotherUserCannotReachAnOwnersSocket() throws Exception {
        assumeRoot();
        fx = new ListenerFixture(Channel.UNIX, ListenerFixture.Knobs.defaults());

        assertThat(runAs(NOBODY, "")).isEqualTo("connect-failed 13"); // EACCES
        assertThat(fx.events).isEmpty();
    }

    @Test
    void aListedUidGetsInAndAnUnlistedOneIsRefusedByItsPeerCredentials() throws Exception {
        assumeRoot();
        fx = new ListenerFixture(Channel.UNIX, ListenerFixture.Knobs.defaults().socketUids(Set.of(12345)));
        assertThat(mode(fx.settings.socketPath())).isEqualTo("rw-rw-rw-");

        List<Frame> refused = frames(runAs(NOBODY, ""));
        assertThat(refused).containsExactly(new ErrorFrame(ErrorCode.AUTHENTICATION_FAILED,
                "uid 65534 may not use this socket: it accepts uid [0, 12345] (CDNODES_SOCKET_UIDS lists more)"));
        fx.close();

        fx = new ListenerFixture(Channel.UNIX, ListenerFixture.Knobs.defaults().socketUids(Set.of(NOBODY)));
        String hello = HexFormat.of().formatHex(new FrameEncoder().encode(
                TestClient.hello("nobody", ListenerFixture.TOKEN, List.of())));
        assertThat(frames(runAs(NOBODY, hello))).first().isInstanceOf(Welcome.class);
        assertThat(fx.connectedId(0)).isNotBlank();
    }

    private String runAs(int uid, String hex) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", python(), "-c",
                CLIENT, fx.settings.socketPath().toString(), hex).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static List<Frame> frames(String output) {
        assertThat(output).startsWith("got ");
        byte[] bytes = HexFormat.of().parseHex(output.substring(4));
        return new FrameDecoder().feed(bytes, 0, bytes.length);
    }

    private static void assumeRoot() throws IOException {
        assumeThat(Files.getAttribute(Path.of("/proc/self"), "unix:uid")).as("running as root").isEqualTo(0);
        assumeThat(Files.exists(Path.of("/usr/bin/setpriv"))).as("setpriv is installed").isTrue();
        assumeThat(python()).as("a Python that other users may run").isNotNull();
    }

    /** The system's Python (a user's pyenv, under /root, is out of another user's reach). */
    private static String python() {
        for (String candidate : List.of("/usr/bin/python3", "/usr/local/bin/python3")) {
            Path p = Path.of(candidate);
            try {
                if (Files.isExecutable(p) && Files.getPosixFilePermissions(p.toRealPath())
                        .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    return candidate;
                }
            } catch (IOException e) {
                // not this one
            }
        }
        return null;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
