package dev.parley.server.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import tlschannel.NeedsReadException;
import tlschannel.NeedsTaskException;
import tlschannel.NeedsWriteException;
import tlschannel.ServerTlsChannel;

/**
 * TLS over the socket, server side, on tls-channel's {@link ServerTlsChannel} (a non-blocking
 * {@code SSLEngine} driver made for selector loops): decrypts what is read, encrypts what is
 * written. Its "would block" signals become this layer's state, which the {@link Connection} turns
 * into interest ops; the engine's delegated tasks (key exchange, signatures) run on {@code tasks},
 * off the loop, and the connection is told through the loop's queue when one is done.
 *
 * <p>Encryption is per connection, so unlike plain TCP a message shared by a thousand recipients is
 * encrypted a thousand times; the queue still holds the one shared buffer, and the plain text is
 * staged once per write as for plain TCP.
 */
public final class TlsLayer implements TransportLayer {
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

  private final ServerTlsChannel tls;
  private final Executor tasks;
  private final Executor loop;
  private final Runnable progressed;
  private boolean established; // the handshake finished
  private boolean busy; // a delegated task is running
  private boolean writeWaitsForRead;
  private boolean readWaitsForWrite;
  private boolean holdsOutput; // encrypted bytes the socket did not take yet
  private boolean mayHoldInput; // the last read filled its buffer: more may be decrypted already

  private TlsLayer(
      SocketChannel channel,
      Supplier<SSLContext> contexts,
      Executor tasks,
      Executor loop,
      TlsBuffers buffers,
      Runnable progressed) {
    this.tasks = tasks;
    this.loop = loop;
    this.progressed = progressed;
    // The context is asked for when the client's hello arrives, so a reloaded certificate serves
    // every connection whose handshake starts after the reload.
    this.tls =
        ServerTlsChannel.newBuilder(channel, name -> Optional.of(contexts.get()))
            .withEngineFactory(TlsLayer::engine)
            .withRunTasks(false)
            .withReleaseBuffers(true) // an idle connection holds no TLS buffers
            .withPlainBufferAllocator(buffers) // lent per call from the loop's pool
            .withEncryptedBufferAllocator(buffers)
            .withSessionInitCallback(session -> established = true)
            .build();
  }

  /**
   * A factory for the connections of one TLS port.
   *
   * @param contexts the current certificate and key, asked once per handshake
   * @param tasks where the engine's delegated tasks run (never the loop)
   * @param loop the loop, to come back to when a task is done; the connections' buffers are lent
   *     from a pool of this factory, so its connections must all live on that one loop
   */
  public static Factory factory(Supplier<SSLContext> contexts, Executor tasks, Executor loop) {
    TlsBuffers buffers = new TlsBuffers();
    return (channel, progressed) ->
        new TlsLayer(channel, contexts, tasks, loop, buffers, progressed);
  }

  private static SSLEngine engine(SSLContext context) {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setEnabledProtocols(PROTOCOLS);
    return engine;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (busy) {
      return 0;
    }
    writeWaitsForRead = false;
    readWaitsForWrite = false;
    int start = dst.position();
    try {
      // tls-channel returns after each record: go on while records are there to decrypt.
      while (dst.hasRemaining()) {
        int n = tls.read(dst);
        if (n < 0) {
          return dst.position() > start ? dst.position() - start : -1;
        }
      }
      mayHoldInput = true;
    } catch (NeedsReadException e) {
      mayHoldInput = false;
    } catch (NeedsWriteException e) {
      readWaitsForWrite = true;
    } catch (NeedsTaskException e) {
      runOffLoop(e.getTask());
    }
    return dst.position() - start;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (busy) {
      return 0;
    }
    int start = src.position();
    boolean wasEstablished = established;
    try {
      tls.write(src);
      holdsOutput = false;
    } catch (NeedsWriteException e) {
      // What the engine already wrapped waits in tls-channel's buffer; src moved past it.
      holdsOutput = true;
    } catch (NeedsReadException e) {
      writeWaitsForRead = true;
    } catch (NeedsTaskException e) {
      runOffLoop(e.getTask());
    } finally {
      if (!wasEstablished && established) {
        // A write before the handshake is over drives it, reading the peer's last handshake
        // records from the socket, and with them whatever the peer sent right behind them (its
        // first line): those bytes now wait in the engine's buffer, where no select reports them.
        mayHoldInput = true;
      }
    }
    return src.position() - start;
  }

  @Override
  public void flushHeld() throws IOException {
    write(NOTHING.duplicate());
  }

  private void runOffLoop(Runnable task) {
    busy = true;
    tasks.execute(
        () -> {
          try {
            task.run();
          } finally {
            loop.execute(
                () -> {
                  busy = false;
                  progressed.run();
                });
          }
        });
  }

  @Override
  public boolean isEstablished() {
    return established;
  }

  @Override
  public String establishingStep() {
    return "TLS handshake";
  }

  @Override
  public boolean isBusy() {
    return busy;
  }

  @Override
  public boolean writeWaitsForRead() {
    return writeWaitsForRead;
  }

  @Override
  public boolean readWaitsForWrite() {
    return readWaitsForWrite;
  }

  @Override
  public boolean hasBufferedInput() {
    return mayHoldInput;
  }

  @Override
  public boolean holdsOutput() {
    return holdsOutput;
  }

  @Override
  public boolean isOpen() {
    return tls.isOpen();
  }

  /** Sends {@code close_notify} if the socket takes it now (never waits for the peer's), closes. */
  @Override
  public void close() throws IOException {
    tls.close();
  }
}
