package io.botfleet.fleet;

import io.botfleet.devkit.TestPrincipal;
import io.botfleet.fleet.v1.AckState;
import io.botfleet.fleet.v1.BotCommand;
import io.botfleet.fleet.v1.CommandAck;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.StreamCommandsRequest;
import io.botfleet.fleet.v1.StreamCommandsResponse;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bot on its command stream, signed with its own key: collects the commands it receives and
 * acknowledges them when told (or at once, with {@link #autoAck}).
 */
public final class TestBot implements AutoCloseable {

  private final String id;
  private final BlockingQueue<BotCommand> received = new LinkedBlockingQueue<>();
  private final List<BotCommand> all = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Context.CancellableContext context;
  private volatile StreamObserver<StreamCommandsRequest> up;
  private volatile Status ended;
  private volatile AckState autoAck;

  private TestBot(String id) {
    this.id = id;
    this.context = Context.current().withCancellation();
  }

  /** Opens the bot's command stream on {@code channel}, signed as {@code principal}. */
  public static TestBot connect(Channel channel, TestPrincipal principal) {
    TestBot bot = new TestBot(principal.agentId());
    bot.context.run(
        () ->
            bot.up =
                principal
                    .sign(FleetServiceGrpc.newStub(channel))
                    .streamCommands(
                        new StreamObserver<>() {
                          @Override
                          public void onNext(StreamCommandsResponse response) {
                            BotCommand command = response.getCommand();
                            bot.all.add(command);
                            bot.received.add(command);
                            AckState auto = bot.autoAck;
                            if (auto != null) {
                              bot.ack(command, auto);
                            }
                          }

                          @Override
                          public void onError(Throwable t) {
                            bot.ended = Status.fromThrowable(t);
                          }

                          @Override
                          public void onCompleted() {
                            bot.ended = Status.OK;
                          }
                        }));
    return bot;
  }

  /** Acknowledges everything it receives from now on with {@code state}. */
  public TestBot autoAck(AckState state) {
    this.autoAck = state;
    return this;
  }

  /** The next command, or AssertionError after {@code timeout}. */
  public BotCommand next(Duration timeout) {
    try {
      BotCommand command = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (command == null) {
        throw new AssertionError(
            "bot " + id + " received no command within " + timeout + " (stream: " + ended + ")");
      }
      return command;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  /** The next command within 5 s. */
  public BotCommand next() {
    return next(Duration.ofSeconds(5));
  }

  /** Asserts that nothing arrives for {@code quiet}. */
  public void expectNothing(Duration quiet) {
    try {
      BotCommand command = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
      if (command != null) {
        throw new AssertionError("bot " + id + " unexpectedly received " + command.getType());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Acknowledges a command. */
  public synchronized void ack(BotCommand command, AckState state) {
    up.onNext(
        StreamCommandsRequest.newBuilder()
            .setAck(
                CommandAck.newBuilder()
                    .setCommandId(command.getCommandId())
                    .setSequence(command.getSequence())
                    .setState(state)
                    .setMessage(state == AckState.ACK_STATE_REJECTED ? "unknown command" : ""))
            .build());
  }

  /** Everything received so far, in order. */
  public List<BotCommand> received() {
    return new ArrayList<>(all);
  }

  /** How the stream ended (null while open). */
  public Status ended() {
    return ended;
  }

  /** The bot's id. */
  public String id() {
    return id;
  }

  /** Closes the stream as a bot does: half-closes and waits for the server to end it. */
  @Override
  public void close() {
    try {
      if (ended == null) {
        synchronized (this) {
          up.onCompleted();
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (ended == null && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } catch (RuntimeException e) {
      // already gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ended == null) {
      context.cancel(null);
    }
  }

  /** Drops the connection without a goodbye, as a crashed bot or a broken network does. */
  public void drop() {
    context.cancel(null);
  }
}
