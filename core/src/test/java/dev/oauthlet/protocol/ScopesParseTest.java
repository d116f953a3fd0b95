package dev.oauthlet.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Scopes#parse(String)} splits exactly as the regular expressions it replaced did, on every short string of telling characters. */
class ScopesParseTest {

    /** The earlier implementation, kept as the specification: strip spaces at both ends, split at runs of spaces, refuse what RFC 6749 §3.3 does not allow. */
    private static Set<String> reference(String scope) {
        String spaced = scope == null ? "" : scope.replaceAll("^ +| +$", "");
        if (spaced.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String s : spaced.split(" +")) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x21 || c == '"' || c == '\\' || c > 0x7e) {
                    return null;
                }
            }
            out.add(s);
        }
        return out;
    }

    private static Set<String> parsed(String scope) {
        try {
            return Scopes.parse(scope);
        } catch (OAuthException e) {
            assertEquals(ErrorCode.INVALID_SCOPE, e.error(), scope);
            return null;
        }
    }

    @Test
    void parseWhenAnyStringOfUpToSixTellingCharactersThenAsTheRegularExpressionsDid() {
        char[] alphabet = {' ', 'a', 'b', '\t', '"', '\\', '\u00e9'};
        List<String> strings = new ArrayList<>(List.of(""));
        int checked = 0;
        for (int length = 0; length <= 6; length++) {
            List<String> next = new ArrayList<>();
            for (String s : strings) {
                Set<String> expected = reference(s);
                Set<String> actual = parsed(s);
                assertEquals(expected, actual, () -> "'" + s + "'");
                if (expected != null) {
                    assertEquals(List.copyOf(expected), List.copyOf(actual), () -> "order of '" + s + "'");
                }
                checked++;
                for (char c : alphabet) {
                    next.add(s + c);
                }
            }
            strings = next;
        }
        assertEquals(137_257, checked, "every string of length 0 to 6 over the alphabet");
    }

    @Test
    void parseWhenNullOrSpacesThenEmptyAndTheSetCannotBeChanged() {
        assertEquals(Set.of(), Scopes.parse(null));
        assertEquals(Set.of(), Scopes.parse("   "));
        Set<String> s = Scopes.parse(" read  write read ");
        assertEquals(List.of("read", "write"), List.copyOf(s));
        assertThrows(UnsupportedOperationException.class, () -> s.add("admin"));
    }
}
