package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdmissionTest {

    private final Admission admission = new Admission(10, 4, 3, Set.of(1000, 0));
    private final Admission.Peer peer = Admission.Peer.tcp("10.0.0.5:4100", "10.0.0.5");

    @Test
    void aTcpPeerIsLetInBelowEveryCap() {
        assertThat(admission.judge(peer, new Admission.Load(9, 3, 2))).isEmpty();
    }

    @Test
    void connectionsInTheirHandshakeDoNotTakeTheWorkersPlaces() {
        assertThat(admission.judge(peer, new Admission.Load(0, 3, 0))).isEmpty();
        assertThat(admission.judge(peer, new Admission.Load(9, 3, 0))).as("ten workers may connect, whatever waits")
                .isEmpty();
        assertThat(admission.judge(peer, new Admission.Load(0, 4, 0))).contains(new ErrorFrame(
                ErrorCode.TOO_MANY_CONNECTIONS, "the coordinator holds 4 connections that have not finished their "
                + "handshake already (CDNODES_MAX_PENDING_CONNECTIONS)"));
    }

    @Test
    void theWorkersCapComesFirstThenTheHandshakesThenTheAddress() {
        assertThat(admission.judge(peer, new Admission.Load(10, 0, 0))).contains(new ErrorFrame(
                ErrorCode.TOO_MANY_CONNECTIONS, "the coordinator has 10 workers connected already (CDNODES_MAX_CONNECTIONS)"));
        assertThat(admission.judge(peer, new Admission.Load(10, 4, 3))).map(ErrorFrame::message)
                .contains("the coordinator has 10 workers connected already (CDNODES_MAX_CONNECTIONS)");
        assertThat(admission.judge(peer, new Admission.Load(4, 4, 3))).map(ErrorFrame::message).get().asString()
                .contains("CDNODES_MAX_PENDING_CONNECTIONS");
        assertThat(admission.judge(peer, new Admission.Load(4, 0, 3))).contains(new ErrorFrame(
                ErrorCode.TOO_MANY_CONNECTIONS,
                "the coordinator holds 3 connections from 10.0.0.5 already (CDNODES_MAX_CONNECTIONS_PER_ADDRESS)"));
    }

    @Test
    void unixPeersAreJudgedByUidAndNeitherByAddressNorByHandshakes() {
        assertThat(admission.judge(Admission.Peer.unix("unix:pid=7", 1000), new Admission.Load(0, 99, 99))).isEmpty();
        assertThat(admission.judge(Admission.Peer.unix("unix:pid=7", 1001), new Admission.Load(0, 0, 0)))
                .contains(new ErrorFrame(ErrorCode.AUTHENTICATION_FAILED, "uid 1001 may not use this socket: it "
                        + "accepts uid [0, 1000] (CDNODES_SOCKET_UIDS lists more)"));
        assertThat(admission.judge(Admission.Peer.unix("unix:peer", -1), new Admission.Load(0, 0, 0)))
                .map(ErrorFrame::message).contains("a peer whose uid is unknown may not use this socket: it accepts "
                        + "uid [0, 1000] (CDNODES_SOCKET_UIDS lists more)");
        assertThat(admission.judge(Admission.Peer.unix("unix:pid=7", 1001), new Admission.Load(10, 0, 0)))
                .map(ErrorFrame::code).as("a stranger is told it is a stranger, not that the coordinator is full")
                .contains(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(admission.judge(Admission.Peer.unix("unix:pid=7", 1000), new Admission.Load(10, 0, 0)))
                .map(ErrorFrame::code).contains(ErrorCode.TOO_MANY_CONNECTIONS);
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.5,                               10.0.0.5",
        "::ffff:10.0.0.5,                        10.0.0.5",
        "2001:db8:0:7::1,                        2001:db8:0:7::/64",
        "2001:db8:0:7:ffff:ffff:ffff:ffff,       2001:db8:0:7::/64",
        "2001:0DB8:0000:0007:abcd::9,            2001:db8:0:7::/64",
        "2001:db8:0:8::1,                        2001:db8:0:8::/64",
        "::1,                                    0:0:0:0::/64",
        "fe80::1%1,                              fe80:0:0:0::/64",
    })
    void aPeerIsCountedUnderItsIpv4AddressOrItsIpv6Slash64(String address, String group) throws Exception {
        assertThat(Addresses.group(InetAddress.getByName(address))).isEqualTo(group);
    }
}
