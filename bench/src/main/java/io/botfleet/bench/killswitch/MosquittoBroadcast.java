package io.botfleet.bench.killswitch;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline: the same payload broadcast to the same number of subscribers through a Mosquitto
 * broker at QoS 1, as Hummingbot commands its bots. No storage per bot, no per-bot sequence, no
 * signature, no acknowledgement back to the sender: the time until the last subscriber has the
 * message.
 */
final class MosquittoBroadcast implements AutoCloseable {

  private static final String TOPIC = "fleet/commands";

  private final Process broker;
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  private final List<MqttClient> subscribers = new ArrayList<>();
  private final MqttClient publisher;
  private final AtomicLong lastReceipt = new AtomicLong();
  private volatile CountDownLatch received = new CountDownLatch(0);

  MosquittoBroadcast(int port, int subscriberCount, Path workDir) throws Exception {
    Path config = workDir.resolve("mosquitto.conf");
    Files.writeString(
        config,
        String.join(
            "\n",
            "listener " + port + " 127.0.0.1",
            "allow_anonymous true",
            "persistence false",
            "max_queued_messages 1000",
            "log_dest stderr",
            "log_type error",
            "log_type warning",
            ""));
    broker =
        new ProcessBuilder("mosquitto", "-c", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("mosquitto.log").toFile())
            .start();
    awaitPort(port);
    for (int from = 0; from < subscriberCount; from += 500) {
      List<Future<?>> connecting = new ArrayList<>();
      for (int i = from; i < Math.min(subscriberCount, from + 500); i++) {
        MqttClient client =
            MqttClient.create(
                vertx,
                new MqttClientOptions()
                    .setClientId(String.format("bot-%05d", i))
                    .setCleanSession(true)
                    .setKeepAliveInterval(60));
        client.publishHandler(
            message -> {
              lastReceipt.accumulateAndGet(System.nanoTime(), Math::max);
              received.countDown();
            });
        subscribers.add(client);
        connecting.add(
            client
                .connect(port, "127.0.0.1")
                .compose(ack -> client.subscribe(TOPIC, MqttQoS.AT_LEAST_ONCE.value())));
      }
      Future.all(connecting).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    publisher = MqttClient.create(vertx, new MqttClientOptions().setClientId("operator"));
    publisher
        .connect(port, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  /** Publishes once (QoS 1) and returns the time until the last subscriber received it. */
  Duration broadcast(byte[] payload, Duration timeout) throws InterruptedException {
    received = new CountDownLatch(subscribers.size());
    lastReceipt.set(0);
    long start = System.nanoTime();
    publisher.publish(TOPIC, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE, false, false);
    if (!received.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(received.getCount() + " subscribers got nothing");
    }
    return Duration.ofNanos(lastReceipt.get() - start);
  }

  @Override
  public void close() throws Exception {
    for (MqttClient client : subscribers) {
      client.disconnect();
    }
    publisher.disconnect();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    broker.destroy();
    broker.waitFor(10, TimeUnit.SECONDS);
  }

  private void awaitPort(int port) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!broker.isAlive()) {
        throw new IOException("mosquitto exited; is the mosquitto package installed?");
      }
      try (var socket = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IOException("mosquitto is not listening on " + port);
  }
}
