package dev.oauthlet.servlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An application's own HTML for one page, with placeholders Oauthlet fills in:
 * <ul>
 *   <li>{@code {{name}}} — a value of the page, always HTML-escaped (text and quoted attributes alike);</li>
 *   <li>{@code {{t:key}}} — a sentence of {@code pages.properties} in the page's language, escaped, its
 *       {@code {name}}s filled with the page's values;</li>
 *   <li>{@code {{#name}}...{{/name}}} — the part between is shown only when {@code name} is not empty.</li>
 * </ul>
 * There is no way to insert unescaped text: the few values that are markup (the hidden form
 * fields, the scope list) are {@link Markup} that this package built from escaped parts. A
 * placeholder the page does not have, or an unknown message key, is refused when the template is
 * loaded, not when a user meets it.
 */
final class PageTemplate {

    /** Markup built by Oauthlet from escaped values; the only kind of value not escaped again. */
    record Markup(String html) {
    }

    private sealed interface Node permits Literal, Value, Message, Section {
    }

    private record Literal(String text) implements Node {
    }

    private record Value(String name) implements Node {
    }

    private record Message(String key) implements Node {
    }

    private record Section(String name, List<Node> body) implements Node {
    }

    private final List<Node> nodes;

    private PageTemplate(List<Node> nodes) {
        this.nodes = nodes;
    }

    /**
     * @param names    the placeholders this page has
     * @param messages for checking {@code {{t:key}}}
     * @param source   the file, for messages
     * @throws IllegalArgumentException naming the file and what is wrong in it
     */
    static PageTemplate parse(String text, Set<String> names, PageMessages.Language messages, String source) {
        List<List<Node>> stack = new ArrayList<>();
        List<String> open = new ArrayList<>();
        List<Node> current = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("{{", i);
            if (start < 0) {
                current.add(new Literal(text.substring(i)));
                break;
            }
            int end = text.indexOf("}}", start + 2);
            if (end < 0) {
                throw new IllegalArgumentException(source + ": '{{' at offset " + start + " is not closed with '}}'");
            }
            if (start > i) {
                current.add(new Literal(text.substring(i, start)));
            }
            String tag = text.substring(start + 2, end).strip();
            if (tag.startsWith("t:")) {
                String key = tag.substring(2).strip();
                if (!messages.has(key)) {
                    throw new IllegalArgumentException(source + ": {{" + tag + "}}: no such message in pages.properties");
                }
                current.add(new Message(key));
            } else if (tag.startsWith("#")) {
                String name = known(tag.substring(1).strip(), names, source);
                stack.add(current);
                open.add(name);
                current = new ArrayList<>();
            } else if (tag.startsWith("/")) {
                String name = tag.substring(1).strip();
                if (open.isEmpty() || !open.get(open.size() - 1).equals(name)) {
                    throw new IllegalArgumentException(source + ": {{/" + name + "}} closes no open {{#" + name + "}}");
                }
                Section s = new Section(open.remove(open.size() - 1), List.copyOf(current));
                current = stack.remove(stack.size() - 1);
                current.add(s);
            } else {
                current.add(new Value(known(tag, names, source)));
            }
            i = end + 2;
        }
        if (!open.isEmpty()) {
            throw new IllegalArgumentException(source + ": {{#" + open.get(open.size() - 1) + "}} is never closed");
        }
        return new PageTemplate(List.copyOf(current));
    }

    private static String known(String name, Set<String> names, String source) {
        if (!names.contains(name)) {
            throw new IllegalArgumentException(source + ": {{" + name + "}}: this page has no such value (it has: "
                    + String.join(", ", new java.util.TreeSet<>(names)) + ")");
        }
        return name;
    }

    /** The page, with {@code values} ({@link String}s, escaped here, or {@link Markup}); a missing value is empty. */
    String render(Map<String, Object> values, PageMessages.Language messages) {
        StringBuilder sb = new StringBuilder(8192);
        render(nodes, values, messages, sb);
        return sb.toString();
    }

    private static void render(List<Node> nodes, Map<String, Object> values, PageMessages.Language messages, StringBuilder sb) {
        for (Node n : nodes) {
            if (n instanceof Literal l) {
                sb.append(l.text());
            } else if (n instanceof Value v) {
                sb.append(markup(values.get(v.name())));
            } else if (n instanceof Message m) {
                // A sentence's {name} is the page's value of that name, escaped like any other.
                Map<String, String> args = new java.util.HashMap<>();
                values.forEach((k, v) -> args.put(k, markup(v)));
                sb.append(messages.html(m.key(), args));
            } else {
                Section s = (Section) n;
                if (!markup(values.get(s.name())).isEmpty()) {
                    render(s.body(), values, messages, sb);
                }
            }
        }
    }

    private static String markup(Object value) {
        if (value instanceof Markup m) {
            return m.html();
        }
        return value == null ? "" : Html.esc(value.toString());
    }
}
