package dev.logpipe.devservices.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hung server for fault tests: accepts TCP connections on a free loopback port and never reads or
 * answers, the way a stuck ClickHouse looks to a client. Connections stay open until closed.
 */
public final class SilentServer implements AutoCloseable {
  private final ServerSocket socket;
  private final List<Socket> held = new CopyOnWriteArrayList<>();

  public SilentServer() {
    try {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor =
        new Thread(
            () -> {
              while (!socket.isClosed()) {
                try {
                  held.add(socket.accept()); // read nothing, answer nothing
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "silent-server-" + socket.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String httpUrl() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : held) {
      s.close();
    }
  }
}
