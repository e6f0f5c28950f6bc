package io.botfleet.signing;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Passes messages as the bytes on the wire. Signing hashes exactly these bytes: the client signs
 * what it sends and the server verifies what it received, never a re-serialization.
 */
public final class RawBytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {

  /** The one instance. */
  public static final RawBytesMarshaller INSTANCE = new RawBytesMarshaller();

  private RawBytesMarshaller() {}

  @Override
  public InputStream stream(byte[] value) {
    return new Bytes(value);
  }

  @Override
  public byte[] parse(InputStream stream) {
    try (stream) {
      return stream.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a gRPC message", e);
    }
  }

  /**
   * The bytes as a stream that transports can drain in one write and size up front, as grpc-java's
   * own protobuf streams can (some transports require it).
   */
  private static final class Bytes extends ByteArrayInputStream implements Drainable, KnownLength {

    Bytes(byte[] value) {
      super(value);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int length = available();
      target.write(buf, pos, length);
      pos = count;
      return length;
    }
  }
}
