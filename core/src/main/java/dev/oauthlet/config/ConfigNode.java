package dev.oauthlet.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** A node of the YAML tree that knows its file and key path, so every error can name both. */
final class ConfigNode {

    private final String file;
    private final String path;
    private final JsonNode node;

    ConfigNode(String file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    String path() {
        return path;
    }

    ConfigException error(String message) {
        return new ConfigException(file + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    private String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Refuses keys outside {@code known}: a typo must not silently fall back to a default. */
    void allowOnly(Collection<String> known) {
        if (!node.isObject()) {
            throw error("expected a mapping of keys (known: " + String.join(", ", known) + ")");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new ConfigException(file + ": " + childPath(key) + ": unknown key '" + key + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
    }

    boolean has(String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    ConfigNode child(String key) {
        return new ConfigNode(file, childPath(key), node.get(key));
    }

    String string(String key, String defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonNode v = node.get(key);
        if (!v.isValueNode()) {
            throw child(key).error("expected a single value");
        }
        return v.asText();
    }

    /**
     * The value under {@code key} as JSON text, or {@code null}: a nested mapping (a JWK Set written in
     * YAML) as JSON, a string (a document from the environment) as it is.
     */
    String json(String key) {
        if (!has(key)) {
            return null;
        }
        JsonNode v = node.get(key);
        return v.isTextual() ? string(key, null) : v.toString();
    }

    String requiredString(String key, String hint) {
        String v = string(key, null);
        if (v == null || v.isBlank()) {
            throw new ConfigException(file + ": " + childPath(key) + ": missing (" + hint + ")");
        }
        return v;
    }

    boolean bool(String key, boolean defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonNode v = node.get(key);
        if (v instanceof Placeholders.Resolved && (v.asText().equals("true") || v.asText().equals("false"))) {
            return Boolean.parseBoolean(v.asText());
        }
        if (!v.isBoolean()) {
            throw child(key).error("expected true or false, got '" + v.asText() + "'");
        }
        return v.asBoolean();
    }

    int integer(String key, int defaultValue, int min, int max) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonNode v = node.get(key);
        if (v instanceof Placeholders.Resolved && v.asText().matches("-?[0-9]{1,9}")) {
            v = com.fasterxml.jackson.databind.node.IntNode.valueOf(Integer.parseInt(v.asText()));
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            throw child(key).error("expected a whole number from " + min + " to " + max + ", got '" + v.asText() + "'");
        }
        return v.asInt();
    }

    Duration duration(String key, Duration defaultValue) {
        String v = string(key, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw child(key).error(e.getMessage());
        }
    }

    /** A duration that must be longer than zero, when present. */
    Duration positiveDuration(String key, Duration defaultValue) {
        Duration d = duration(key, defaultValue);
        if (d != null && (d.isZero() || d.isNegative())) {
            throw child(key).error("must be longer than zero");
        }
        return d;
    }

    <E extends Enum<E>> E choice(String key, E defaultValue, Class<E> type) {
        String v = string(key, null);
        if (v == null) {
            return defaultValue;
        }
        Set<String> names = new TreeSet<>();
        for (E e : type.getEnumConstants()) {
            String name = e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            if (name.equals(v.toLowerCase(java.util.Locale.ROOT))) {
                return e;
            }
            names.add(name);
        }
        throw child(key).error("unknown value '" + v + "' (known: " + String.join(", ", names) + ")");
    }

    /** A list of strings; a single scalar counts as a one-element list. */
    List<String> strings(String key) {
        if (!has(key)) {
            return List.of();
        }
        JsonNode v = node.get(key);
        List<String> out = new ArrayList<>();
        if (v.isValueNode()) {
            out.add(v.asText());
            return out;
        }
        if (!v.isArray()) {
            throw child(key).error("expected a list such as [a, b]");
        }
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isValueNode()) {
                throw new ConfigException(file + ": " + childPath(key) + "[" + i + "]: expected a single value");
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    /** A mapping of string to string. */
    Map<String, String> stringMap(String key) {
        if (!has(key)) {
            return Map.of();
        }
        JsonNode v = node.get(key);
        if (!v.isObject()) {
            throw child(key).error("expected a mapping such as {name: value}");
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode()) {
                throw child(key).child(e.getKey()).error("expected a single value");
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }

    /**
     * A mapping of names to plain values: strings, booleans, whole numbers (as {@code Long}), and
     * nested mappings of those. A placeholder's {@code true}/{@code false} reads as a boolean.
     */
    Map<String, Object> valueMap(String key) {
        if (!has(key)) {
            return Map.of();
        }
        JsonNode v = node.get(key);
        if (!v.isObject()) {
            throw child(key).error("expected a mapping such as {name: value}");
        }
        return child(key).values();
    }

    private Map<String, Object> values() {
        Map<String, Object> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            Object value;
            if (v.isObject()) {
                value = child(e.getKey()).values();
            } else if (v.isBoolean() || v instanceof Placeholders.Resolved && (v.asText().equals("true") || v.asText().equals("false"))) {
                value = Boolean.parseBoolean(v.asText());
            } else if (v.isIntegralNumber() && v.canConvertToLong()) {
                value = v.asLong();
            } else if (v.isTextual()) {
                value = v.asText();
            } else {
                throw child(e.getKey()).error("expected a string, true/false, a whole number or a mapping");
            }
            out.put(e.getKey(), value);
        });
        return out;
    }

    /** Each element of a list of mappings, mapped with its indexed path. */
    <T> List<T> each(String key, Function<ConfigNode, T> mapper) {
        if (!has(key)) {
            return List.of();
        }
        JsonNode v = node.get(key);
        if (!v.isArray()) {
            throw child(key).error("expected a list");
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            out.add(mapper.apply(new ConfigNode(file, childPath(key) + "[" + i + "]", v.get(i))));
        }
        return out;
    }

    /**
     * Like {@link #each}, but maps the elements on several cores: clients and users each hash a
     * secret with a deliberately slow KDF, which would otherwise add up at start-up. The error
     * reported is the one of the first failing element, as in a sequential pass.
     */
    <T> List<T> eachInParallel(String key, Function<ConfigNode, T> mapper) {
        if (!has(key)) {
            return List.of();
        }
        JsonNode v = node.get(key);
        if (!v.isArray()) {
            throw child(key).error("expected a list");
        }
        int n = v.size();
        Object[] results = new Object[n];
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
            try {
                results[i] = mapper.apply(new ConfigNode(file, childPath(key) + "[" + i + "]", v.get(i)));
            } catch (RuntimeException e) {
                results[i] = e;
            }
        });
        List<T> out = new ArrayList<>(n);
        for (Object r : results) {
            if (r instanceof RuntimeException e) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            T t = (T) r;
            out.add(t);
        }
        return out;
    }

    /** The error for element {@code index} of list {@code key}, e.g. {@code clients[2].grants[0]}. */
    ConfigException elementError(String key, int index, String message) {
        return new ConfigException(file + ": " + childPath(key) + "[" + index + "]: " + message);
    }
}
