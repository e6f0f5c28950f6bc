package io.botfleet.permission.grpc;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.botfleet.permission.domain.TierDefinition;
import io.botfleet.permission.v1.ExchangeMapping;
import io.botfleet.permission.v1.Tier;
import java.util.List;
import java.util.Map;

/** Translates between permission.v1 messages and the service's own types. */
final class PermissionMapper {

  private PermissionMapper() {}

  static io.botfleet.permission.v1.TierDefinition toProto(TierDefinition tier) {
    io.botfleet.permission.v1.TierDefinition.Builder proto =
        io.botfleet.permission.v1.TierDefinition.newBuilder()
            .setTier(toTier(tier.name()))
            .setName(tier.name())
            .addAllPermissions(tier.permissions());
    tier.exchangeMappings().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            mapping ->
                proto.addExchangeMappings(
                    ExchangeMapping.newBuilder()
                        .setExchange(mapping.getKey())
                        .setConfig(toStruct(mapping.getValue()))));
    return proto.build();
  }

  static Tier toTier(String name) {
    return Tier.valueOf("TIER_" + name.toUpperCase(java.util.Locale.ROOT));
  }

  static Struct toStruct(Map<String, Object> map) {
    Struct.Builder struct = Struct.newBuilder();
    map.forEach((key, value) -> struct.putFields(key, toValue(value)));
    return struct.build();
  }

  @SuppressWarnings("unchecked")
  private static Value toValue(Object value) {
    if (value == null) {
      return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }
    if (value instanceof Boolean b) {
      return Value.newBuilder().setBoolValue(b).build();
    }
    if (value instanceof Number n) {
      return Value.newBuilder().setNumberValue(n.doubleValue()).build();
    }
    if (value instanceof Map<?, ?> m) {
      return Value.newBuilder().setStructValue(toStruct((Map<String, Object>) m)).build();
    }
    if (value instanceof List<?> list) {
      ListValue.Builder values = ListValue.newBuilder();
      list.forEach(item -> values.addValues(toValue(item)));
      return Value.newBuilder().setListValue(values).build();
    }
    return Value.newBuilder().setStringValue(value.toString()).build();
  }
}
