package io.botfleet.fleet.grpc;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** google.protobuf.Struct to and from plain maps (the JSON the commands are stored as). */
final class StructMapper {

  private StructMapper() {}

  static Struct toStruct(Map<String, ?> map) {
    Struct.Builder struct = Struct.newBuilder();
    map.forEach((key, value) -> struct.putFields(key, toValue(value)));
    return struct.build();
  }

  @SuppressWarnings("unchecked")
  static Value toValue(Object value) {
    if (value == null) {
      return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }
    if (value instanceof String s) {
      return Value.newBuilder().setStringValue(s).build();
    }
    if (value instanceof Boolean b) {
      return Value.newBuilder().setBoolValue(b).build();
    }
    if (value instanceof Number n) {
      return Value.newBuilder().setNumberValue(n.doubleValue()).build();
    }
    if (value instanceof Map<?, ?> m) {
      return Value.newBuilder().setStructValue(toStruct((Map<String, ?>) m)).build();
    }
    if (value instanceof Iterable<?> items) {
      ListValue.Builder list = ListValue.newBuilder();
      items.forEach(item -> list.addValues(toValue(item)));
      return Value.newBuilder().setListValue(list).build();
    }
    return Value.newBuilder().setStringValue(value.toString()).build();
  }

  static Map<String, Object> toMap(Struct struct) {
    Map<String, Object> map = new LinkedHashMap<>();
    struct.getFieldsMap().forEach((key, value) -> map.put(key, toObject(value)));
    return map;
  }

  private static Object toObject(Value value) {
    return switch (value.getKindCase()) {
      case NULL_VALUE, KIND_NOT_SET -> null;
      case BOOL_VALUE -> value.getBoolValue();
      case STRING_VALUE -> value.getStringValue();
      case NUMBER_VALUE -> number(value.getNumberValue());
      case STRUCT_VALUE -> toMap(value.getStructValue());
      case LIST_VALUE -> {
        List<Object> list = new ArrayList<>();
        value.getListValue().getValuesList().forEach(v -> list.add(toObject(v)));
        yield list;
      }
    };
  }

  /** Whole numbers stay whole in the stored JSON (a grace period of 30, not 30.0). */
  private static Object number(double d) {
    if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
      return (long) d;
    }
    return BigDecimal.valueOf(d);
  }
}
