package dev.emporium.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The check before starting that no port of the platform is taken. */
class PreflightTest {

    @Test
    void aPortWithAListenerIsTaken() throws IOException {
        try (ServerSocket listener = new ServerSocket(0)) {
            assertThat(Preflight.isFree(listener.getLocalPort())).isFalse();
        }
    }

    @Test
    void aPortWhoseLastConnectionIsInTimeWaitIsFree() throws IOException {
        int port;
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
            port = listener.getLocalPort();
            // the side that closes first keeps the connection in TIME_WAIT, on the listener's port
            listener.accept().close();
        }
        assertThat(Preflight.isFree(port)).as("port %d, its last connection in TIME_WAIT", port).isTrue();
    }
}
