package io.botfleet.deploy.client;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.Collection;
import java.util.Map;

/** Command payloads: plain Java maps to protobuf Structs (fleet-service's payload type). */
final class Structs {

  private Structs() {}

  static Struct of(Map<String, ?> map) {
    Struct.Builder struct = Struct.newBuilder();
    map.forEach((k, v) -> struct.putFields(k, value(v)));
    return struct.build();
  }

  @SuppressWarnings("unchecked")
  private static Value value(Object v) {
    if (v == null) {
      return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }
    if (v instanceof String s) {
      return Value.newBuilder().setStringValue(s).build();
    }
    if (v instanceof Number n) {
      return Value.newBuilder().setNumberValue(n.doubleValue()).build();
    }
    if (v instanceof Boolean b) {
      return Value.newBuilder().setBoolValue(b).build();
    }
    if (v instanceof Map<?, ?> m) {
      return Value.newBuilder().setStructValue(of((Map<String, ?>) m)).build();
    }
    if (v instanceof Collection<?> c) {
      ListValue.Builder list = ListValue.newBuilder();
      c.forEach(e -> list.addValues(value(e)));
      return Value.newBuilder().setListValue(list).build();
    }
    return Value.newBuilder().setStringValue(v.toString()).build();
  }
}
