package io.cdnodes.connector.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdnodes.protocol.frame.ErrorCode;
import io.cdnodes.protocol.frame.ErrorFrame;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    private final Admission admission = new Admission(10, 3, Set.of(1000, 0));

    @Test
    void aTcpPeerIsLetInBelowBothCaps() {
        assertThat(admission.judge(Admission.Peer.tcp("10.0.0.5:4100", "10.0.0.5"), 9, 2)).isEmpty();
    }

    @Test
    void theCapsAreCheckedTheTotalFirst() {
        Admission.Peer peer = Admission.Peer.tcp("10.0.0.5:4100", "10.0.0.5");

        assertThat(admission.judge(peer, 10, 0)).contains(new ErrorFrame(ErrorCode.TOO_MANY_CONNECTIONS,
                "the coordinator holds 10 connections already"));
        assertThat(admission.judge(peer, 10, 3)).map(ErrorFrame::message)
                .contains("the coordinator holds 10 connections already");
        assertThat(admission.judge(peer, 4, 3)).contains(new ErrorFrame(ErrorCode.TOO_MANY_CONNECTIONS,
                "the coordinator holds 3 connections from 10.0.0.5 already (CDNODES_MAX_CONNECTIONS_PER_ADDRESS)"));
    }

    @Test
    void unixPeersAreJudgedByUidAndNotByAddress() {
        assertThat(admission.judge(Admission.Peer.unix("unix:pid=7", 1000), 0, 99)).isEmpty();
        assertThat(admission.judge(Admission.Peer.unix("unix:pid=7", 1001), 0, 0)).contains(new ErrorFrame(
                ErrorCode.AUTHENTICATION_FAILED, "uid 1001 may not use this socket: it accepts uid [0, 1000] "
                + "(CDNODES_SOCKET_UIDS lists more)"));
        assertThat(admission.judge(Admission.Peer.unix("unix:peer", -1), 0, 0)).map(ErrorFrame::message)
                .contains("a peer whose uid is unknown may not use this socket: it accepts uid [0, 1000] "
                        + "(CDNODES_SOCKET_UIDS lists more)");
        assertThat(admission.judge(Admission.Peer.unix("unix:pid=7", 1001), 10, 0)).map(ErrorFrame::code)
                .as("a stranger is told it is a stranger, not that the coordinator is full")
                .contains(ErrorCode.AUTHENTICATION_FAILED);
    }
}
