package dev.oauthlet.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}}, {@code ${NAME:-default}} and {@code ${file:/path}} in configuration
 * values: NAME is a Java system property or else an environment variable, {@code file:} the content
 * of a file (one trailing line break dropped), and {@code $${} stands for a literal {@code ${}.
 *
 * <p>It works on scalars after the YAML is parsed, so a value from the environment is never read as
 * YAML: a password holding {@code "\n admin: true"} stays a password.
 */
public final class Placeholders {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final String FILE = "file:";

    private final UnaryOperator<String> lookup;

    /** Resolves from {@code lookup}: a name to its value, {@code null} when unset. */
    public Placeholders(UnaryOperator<String> lookup) {
        this.lookup = lookup;
    }

    /** System properties first, then environment variables. */
    public static Placeholders fromSystem() {
        return new Placeholders(name -> {
            String v = System.getProperty(name);
            return v != null ? v : System.getenv(name);
        });
    }

    /** As {@link #fromSystem()}, but from {@code values} only: for tests. */
    public static Placeholders of(Map<String, String> values) {
        return new Placeholders(values::get);
    }

    /**
     * {@code value} with its placeholders replaced.
     *
     * @param where names the value in an error, e.g. {@code oauthlet.yml: storage.url} or {@code context-param 'oauthlet.config'}
     * @throws ConfigException naming {@code where} and the placeholder when a name is unset and has no default
     */
    public String resolve(String value, String where) {
        if (!value.contains("${")) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            if (value.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (value.startsWith("${", i)) {
                int end = value.indexOf('}', i + 2);
                if (end < 0) {
                    throw new ConfigException(where + ": '${' without a closing '}' (write $${ for a literal ${)");
                }
                out.append(replacement(value.substring(i + 2, end), where));
                i = end + 1;
            } else {
                out.append(value.charAt(i++));
            }
        }
        return out.toString();
    }

    private String replacement(String expression, String where) {
        int sep = expression.indexOf(":-");
        String name = sep < 0 ? expression : expression.substring(0, sep);
        String defaultValue = sep < 0 ? null : expression.substring(sep + 2);
        if (name.startsWith(FILE)) {
            return file(name.substring(FILE.length()), defaultValue, where);
        }
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException(where + ": '${" + expression + "}' is not a placeholder (use ${NAME}, ${NAME:-default} or "
                    + "${file:/path}; write $${ for a literal ${)");
        }
        String v = lookup.apply(name);
        if (v != null) {
            return v;
        }
        if (defaultValue != null) {
            return defaultValue;
        }
        throw new ConfigException(where + ": ${" + name + "} is not set (set the environment variable or system property " + name
                + ", or give a default: ${" + name + ":-value})");
    }

    private static String file(String path, String defaultValue, String where) {
        Path p = Path.of(path);
        if (!p.isAbsolute()) {
            throw new ConfigException(where + ": ${file:" + path + "} needs an absolute path, e.g. ${file:/run/secrets/db-password}");
        }
        if (!Files.exists(p) && defaultValue != null) {
            return defaultValue;
        }
        try {
            String content = Files.readString(p, StandardCharsets.UTF_8);
            // Secret files are usually written with a final line break that is no part of the secret.
            if (content.endsWith("\r\n")) {
                return content.substring(0, content.length() - 2);
            }
            return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        } catch (IOException e) {
            throw new ConfigException(where + ": ${file:" + path + "} cannot be read (" + e + ")", e);
        }
    }

    /**
     * Resolves every scalar of a parsed configuration in place. A resolved value stays text; a key that
     * wants a number or a boolean converts it afterwards ({@link ConfigNode}).
     */
    JsonNode resolveTree(String file, JsonNode root) {
        return resolveNode(file, "", root);
    }

    private JsonNode resolveNode(String file, String path, JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> keys = new ArrayList<>();
            object.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                object.set(key, resolveNode(file, path.isEmpty() ? key : path + "." + key, object.get(key)));
            }
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, resolveNode(file, path + "[" + i + "]", array.get(i)));
            }
            return array;
        }
        if (node.isTextual() && node.asText().contains("${")) {
            return new Resolved(resolve(node.asText(), file + ": " + path));
        }
        return node;
    }

    /** A value that came (partly) from a placeholder: text that a number or boolean key may still read. */
    static final class Resolved extends TextNode {

        private static final long serialVersionUID = 1L;

        Resolved(String v) {
            super(v);
        }
    }
}
