package io.botfleet.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.KnownLength;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawBytesMarshallerTest {

  private static final byte[] MESSAGE =
      "emergency_stop to bot-0042, sequence 7".getBytes(StandardCharsets.UTF_8);

  @Test
  void aStreamThatKnowsItsLengthIsReadInOneExactRead() {
    SizedStream stream = new SizedStream(MESSAGE, MESSAGE.length);

    byte[] parsed = RawBytesMarshaller.INSTANCE.parse(stream);

    assertThat(parsed).isEqualTo(MESSAGE);
    // One read of exactly the message, then one to see the end: no 8 KiB buffer in between.
    assertThat(stream.requested).containsExactly(MESSAGE.length, 1);
    assertThat(stream.closed).isTrue();
  }

  @Test
  void aStreamThatReportsLessThanItHoldsIsReadToItsEnd() {
    byte[] parsed = RawBytesMarshaller.INSTANCE.parse(new SizedStream(MESSAGE, 5));

    assertThat(parsed).isEqualTo(MESSAGE);
  }

  @Test
  void aStreamThatReportsMoreThanItHoldsGivesOnlyWhatItHolds() {
    byte[] parsed = RawBytesMarshaller.INSTANCE.parse(new SizedStream(MESSAGE, 1000));

    assertThat(parsed).isEqualTo(MESSAGE);
  }

  @Test
  void aStreamThatCannotTellItsLengthIsReadToItsEnd() {
    byte[] parsed = RawBytesMarshaller.INSTANCE.parse(new SizedStream(MESSAGE, 0));

    assertThat(parsed).isEqualTo(MESSAGE);
  }

  @Test
  void anEmptyMessageIsAnEmptyArray() {
    assertThat(RawBytesMarshaller.INSTANCE.parse(new ByteArrayInputStream(new byte[0]))).isEmpty();
  }

  @Test
  void whatItStreamsItParsesBack() {
    InputStream streamed = RawBytesMarshaller.INSTANCE.stream(MESSAGE);

    assertThat(streamed).isInstanceOf(KnownLength.class);
    assertThat(RawBytesMarshaller.INSTANCE.parse(streamed)).isEqualTo(MESSAGE);
  }

  /** A stream of {@code bytes} whose available() says {@code reported}, recording each read. */
  private static final class SizedStream extends InputStream implements KnownLength {
    private final ByteArrayInputStream bytes;
    private final int reported;
    final List<Integer> requested = new ArrayList<>();
    boolean closed;
    private boolean reportedOnce;

    SizedStream(byte[] bytes, int reported) {
      this.bytes = new ByteArrayInputStream(bytes);
      this.reported = reported;
    }

    @Override
    public int available() {
      // Reported once, as gRPC's streams do before anything is read.
      if (reportedOnce) {
        return bytes.available();
      }
      reportedOnce = true;
      return reported;
    }

    @Override
    public int read() {
      requested.add(1);
      return bytes.read();
    }

    @Override
    public int read(byte[] target, int offset, int length) {
      requested.add(length);
      return bytes.read(target, offset, length);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
