package dev.oauthlet.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.oauthlet.OauthletBuilder;
import dev.oauthlet.config.ConfigException;
import dev.oauthlet.config.OauthletConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A configuration file for the example: Oauthlet's own keys, plus an {@code example:} section
 * that only the example reads — the demo resources it serves, each behind a
 * {@link dev.oauthlet.servlet.BearerTokenFilter}, so a seed API's resource requests can be tried.
 *
 * <pre>
 * example:
 *   resources:
 *     - path: /v1/gifts          # a servlet mapping: /exact or /prefix/*
 *       audience: gifts-api      # tokens for another audience are refused
 *       resource: https://api.example.com/v1/gifts   # optional: its RFC 8707 URI; its RFC 9728 metadata is served
 *       dpop: required           # optional: off, allowed (default) or required (RFC 9449)
 *       filter:                  # optional: more BearerTokenFilter init-params
 *         revocation-check: "true"
 * </pre>
 *
 * @param oauthlet  the Oauthlet configuration
 * @param resources the demo resources; without an {@code example:} section, {@link #DEFAULT_RESOURCES}
 */
public record ExampleConfig(OauthletConfig oauthlet, List<DemoResource> resources) {

    /** What the example serves when the file has no {@code example:} section. */
    public static final List<DemoResource> DEFAULT_RESOURCES = List.of(
            new DemoResource("/api/back-office/*", "back-office", Map.of("revocation-check", "true")),
            new DemoResource("/api/storefront/*", "storefront", Map.of("revocation-check", "true")));

    private static final String SECTION = "example";

    public ExampleConfig {
        Objects.requireNonNull(oauthlet, "oauthlet");
        resources = List.copyOf(resources);
    }

    /**
     * A demo resource: answers who the token says the caller is.
     *
     * @param path     the servlet mapping, {@code /exact/path} or {@code /prefix/*}
     * @param audience the audience its tokens must carry; {@code null} when {@code resource} alone names it
     * @param resource its RFC 8707 resource URI, the filter's {@code resource} init-param; {@code null} for none
     * @param filter   further init-params of its {@link dev.oauthlet.servlet.BearerTokenFilter}
     */
    public record DemoResource(String path, String audience, String resource, Map<String, String> filter) {
        public DemoResource {
            Objects.requireNonNull(path, "path");
            if (audience == null && resource == null) {
                throw new IllegalArgumentException("a demo resource needs an audience or a resource URI");
            }
            filter = Map.copyOf(filter);
        }

        public DemoResource(String path, String audience, Map<String, String> filter) {
            this(path, audience, null, filter);
        }

        public DemoResource(String path, String audience) {
            this(path, audience, null, Map.of());
        }
    }

    /** Reads {@code file}. */
    public static ExampleConfig read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.getFileName().toString(), in);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** Reads a configuration from {@code in}; {@code name} is used in error messages. */
    public static ExampleConfig read(String name, InputStream in) throws ConfigException {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot be read (" + e.getMessage() + ")", e);
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode root;
        try {
            root = yaml.readTree(bytes);
        } catch (IOException e) {
            // Let Oauthlet's loader word the error, as for any other configuration.
            return new ExampleConfig(OauthletBuilder.readConfig(name, new ByteArrayInputStream(bytes), Set.of()), DEFAULT_RESOURCES);
        }
        if (!(root instanceof ObjectNode object) || !object.has(SECTION)) {
            return new ExampleConfig(OauthletBuilder.readConfig(name, new ByteArrayInputStream(bytes), Set.of()), DEFAULT_RESOURCES);
        }
        JsonNode section = object.remove(SECTION);
        byte[] rest;
        try {
            rest = yaml.writeValueAsBytes(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        OauthletConfig config = OauthletBuilder.readConfig(name, new ByteArrayInputStream(rest), Set.of());
        return new ExampleConfig(config, resources(name, section, config));
    }

    private static List<DemoResource> resources(String name, JsonNode section, OauthletConfig config) {
        if (!section.isObject()) {
            throw new ConfigException(name + ": example: expected a mapping with 'resources'");
        }
        for (Iterator<String> it = section.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("resources")) {
                throw new ConfigException(name + ": example." + key + ": unknown key '" + key + "' (known: resources)");
            }
        }
        JsonNode list = section.path("resources");
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new ConfigException(name + ": example.resources: expected a list of {path, audience, resource}");
        }
        List<DemoResource> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = name + ": example.resources[" + i + "]";
            JsonNode r = list.get(i);
            for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!List.of("path", "audience", "resource", "dpop", "filter").contains(key)) {
                    throw new ConfigException(at + "." + key + ": unknown key '" + key + "' (known: path, audience, resource, dpop, filter)");
                }
            }
            Map<String, String> filter = new LinkedHashMap<>();
            JsonNode f = r.path("filter");
            if (!f.isMissingNode() && !f.isNull()) {
                if (!f.isObject()) {
                    throw new ConfigException(at + ".filter: expected a mapping of BearerTokenFilter init-params");
                }
                f.fields().forEachRemaining(e -> filter.put(e.getKey(), e.getValue().asText()));
                for (String own : List.of("audience", "resource")) {
                    if (filter.containsKey(own)) {
                        throw new ConfigException(at + ".filter." + own + ": set the resource's " + own + " instead");
                    }
                }
            }
            if (r.has("dpop")) {
                String dpop = r.path("dpop").asText();
                if (!List.of("off", "allowed", "required").contains(dpop)) {
                    throw new ConfigException(at + ".dpop: off, allowed or required, got '" + dpop + "'");
                }
                if (filter.containsKey("dpop")) {
                    throw new ConfigException(at + ".filter.dpop: set the resource's dpop instead");
                }
                filter.put("dpop", dpop);
            }
            String path = r.path("path").asText("");
            String audience = r.path("audience").asText("");
            String resource = r.path("resource").asText("");
            if (!path.startsWith("/") || (path.contains("*") && !path.endsWith("/*"))) {
                throw new ConfigException(at + ".path: expected /exact/path or /prefix/*, got '" + path + "'");
            }
            if (audience.isEmpty() && resource.isEmpty()) {
                throw new ConfigException(at + ".audience: missing (the audience its tokens must carry, or give its resource URI)");
            }
            for (String a : new String[] {audience, resource}) {
                if (!a.isEmpty() && !config.audiences().isEmpty() && !config.audiences().contains(a)) {
                    throw new ConfigException(at + "." + (a == audience ? "audience" : "resource") + ": unknown audience '" + a
                            + "' (known: " + String.join(", ", config.audiences()) + ")");
                }
            }
            out.add(new DemoResource(path, audience.isEmpty() ? null : audience, resource.isEmpty() ? null : resource, filter));
        }
        return out;
    }
}
