package dev.oauthlet.audit;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each event as one INFO line on logger {@code dev.oauthlet.audit}, as {@code key=value}
 * pairs: {@code event=client_removed actor=cli client_id=reports}. A value with anything but
 * letters, digits and {@code . _ : / @ -} is quoted, with quotes, backslashes and control
 * characters escaped, so a username cannot forge a line or a field.
 */
public final class LogAuditListener implements AuditListener {

    /** The logger's name. */
    public static final String LOGGER = "dev.oauthlet.audit";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    @Override
    public void onEvent(AuditEvent event) {
        if (LOG.isInfoEnabled()) {
            LOG.info(format(event));
        }
    }

    /** The line this listener writes for {@code event}. */
    public static String format(AuditEvent event) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : event.fields().entrySet()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(e.getKey()).append('=');
            value(sb, e.getValue());
        }
        return sb.toString();
    }

    private static void value(StringBuilder sb, String v) {
        if (!v.isEmpty() && v.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || ".-_:/@".indexOf(c) >= 0))) {
            sb.append(v);
            return;
        }
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
