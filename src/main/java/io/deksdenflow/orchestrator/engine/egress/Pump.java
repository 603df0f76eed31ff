package io.deksdenflow.orchestrator.engine.egress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;

/** One direction of a splice: copies until end of stream, then half-closes the other side. */
final class Pump implements Runnable {
    private final SocketChannel from;
    private final SocketChannel to;
    private final CountDownLatch done = new CountDownLatch(1);

    Pump(SocketChannel from, SocketChannel to) {
        this.from = from;
        this.to = to;
    }

    @Override
    public void run() {
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) to.write(buf);
                buf.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side failed or the run ended: both sides go
            close(from);
            close(to);
        } finally {
            done.countDown();
        }
    }

    /** Waits for this direction to finish (its sockets are closed when the run ends). */
    void await() {
        try {
            done.await();
        } catch (InterruptedException e) {
            close(from);
            close(to);
            Thread.currentThread().interrupt();
        }
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
